/// Why a text is not JSON that purewheel reads, and where.
package enum JSONParseError: Error, Sendable, Hashable {
    /// The text breaks the grammar of RFC 8259 (or is not UTF-8, section 8.1); `reason` says what was expected and found.
    case syntax(reason: String, line: Int, column: Int)
    /// An object names `name` twice; `keyPath` is the object (`predicate.buildDefinition`, `""` for the root).
    case duplicateKey(keyPath: String, name: String, line: Int, column: Int)
}

extension JSONParseError {
    /// What is wrong and where, for a message: `line 3, column 7: expected …`.
    package var summary: String {
        switch self {
        case .syntax(let reason, let line, let column): return "line \(line), column \(column): \(reason)"
        case .duplicateKey(let keyPath, let name, let line, let column):
            return
                "line \(line), column \(column): the key \"\(name)\" appears twice in \(keyPath.isEmpty ? "the top-level object" : keyPath)"
        }
    }
}

extension JSONValue {
    /// How deeply arrays and objects may nest: far more than a statement needs, little enough that a hostile
    /// file cannot exhaust the stack.
    package static let maximumDepth = 64

    /// Parses a JSON text strictly (RFC 8259): one value, UTF-8, no trailing text, no comments or trailing commas.
    ///
    /// RFC 8259, section 4, says the names within an object SHOULD be unique and that readers differ when they are not: some keep
    /// the first, some the last, some report an error. A statement that two readers read differently cannot be certified, so a
    /// name given twice is an error here, compared after unescaping (`"a"` and `"\u0061"` are the same name).
    ///
    /// - Parameter bytes: the text.
    /// - Throws: `JSONParseError.syntax` with line and column (1-based; columns count bytes) or `.duplicateKey`.
    package init(parsing bytes: [UInt8]) throws(JSONParseError) {
        var parser = JSONParser(bytes: bytes)
        self = try parser.document()
    }
}

/// A recursive-descent reader of one JSON text; each `mutating func` consumes what it names.
private struct JSONParser {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard offset < bytes.count else { throw failure(bytes.isEmpty ? "the file is empty" : "the file holds only whitespace") }
        let value = try value(keyPath: "", depth: 0)
        skipWhitespace()
        guard offset == bytes.count else { throw failure("expected the end of the text after the value, found \(here)") }
        return value
    }

    // RFC 8259, section 3: value = false / null / true / object / array / number / string.
    private mutating func value(keyPath: String, depth: Int) throws(JSONParseError) -> JSONValue {
        guard let byte = peek else { throw failure("expected a value, found the end of the text") }
        switch byte {
        case UInt8(ascii: "{"): return try object(keyPath: keyPath, depth: depth + 1)
        case UInt8(ascii: "["): return try array(keyPath: keyPath, depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("expected a value, found \(here)")
        }
    }

    // Section 4: object = begin-object [ member *( value-separator member ) ] end-object.
    private mutating func object(keyPath: String, depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONValue.maximumDepth else { throw failure("arrays and objects nest deeper than \(JSONValue.maximumDepth) levels") }
        offset += 1
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            offset += 1
            return .object([])
        }
        var members: [JSONValue.Member] = []
        var names = Set<String>()
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw failure("expected a member name in double quotes, found \(here)") }
            let start = offset
            let name = try string()
            guard names.insert(name).inserted else {
                let (line, column) = position(of: start)
                throw .duplicateKey(keyPath: keyPath, name: name, line: line, column: column)
            }
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw failure("expected ':' after the member name, found \(here)") }
            offset += 1
            skipWhitespace()
            let path = keyPath.isEmpty ? name : "\(keyPath).\(name)"
            members.append(JSONValue.Member(name, try value(keyPath: path, depth: depth)))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                return .object(members)
            default: throw failure("expected ',' or '}' after an object member, found \(here)")
            }
        }
    }

    // Section 5: array = begin-array [ value *( value-separator value ) ] end-array.
    private mutating func array(keyPath: String, depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONValue.maximumDepth else { throw failure("arrays and objects nest deeper than \(JSONValue.maximumDepth) levels") }
        offset += 1
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            offset += 1
            return .array([])
        }
        var elements: [JSONValue] = []
        while true {
            skipWhitespace()
            elements.append(try value(keyPath: "\(keyPath)[\(elements.count)]", depth: depth))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                return .array(elements)
            default: throw failure("expected ',' or ']' after an array element, found \(here)")
            }
        }
    }

    // Section 6: number = [ minus ] int [ frac ] [ exp ]; int = zero / ( digit1-9 *DIGIT ). Kept as written.
    private mutating func number() throws(JSONParseError) -> String {
        let start = offset
        if peek == UInt8(ascii: "-") { offset += 1 }
        if peek == UInt8(ascii: "0") {
            offset += 1
            if let next = peek, isDigit(next) { throw failure("a number must not have a leading zero") }
        } else {
            try digits(after: "'-'")
        }
        if peek == UInt8(ascii: ".") {
            offset += 1
            try digits(after: "'.'")
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            offset += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { offset += 1 }
            try digits(after: "an exponent")
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    private mutating func digits(after what: String) throws(JSONParseError) {
        guard let first = peek, isDigit(first) else { throw failure("expected a digit after \(what), found \(here)") }
        while let next = peek, isDigit(next) { offset += 1 }
    }

    // Section 7: a string holds any scalar but '"', '\' and the controls U+0000 to U+001F, which must be escaped.
    private mutating func string() throws(JSONParseError) -> String {
        let start = offset
        offset += 1
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek else { throw failure("a string is not closed", at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                // Section 8.1: JSON exchanged between systems is UTF-8; invalid sequences and encoded surrogates are refused.
                guard let text = String(validating: utf8, as: UTF8.self) else { throw failure("a string is not valid UTF-8", at: start) }
                return text
            case UInt8(ascii: "\\"):
                offset += 1
                utf8 += try escape()
            case 0..<0x20:
                throw failure("a control character (\(here)) must be escaped in a string")
            default:
                utf8.append(byte)
                offset += 1
            }
        }
    }

    /// The UTF-8 bytes of one escape sequence, read after its backslash.
    private mutating func escape() throws(JSONParseError) -> [UInt8] {
        guard let byte = peek else { throw failure("a string is not closed") }
        offset += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return [byte]
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "u"):
            let start = offset - 2
            var value = UInt32(try hexQuad())
            if (0xD800...0xDBFF).contains(value) {
                // A scalar beyond the Basic Multilingual Plane is written as a UTF-16 surrogate pair, "\uD834\uDD1E".
                guard peek == UInt8(ascii: "\\"), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u") else {
                    throw failure("an unpaired UTF-16 surrogate escape", at: start)
                }
                offset += 2
                let low = UInt32(try hexQuad())
                guard (0xDC00...0xDFFF).contains(low) else { throw failure("an unpaired UTF-16 surrogate escape", at: start) }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(value) else { throw failure("an unpaired UTF-16 surrogate escape", at: start) }
            return Array(String(Character(scalar)).utf8)
        default:
            offset -= 1
            throw failure("expected an escape ('\"', '\\', '/', 'b', 'f', 'n', 'r', 't' or 'u') after '\\', found \(here)")
        }
    }

    private mutating func hexQuad() throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = peek, let digit = hexValue(byte) else {
                throw failure("expected four hexadecimal digits after '\\u', found \(here)")
            }
            value = value << 4 | UInt16(digit)
            offset += 1
        }
        return value
    }

    private mutating func literal(_ word: String, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        let expected = Array(word.utf8)
        guard bytes.count - offset >= expected.count, Array(bytes[offset..<offset + expected.count]) == expected else {
            throw failure("expected a value, found \(here)")
        }
        offset += expected.count
        return value
    }

    // Section 2: insignificant whitespace is space, horizontal tab, line feed and carriage return, nothing else.
    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { offset += 1 }
    }

    private var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The byte at the current offset as a message shows it: `'}'`, `byte 0xff`, or `the end of the text`.
    private var here: String {
        guard let byte = peek else { return "the end of the text" }
        if byte > 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16)
        return "byte 0x" + (hex.count < 2 ? "0" : "") + hex
    }

    private func failure(_ reason: String, at start: Int? = nil) -> JSONParseError {
        let (line, column) = position(of: start ?? offset)
        return .syntax(reason: reason, line: line, column: column)
    }

    /// The 1-based line and byte column of `offset`.
    private func position(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}
