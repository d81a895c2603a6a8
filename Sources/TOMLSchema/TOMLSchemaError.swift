/// Why a TOML document does not fit its schema, and where: the one error of `TOMLSchema`, which each reader's client
/// turns into its own (with the file's path) through the closure it gives `TOMLTableReader.parse`.
public struct TOMLSchemaError: Error, Sendable, Hashable {
    /// What is wrong.
    public enum Problem: Sendable, Hashable {
        /// The text is not TOML; `line` and `column` are 1-based, as TOMLKit gives them.
        case syntax(line: Int, column: Int, reason: String)
        /// A required key is absent.
        case missingKey
        /// A key the schema does not define; `known` lists the keys it defines there.
        case unknownKey(known: [String])
        /// A value of another kind than the schema's.
        case wrongType(expected: String, actual: TOMLValueKind)
    }

    /// The key concerned, as `versions."1.0".revision` or `overlay[1].strip[0]`; empty for a syntax error.
    public let keyPath: String
    /// What is wrong there.
    public let problem: Problem
}
