/// A JSON value (RFC 8259) as purewheel writes and reads it: provenance statements, SBOMs, shard reports.
///
/// Objects keep their members in the order of the text and numbers keep their literal spelling, so a reader
/// can name exactly what it refuses (`1.5` is not an integer, `-5` is not a time) and a writer decides the
/// order itself.
package indirect enum JSONValue: Sendable, Hashable {
    /// A string, unescaped.
    case string(String)
    /// A number as written (`-5`, `1.5e3`), already checked against the grammar of RFC 8259, section 6.
    case number(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// An array.
    case array([JSONValue])
    /// An object: its members in text order (the parser refuses a name given twice).
    case object([Member])

    /// One name and value of an object.
    package struct Member: Sendable, Hashable {
        /// The member's name, unescaped.
        package var key: String
        /// The member's value.
        package var value: JSONValue

        /// Creates a member.
        package init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value of the member `key` of an object; `nil` for anything else or a missing member.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The string, when this is one.
    package var string: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    /// The elements, when this is an array.
    package var array: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    /// An integer number value.
    package static func integer(_ value: Int64) -> JSONValue { .number(String(value)) }

    /// What kind of value this is, as an error message names it: `an object`, `a string`, `a boolean`.
    package var kind: String {
        switch self {
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The value as text: each array element and object member on its own line, indented two spaces per level, members sorted by
    /// the UTF-8 bytes of their names, `"key" : value`, slashes and non-ASCII text unescaped, and no trailing newline.
    ///
    /// This is the layout Foundation's `JSONEncoder` gave with `.prettyPrinted`, `.sortedKeys` and `.withoutEscapingSlashes`,
    /// written here so the bytes do not depend on the Foundation the tool was built with.
    package var text: String {
        var text = ""
        write(into: &text, depth: 0)
        return text
    }

    private func write(into text: inout String, depth: Int) {
        switch self {
        case .string(let value): Self.writeString(value, into: &text)
        case .number(let literal): text += literal
        case .bool(let value): text += value ? "true" : "false"
        case .null: text += "null"
        case .array(let elements):
            Self.writeLines(of: elements, between: "[", "]", into: &text, depth: depth) { element, text in
                element.write(into: &text, depth: depth + 1)
            }
        case .object(let members):
            // Keys are compared as UTF-8 bytes, an order that cannot depend on the locale or Unicode tables.
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            Self.writeLines(of: sorted, between: "{", "}", into: &text, depth: depth) { member, text in
                Self.writeString(member.key, into: &text)
                text += " : "
                member.value.write(into: &text, depth: depth + 1)
            }
        }
    }

    private static func writeLines<Element>(
        of elements: [Element], between open: String, _ close: String, into text: inout String, depth: Int,
        _ writeElement: (Element, inout String) -> Void
    ) {
        let indent = String(repeating: "  ", count: depth + 1)
        text += open + "\n"
        for (index, element) in elements.enumerated() {
            if index > 0 { text += ",\n" }
            text += indent
            writeElement(element, &text)
        }
        text += "\n" + String(repeating: "  ", count: depth) + close
    }

    /// A JSON string (RFC 8259, section 7) escaped as `JSONEncoder` escaped it: quote and backslash, the short escapes `\b \t \n \f \r`,
    /// every other control character as `\u00xx` in lowercase hex; slashes, DEL and non-ASCII text as they are.
    private static func writeString(_ value: String, into text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\u{8}": text += "\\b"
            case "\t": text += "\\t"
            case "\n": text += "\\n"
            case "\u{C}": text += "\\f"
            case "\r": text += "\\r"
            case "\u{0}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
