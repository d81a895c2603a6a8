import PurewheelBasics

extension ProvenanceStatement {
    /// One field where two statements differ: its key path and the two values as JSON.
    public struct Difference: Sendable, Hashable {
        /// Where (`predicate.buildDefinition.externalParameters.upstream_version`).
        public var keyPath: String
        /// This statement's value, as JSON (`"9.9"`, `null`, `an entry named "x"`, `nothing`).
        public var recorded: String
        /// The other statement's value, in the same form.
        public var rebuilt: String
    }

    /// The first field, in the file's key order, where this statement and `rebuilt` differ, or `nil` when they hold the same.
    ///
    /// Strings are compared scalar by scalar, as their bytes in the file would be, not by Swift's canonical equivalence.
    ///
    /// - Parameter rebuilt: the statement a build from the same inputs records.
    /// - Returns: the difference, or `nil`.
    public func firstDifference(from rebuilt: ProvenanceStatement) -> Difference? {
        Self.difference(json, rebuilt.json, at: "")
    }

    private static func difference(_ recorded: JSONValue, _ rebuilt: JSONValue, at keyPath: String) -> Difference? {
        switch (recorded, rebuilt) {
        case (.object(let left), .object(let right)):
            let keys = Set((left + right).map { Array($0.key.unicodeScalars) }).sorted {
                $0.lexicographicallyPrecedes($1) { $0.value < $1.value }
            }
            for key in keys {
                let name = String(String.UnicodeScalarView(key))
                let path = keyPath.isEmpty ? name : "\(keyPath).\(name)"
                let a = left.first { $0.key.unicodeScalars.elementsEqual(key) }?.value
                let b = right.first { $0.key.unicodeScalars.elementsEqual(key) }?.value
                if let a, let b {
                    if let found = difference(a, b, at: path) { return found }
                } else if a != nil || b != nil {
                    return Difference(keyPath: path, recorded: summary(a), rebuilt: summary(b))
                }
            }
            return nil
        case (.array(let left), .array(let right)):
            for index in 0..<max(left.count, right.count) {
                let path = "\(keyPath)[\(index)]"
                guard index < left.count, index < right.count else {
                    return Difference(
                        keyPath: path, recorded: summary(index < left.count ? left[index] : nil),
                        rebuilt: summary(index < right.count ? right[index] : nil))
                }
                if let found = difference(left[index], right[index], at: path) { return found }
            }
            return nil
        default:
            return recorded.text.unicodeScalars.elementsEqual(rebuilt.text.unicodeScalars)
                ? nil : Difference(keyPath: keyPath, recorded: summary(recorded), rebuilt: summary(rebuilt))
        }
    }

    /// A value as a one-line message shows it: scalars as JSON, a descriptor by its name.
    private static func summary(_ value: JSONValue?) -> String {
        switch value {
        case nil: return "nothing"
        case .object(let members)?:
            if case .string(let name)? = members.first(where: { $0.key == Keys.name })?.value {
                return "an entry named \(JSONValue.string(name).text)"
            }
            return "an object"
        case .array?: return "an array"
        case let scalar?: return scalar.text
        }
    }
}
