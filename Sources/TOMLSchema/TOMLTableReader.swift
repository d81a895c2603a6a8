// TOMLSchema: reads a TOML document against a hand-written schema, so that every error names the exact key path:
// recipes, locks and the check configuration all read their files through it.
//
// Entry points: `TOMLTableReader.parse(_:failingWith:)` gives the root table's reader; its typed accessors, `table`,
// `tables` and `rejectUnknownKeys` walk the document. Problems are `TOMLSchemaError`s, which each client turns into
// its own error with the closure it passes to `parse`.

import FoundationEssentials
import PurewheelBasics
internal import TOMLKit

/// Walks one TOML table with its key path, so every type or presence error names the exact key, and keys
/// nobody asked for are reported as unknown.
///
/// TOMLKit's `Decodable` path reports a wrong type as a missing key and gives no key path for nested arrays,
/// so a schema is read by hand through this small reader instead.
public struct TOMLTableReader<Failure: Error> {
    private let table: TOMLTable
    /// The key path of this table, as `versions."1.0"`; empty for the root.
    public let keyPath: String
    private let fail: (TOMLSchemaError) -> Failure
    private var consumed: Set<String> = []

    private init(table: TOMLTable, keyPath: String, fail: @escaping (TOMLSchemaError) -> Failure) {
        self.table = table
        self.keyPath = keyPath
        self.fail = fail
    }

    /// Parses `text` and returns a reader of its root table.
    ///
    /// A table header that would make TOMLKit's parser abort (`TOMLHeaderGuard`) is a syntax error like any other.
    ///
    /// - Parameters:
    ///   - text: the document.
    ///   - fail: turns a problem into the caller's error; every accessor of every reader below the root uses it.
    /// - Throws: `fail(.syntax)` with TOMLKit's line and column.
    public static func parse(_ text: String, failingWith fail: @escaping (TOMLSchemaError) -> Failure) throws(Failure) -> Self {
        if let (line, column) = TOMLHeaderGuard.firstUnsafeHeader(in: text) {
            let reason = "a table header's key must start with a letter, digit, '_', '-' or a quote"
            throw fail(TOMLSchemaError(keyPath: "", problem: .syntax(line: line, column: column, reason: reason)))
        }
        do {
            return Self(table: try TOMLTable(string: text), keyPath: "", fail: fail)
        } catch let error as TOMLParseError {
            let line = error.source.begin.line
            // toml++ garbles the key it quotes in this message (the first two characters doubled): name it from the text.
            let reason =
                error.description.contains("cannot redefine existing")
                ? redefinedKey(in: text, line: line).map { "\($0) is defined more than once" } ?? error.description
                : error.description
            throw fail(TOMLSchemaError(keyPath: "", problem: .syntax(line: line, column: error.source.begin.column, reason: reason)))
        } catch {
            throw fail(TOMLSchemaError(keyPath: "", problem: .syntax(line: 0, column: 0, reason: "unreadable TOML")))
        }
    }

    /// The key or table header defined on `line` (1-based) of `text`, as written there.
    static func redefinedKey(in text: String, line: Int) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        let source = lines[line - 1].trimmingWhitespace()
        if source.hasPrefix("[") { return "table \(source.split(separator: "#").first.map(String.init) ?? source)" }
        if source.hasPrefix("\""), let end = source.dropFirst().firstIndex(of: "\"") {
            return "key \(source[...end])"
        }
        guard let equals = source.firstIndex(of: "="), equals != source.startIndex else { return nil }
        return "key \(source[..<equals].trimmingWhitespace())"
    }

    /// The key path of `key` in this table; a key of other characters than letters, digits, `_` and `-` is quoted.
    public func path(_ key: String) -> String {
        let quoted = key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } ? key : "\"\(key)\""
        return keyPath.isEmpty ? quoted : "\(keyPath).\(quoted)"
    }

    /// The table's keys, sorted.
    public var keys: [String] { table.keys.sorted() }

    /// The kind of the value of `key`, or `nil` when the table does not have it; the key does not count as read.
    public func kind(of key: String) -> TOMLValueKind? { table[key].map { TOMLValueKind($0.type) } }

    private mutating func value(_ key: String, required: Bool) throws(Failure) -> TOMLValueConvertible? {
        consumed.insert(key)
        guard let value = table[key] else {
            if required { throw fail(TOMLSchemaError(keyPath: path(key), problem: .missingKey)) }
            return nil
        }
        return value
    }

    /// The string at `key`; `nil` when it is absent and not required.
    ///
    /// - Throws: `.missingKey` or `.wrongType`.
    public mutating func string(_ key: String, required: Bool = true) throws(Failure) -> String? {
        guard let value = try value(key, required: required) else { return nil }
        guard let string = value.string else { throw wrongType(key, "a string", value) }
        return string
    }

    /// The integer at `key`; `nil` when it is absent and not required.
    ///
    /// `expected` names the value in an error.
    ///
    /// - Throws: `.missingKey` or `.wrongType`.
    public mutating func int(_ key: String, required: Bool = true, expected: String = "an integer") throws(Failure) -> Int? {
        guard let value = try value(key, required: required) else { return nil }
        guard value.type == .int, let int = value.int else { throw wrongType(key, expected, value) }
        return int
    }

    /// The boolean at `key`; `nil` when it is absent and not required.
    ///
    /// - Throws: `.missingKey` or `.wrongType`.
    public mutating func bool(_ key: String, required: Bool = true) throws(Failure) -> Bool? {
        guard let value = try value(key, required: required) else { return nil }
        guard let bool = value.bool else { throw wrongType(key, "a boolean", value) }
        return bool
    }

    /// The array of strings at `key`; `nil` when it is absent and not required.
    ///
    /// `expected` and `element` name the array and its elements in an error.
    ///
    /// - Throws: `.missingKey`, or `.wrongType` for the array or the first element that is not a string.
    public mutating func strings(
        _ key: String, required: Bool = false, expected: String = "an array of strings", element: String = "a string"
    ) throws(Failure) -> [String]? {
        guard let value = try value(key, required: required) else { return nil }
        guard let array = value.array else { throw wrongType(key, expected, value) }
        var result = [String]()
        for (index, item) in array.enumerated() {
            guard let string = item.string else {
                let problem = TOMLSchemaError.Problem.wrongType(expected: element, actual: TOMLValueKind(item.type))
                throw fail(TOMLSchemaError(keyPath: "\(path(key))[\(index)]", problem: problem))
            }
            result.append(string)
        }
        return result
    }

    /// A reader of the table at `key`; `nil` when it is absent and not required.
    ///
    /// - Throws: `.missingKey` or `.wrongType`.
    public mutating func table(_ key: String, required: Bool = true) throws(Failure) -> Self? {
        guard let value = try value(key, required: required) else { return nil }
        guard let table = value.table else { throw wrongType(key, "a table", value) }
        return Self(table: table, keyPath: path(key), fail: fail)
    }

    /// Readers of the array of tables at `key`; empty when it is absent.
    ///
    /// - Throws: `.wrongType` for the array or the first element that is not a table.
    public mutating func tables(_ key: String) throws(Failure) -> [Self] {
        guard let value = try value(key, required: false) else { return [] }
        guard let array = value.array else { throw wrongType(key, "an array of tables", value) }
        var result = [Self]()
        for (index, element) in array.enumerated() {
            guard let table = element.table else {
                let problem = TOMLSchemaError.Problem.wrongType(expected: "a table", actual: TOMLValueKind(element.type))
                throw fail(TOMLSchemaError(keyPath: "\(path(key))[\(index)]", problem: problem))
            }
            result.append(Self(table: table, keyPath: "\(path(key))[\(index)]", fail: fail))
        }
        return result
    }

    /// Fails on the first (alphabetically) key that was never read.
    ///
    /// - Throws: `.unknownKey`, listing the keys that were read.
    public func rejectUnknownKeys() throws(Failure) {
        try rejectKeys(otherThan: consumed.sorted())
    }

    /// Fails on the first (alphabetically) key that is not in `known`, before any value is read.
    ///
    /// - Throws: `.unknownKey`, listing `known`.
    public func rejectKeys(otherThan known: [String]) throws(Failure) {
        if let unknown = keys.first(where: { !known.contains($0) }) {
            throw fail(TOMLSchemaError(keyPath: path(unknown), problem: .unknownKey(known: known)))
        }
    }

    private func wrongType(_ key: String, _ expected: String, _ value: TOMLValueConvertible) -> Failure {
        fail(TOMLSchemaError(keyPath: path(key), problem: .wrongType(expected: expected, actual: TOMLValueKind(value.type))))
    }
}
