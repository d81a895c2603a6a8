/// `SOURCE_DATE_EPOCH` (reproducible-builds.org specification): a decimal count of seconds since
/// 1970-01-01T00:00:00Z.
public enum SourceDateEpoch {
    /// The variable's name.
    public static let variable = "SOURCE_DATE_EPOCH"

    /// Reads the variable from `variables`.
    ///
    /// - Returns: the seconds, or `nil` when the variable is unset or empty.
    /// - Throws: `EnvironmentError.invalidVariable` for anything but ASCII digits that fit in `Int64`
    ///   (`abc`, `-5`, `1.5`, a 30-digit number).
    public static func parse(from variables: [String: String]) throws(EnvironmentError) -> Int64? {
        guard let text = variables[variable], !text.isEmpty else { return nil }
        let digitsOnly = text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard digitsOnly, let value = Int64(text) else {
            throw .invalidVariable(name: variable, value: text, expected: "a non-negative integer number of seconds that fits in 64 bits")
        }
        return value
    }
}
