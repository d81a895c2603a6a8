import TOMLKit

/// Walks one TOML table with its key path, so every type or presence error names the exact key, and keys
/// nobody asked for are reported as unknown.
///
/// TOMLKit's `Decodable` path reports a wrong type as a missing key and gives no key path for nested arrays,
/// so the schema is read by hand through this small reader instead.
struct TableReader {
    let table: TOMLTable
    let keyPath: String
    let recipePath: String
    private(set) var consumed: Set<String> = []

    init(table: TOMLTable, keyPath: String, recipePath: String) {
        self.table = table
        self.keyPath = keyPath
        self.recipePath = recipePath
    }

    func path(_ key: String) -> String {
        let quoted = key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } ? key : "\"\(key)\""
        return keyPath.isEmpty ? quoted : "\(keyPath).\(quoted)"
    }

    var keys: [String] { table.keys.sorted() }

    mutating func value(_ key: String, required: Bool) throws(RecipeError) -> TOMLValueConvertible? {
        consumed.insert(key)
        guard let value = table[key] else {
            if required { throw .missingKey(path: recipePath, keyPath: path(key)) }
            return nil
        }
        return value
    }

    mutating func string(_ key: String, required: Bool = true) throws(RecipeError) -> String? {
        guard let value = try value(key, required: required) else { return nil }
        guard let string = value.string else { throw wrongType(key, "a string", value) }
        return string
    }

    mutating func int(_ key: String, required: Bool = true) throws(RecipeError) -> Int? {
        guard let value = try value(key, required: required) else { return nil }
        guard value.type == .int, let int = value.int else { throw wrongType(key, "an integer", value) }
        return int
    }

    mutating func bool(_ key: String, required: Bool = true) throws(RecipeError) -> Bool? {
        guard let value = try value(key, required: required) else { return nil }
        guard let bool = value.bool else { throw wrongType(key, "a boolean", value) }
        return bool
    }

    mutating func strings(_ key: String, required: Bool = false) throws(RecipeError) -> [String]? {
        guard let value = try value(key, required: required) else { return nil }
        guard let array = value.array else { throw wrongType(key, "an array of strings", value) }
        var result = [String]()
        for (index, element) in array.enumerated() {
            guard let string = element.string else {
                throw .wrongType(
                    path: recipePath, keyPath: "\(path(key))[\(index)]", expected: "a string", actual: TableReader.describe(element))
            }
            result.append(string)
        }
        return result
    }

    mutating func table(_ key: String, required: Bool = true) throws(RecipeError) -> TableReader? {
        guard let value = try value(key, required: required) else { return nil }
        guard let table = value.table else { throw wrongType(key, "a table", value) }
        return TableReader(table: table, keyPath: path(key), recipePath: recipePath)
    }

    mutating func tables(_ key: String) throws(RecipeError) -> [TableReader] {
        guard let value = try value(key, required: false) else { return [] }
        guard let array = value.array else { throw wrongType(key, "an array of tables", value) }
        var result = [TableReader]()
        for (index, element) in array.enumerated() {
            guard let table = element.table else {
                throw .wrongType(
                    path: recipePath, keyPath: "\(path(key))[\(index)]", expected: "a table", actual: TableReader.describe(element))
            }
            result.append(TableReader(table: table, keyPath: "\(path(key))[\(index)]", recipePath: recipePath))
        }
        return result
    }

    /// Fails on the first (alphabetically) key that was never read.
    func rejectUnknownKeys() throws(RecipeError) {
        if let unknown = keys.first(where: { !consumed.contains($0) }) {
            throw .unknownKey(path: recipePath, keyPath: path(unknown))
        }
    }

    private func wrongType(_ key: String, _ expected: String, _ value: TOMLValueConvertible) -> RecipeError {
        .wrongType(path: recipePath, keyPath: path(key), expected: expected, actual: TableReader.describe(value))
    }

    static func describe(_ value: TOMLValueConvertible) -> String {
        switch value.type {
        case .table: return "a table"
        case .array: return "an array"
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a float"
        case .bool: return "a boolean"
        case .date, .time, .dateTime: return "a date or time"
        }
    }
}
