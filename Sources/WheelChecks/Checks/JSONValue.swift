/// A JSON value (RFC 8259), as the SBOM check reads PEP 770 documents.
///
/// Parsed strictly: one value, no byte order mark, no trailing bytes, no duplicate object keys (readers that take
/// the first and those that take the last would see different hashes), no lone surrogates, bounded nesting.
/// Foundation's decoder in FoundationEssentials keeps one of two duplicate keys silently, hence this parser.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, as written (the SBOM rules never compute with one).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member `key` of an object; `nil` for anything else.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The string, when this is one.
    var string: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    /// The elements, when this is an array.
    var array: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }
}

/// Why a JSON text was refused: the byte offset and what was wrong there.
struct JSONSyntaxError: Error, Equatable {
    var offset: Int
    var reason: String
}

extension JSONValue {
    /// Deeper nesting than this is refused rather than followed (a hostile document must not exhaust the stack).
    static let maxDepth = 256

    /// Parses `bytes` as one UTF-8 JSON text.
    ///
    /// - Throws: `JSONSyntaxError` for invalid UTF-8, invalid JSON, duplicate keys or nesting deeper than `maxDepth`.
    init(parsing bytes: [UInt8]) throws(JSONSyntaxError) {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw JSONSyntaxError(offset: 0, reason: "not valid UTF-8") }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { throw JSONSyntaxError(offset: 0, reason: "a byte order mark (RFC 8259 §8.1)") }
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        self = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw JSONSyntaxError(offset: parser.position, reason: "bytes after the value") }
    }
}

/// The recursive-descent reader behind `JSONValue.init(parsing:)`; its input is already known to be UTF-8.
private struct JSONParser {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    private func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, reason: reason) }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < JSONValue.maxDepth else { throw fail("nested deeper than \(JSONValue.maxDepth) levels") }
        switch current {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case .some(let byte) where byte == UInt8(ascii: "-") || (0x30...0x39).contains(byte): return try number()
        case nil: throw fail("the text ends where a value should start")
        default: throw fail("no value starts here")
        }
    }

    private mutating func literal(_ word: String, _ result: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let expected = Array(word.utf8)
        guard bytes.count - position >= expected.count, bytes[position..<position + expected.count].elementsEqual(expected) else {
            throw fail("not `\(word)`")
        }
        position += expected.count
        return result
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var members = [String: JSONValue]()
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw fail("an object key must be a string") }
            let keyOffset = position
            let key = try string()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw fail("`:` expected after an object key") }
            position += 1
            skipWhitespace()
            let member = try value(depth: depth + 1)
            guard members.updateValue(member, forKey: key) == nil else {
                throw JSONSyntaxError(offset: keyOffset, reason: "the key \"\(key.prefix(80))\" appears twice in one object")
            }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default: throw fail("`,` or `}` expected in an object")
            }
        }
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var elements = [JSONValue]()
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            default: throw fail("`,` or `]` expected in an array")
            }
        }
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        position += 1
        var out = [UInt8]()
        while let byte = current {
            position += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"): try escape(into: &out)
            case 0x00..<0x20: throw fail("a control character inside a string")
            default: out.append(byte)
            }
        }
        throw fail("unterminated string")
    }

    private mutating func escape(into out: inout [UInt8]) throws(JSONSyntaxError) {
        guard let byte = current else { throw fail("unterminated escape") }
        position += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
            UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let replacement = simple[byte] {
            out.append(replacement)
            return
        }
        guard byte == UInt8(ascii: "u") else { throw fail("an unknown escape") }
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                throw fail("a lone surrogate escape")
            }
            position += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw fail("a lone surrogate escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw fail("a lone surrogate escape")
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw fail("an invalid escape") }
        out.append(contentsOf: Array(String(Character(unicode)).utf8))
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw fail("a short \\u escape") }
        var value: UInt32 = 0
        for byte in bytes[position..<position + 4] {
            guard let digit = hexDigit(byte) else { throw fail("a \\u escape that is not hexadecimal") }
            value = value << 4 | UInt32(digit)
        }
        position += 4
        return value
    }

    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, isDigit(first) else { throw fail("a number needs a digit") }
        position += 1
        if first == UInt8(ascii: "0"), let next = current, isDigit(next) { throw fail("a number with a leading zero") }
        digits()
        if current == UInt8(ascii: ".") {
            position += 1
            guard let next = current, isDigit(next) else { throw fail("a digit expected after `.`") }
            digits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let next = current, isDigit(next) else { throw fail("a digit expected in the exponent") }
            digits()
        }
        return .number(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    private mutating func digits() {
        while let byte = current, isDigit(byte) { position += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
}

/// The value of one hexadecimal digit, either case.
func hexDigit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: return byte - 0x30
    case 0x41...0x46: return byte - 0x41 + 10
    case 0x61...0x66: return byte - 0x61 + 10
    default: return nil
    }
}
