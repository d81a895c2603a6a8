import FoundationEssentials

/// A pretty-printed JSON document with one array that is written an element at a time, so that a report of many wheels
/// is never held whole: the bytes are exactly those `JSONEncoder` (pretty-printed, sorted keys, slashes unescaped) writes
/// for the whole document, followed by a line feed.
///
/// The document is encoded once with a placeholder as the array's only element; its line gives the split and the
/// indentation. Each element is encoded alone and indented to match, which is exact because a pretty-printed value has
/// no line break inside a string (they are escaped) and its empty lines carry no indentation.
struct StreamedJSONArray {
    /// The text before the first element.
    let start: String
    /// The text after the last element, final line feed included.
    let end: String
    private let indent: String
    private var count = 0
    private let encoder = Self.makeEncoder()

    /// Stands for the elements while the document around them is encoded.
    struct Placeholder: Encodable {
        static let text = "purewheel.streamed-array.placeholder"
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(Self.text)
        }
    }

    /// Splits the document that `document` builds around its placeholder element.
    init<Document: Encodable>(_ document: (Placeholder) -> Document) {
        let lines = Self.encode(document(Placeholder()), with: encoder).split(separator: "\n", omittingEmptySubsequences: false)
        let marker = "\"\(Placeholder.text)\""
        // The placeholder is the only line that is nothing but this string: every other string in the document is a value
        // after a key, or escaped.
        let index = lines.firstIndex { $0.drop { $0 == " " } == marker } ?? lines.endIndex
        start = lines[..<index].map { $0 + "\n" }.joined()
        end = index < lines.endIndex ? "\n" + lines[(index + 1)...].joined(separator: "\n") + "\n" : ""
        indent = index < lines.endIndex ? String(lines[index].prefix { $0 == " " }) : ""
    }

    /// The text of the next element, with the separator before it.
    mutating func element(_ value: some Encodable) -> String {
        let text = Self.encode(value, with: encoder).split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.isEmpty ? "" : indent + $0
        }
        .joined(separator: "\n")
        defer { count += 1 }
        return (count == 0 ? "" : ",\n") + text
    }

    private static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    private static func encode(_ value: some Encodable, with encoder: JSONEncoder) -> String {
        // Plain strings, numbers, booleans and nulls cannot fail to encode.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
