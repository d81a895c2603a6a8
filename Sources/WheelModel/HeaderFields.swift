import FoundationEssentials
import PurewheelBasics

/// The email-header format METADATA and WHEEL share (core metadata spec, "Metadata-Version 2.1+": RFC 822 style headers, then an optional
/// body after a blank line).
///
/// Fields keep their order and repeats; parsing and `serialized()` round-trip for LF input.
public struct HeaderFields: Sendable, Hashable {
    /// One `Name: value` field; a folded value keeps its continuation lines joined by `\n`.
    public struct Field: Sendable, Hashable {
        /// The field name as written.
        public var name: String
        /// The value without the separating `: `.
        public var value: String

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Fields in file order.
    public var fields: [Field]
    /// The text after the first blank line, if any (the long description in METADATA).
    public var body: String?

    /// Creates headers from parts.
    public init(fields: [Field], body: String?) {
        self.fields = fields
        self.body = body
    }

    /// Parses header text; CRLF line endings are accepted.
    ///
    /// - Parameter file: the entry name, for errors.
    /// - Throws: `WheelFormatError.invalidHeaderLine` for a line that is neither a field nor a continuation.
    public init(parsing text: String, file: String) throws(WheelFormatError) {
        var fields = [Field]()
        var body: String?
        let normalized = text.replacingLiterally("\r\n", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)[...]
        var lineNumber = 0
        while let line = lines.popFirst() {
            lineNumber += 1
            if line.isEmpty {
                let rest = lines.joined(separator: "\n")
                body = rest.isEmpty ? nil : rest
                break
            }
            if line.first == " " || line.first == "\t" {
                guard !fields.isEmpty else { throw .invalidHeaderLine(file: file, line: lineNumber, text: String(line)) }
                fields[fields.count - 1].value += "\n" + line
                continue
            }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw .invalidHeaderLine(file: file, line: lineNumber, text: String(line))
            }
            let name = String(line[..<colon])
            guard !name.contains(" ") else { throw .invalidHeaderLine(file: file, line: lineNumber, text: String(line)) }
            var value = line[line.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
            fields.append(Field(name: name, value: String(value)))
        }
        self.fields = fields
        self.body = body
    }

    /// The first value of `name` (case-insensitive, as email headers are).
    public func first(_ name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of `name`, in order.
    public func all(_ name: String) -> [String] {
        fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// Replaces the first `name` field's value in place, or appends the field when absent; later repeats are
    /// removed.
    public mutating func set(_ name: String, to value: String) {
        if let index = fields.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
            fields[index].value = value
            let key = name.lowercased()
            fields = fields.enumerated().filter { $0.offset == index || $0.element.name.lowercased() != key }.map(\.element)
        } else {
            fields.append(Field(name: name, value: value))
        }
    }

    /// Removes every `name` field matching `predicate`.
    public mutating func remove(_ name: String, where predicate: (String) -> Bool = { _ in true }) {
        fields.removeAll { $0.name.lowercased() == name.lowercased() && predicate($0.value) }
    }

    /// LF-terminated text: fields, then a blank line and the body when there is one.
    public func serialized() -> String {
        var out = ""
        for field in fields { out += "\(field.name): \(field.value)\n" }
        if let body {
            out += "\n" + body
            if !body.hasSuffix("\n") { out += "\n" }
        }
        return out
    }
}
