import PurewheelBasics
import Testing

@Suite struct JSONValueParsingTests {
    /// A JSON text and the value it holds.
    struct ValidCase: CustomTestStringConvertible, Sendable {
        let text: String
        let value: JSONValue
        var testDescription: String { text }
    }

    static let validCases: [ValidCase] = [
        ValidCase(text: "{}", value: .object([])),
        ValidCase(text: " [ ] \n", value: .array([])),
        ValidCase(text: "\t\r\n0", value: .number("0")),
        ValidCase(text: "-0.5e+10", value: .number("-0.5e+10")),
        ValidCase(text: "1E-3", value: .number("1E-3")),
        ValidCase(text: "[true,false,null]", value: .array([.bool(true), .bool(false), .null])),
        ValidCase(
            text: #""\"\\\/\b\f\n\r\t\u00e9\ud834\udd1e\u0000é""#, value: .string("\"\\/\u{8}\u{C}\n\r\t\u{E9}\u{1D11E}\u{0}\u{E9}")),
        ValidCase(
            text: #"{"b" : [1, {"a" : "x"}], "a" : 2, "A" : 3}"#,
            value: .object([
                JSONValue.Member("b", .array([.number("1"), .object([JSONValue.Member("a", .string("x"))])])),
                JSONValue.Member("a", .number("2")), JSONValue.Member("A", .number("3")),
            ])),
        // The same name in different objects is no duplicate.
        ValidCase(
            text: #"[{"a" : 1}, {"a" : 2}]"#,
            value: .array([.object([JSONValue.Member("a", .number("1"))]), .object([JSONValue.Member("a", .number("2"))])])),
        ValidCase(
            text: String(repeating: "[", count: JSONValue.maximumDepth) + String(repeating: "]", count: JSONValue.maximumDepth),
            value: (1..<JSONValue.maximumDepth).reduce(JSONValue.array([])) { inner, _ in .array([inner]) }),
    ]

    @Test(arguments: validCases) func parses(_ testCase: ValidCase) throws {
        #expect(try JSONValue(parsing: Array(testCase.text.utf8)) == testCase.value)
    }

    /// A text that is refused, and the exact error.
    struct InvalidCase: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let error: JSONParseError
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ error: JSONParseError) { self.init(name, Array(text.utf8), error) }

        init(_ name: String, _ bytes: [UInt8], _ error: JSONParseError) {
            self.name = name
            self.bytes = bytes
            self.error = error
        }
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase("empty", "", .syntax(reason: "the file is empty", line: 1, column: 1)),
        InvalidCase("only whitespace", " \n ", .syntax(reason: "the file holds only whitespace", line: 2, column: 2)),
        InvalidCase(
            "trailing text", "{} {}", .syntax(reason: "expected the end of the text after the value, found '{'", line: 1, column: 4)),
        InvalidCase(
            "trailing comma in an object", "{\"a\":1,}",
            .syntax(reason: "expected a member name in double quotes, found '}'", line: 1, column: 8)),
        InvalidCase("trailing comma in an array", "[1,]", .syntax(reason: "expected a value, found ']'", line: 1, column: 4)),
        InvalidCase("unquoted name", "{a:1}", .syntax(reason: "expected a member name in double quotes, found 'a'", line: 1, column: 2)),
        InvalidCase("missing colon", "{\"a\" 1}", .syntax(reason: "expected ':' after the member name, found '1'", line: 1, column: 6)),
        InvalidCase("missing comma", "[1 2]", .syntax(reason: "expected ',' or ']' after an array element, found '2'", line: 1, column: 4)),
        InvalidCase(
            "unclosed object", "{\"a\":1",
            .syntax(reason: "expected ',' or '}' after an object member, found the end of the text", line: 1, column: 7)),
        InvalidCase("single quotes", "'a'", .syntax(reason: "expected a value, found '''", line: 1, column: 1)),
        InvalidCase("comment", "// x\n{}", .syntax(reason: "expected a value, found '/'", line: 1, column: 1)),
        InvalidCase("NaN", "NaN", .syntax(reason: "expected a value, found 'N'", line: 1, column: 1)),
        InvalidCase("truncated literal", "tru", .syntax(reason: "expected a value, found 't'", line: 1, column: 1)),
        InvalidCase("leading zero", "01", .syntax(reason: "a number must not have a leading zero", line: 1, column: 2)),
        InvalidCase("plus sign", "+1", .syntax(reason: "expected a value, found '+'", line: 1, column: 1)),
        InvalidCase("bare minus", "-", .syntax(reason: "expected a digit after '-', found the end of the text", line: 1, column: 2)),
        InvalidCase("bare point", "1.", .syntax(reason: "expected a digit after '.', found the end of the text", line: 1, column: 3)),
        InvalidCase(
            "bare exponent", "1e+", .syntax(reason: "expected a digit after an exponent, found the end of the text", line: 1, column: 4)),
        InvalidCase("unclosed string", "[\n\"abc", .syntax(reason: "a string is not closed", line: 2, column: 1)),
        InvalidCase(
            "raw control character", "\"a\tb\"",
            .syntax(reason: "a control character (byte 0x09) must be escaped in a string", line: 1, column: 3)),
        InvalidCase(
            "unknown escape", #""\q""#,
            .syntax(reason: #"expected an escape ('"', '\', '/', 'b', 'f', 'n', 'r', 't' or 'u') after '\', found 'q'"#, line: 1, column: 3)
        ),
        InvalidCase(
            "short unicode escape", #""\u12""#,
            .syntax(reason: #"expected four hexadecimal digits after '\u', found '"'"#, line: 1, column: 6)),
        InvalidCase("lone high surrogate", #""\ud800x""#, .syntax(reason: "an unpaired UTF-16 surrogate escape", line: 1, column: 2)),
        InvalidCase("lone low surrogate", #""\udc00""#, .syntax(reason: "an unpaired UTF-16 surrogate escape", line: 1, column: 2)),
        InvalidCase(
            "high surrogate then no low one", #""\ud800\u0041""#, .syntax(reason: "an unpaired UTF-16 surrogate escape", line: 1, column: 2)
        ),
        InvalidCase("invalid UTF-8", [0x22, 0xFF, 0x22], .syntax(reason: "a string is not valid UTF-8", line: 1, column: 1)),
        InvalidCase(
            "UTF-8 outside a string", [0xEF, 0xBB, 0xBF, 0x7B, 0x7D],
            .syntax(reason: "expected a value, found byte 0xef", line: 1, column: 1)),
        InvalidCase(
            "nested too deep", String(repeating: "[", count: JSONValue.maximumDepth + 1),
            .syntax(reason: "arrays and objects nest deeper than 64 levels", line: 1, column: 65)),
        // RFC 8259, section 4: readers disagree on a repeated name, so it is refused wherever it is.
        InvalidCase("duplicate at the root", #"{"a" : 1, "a" : 2}"#, .duplicateKey(keyPath: "", name: "a", line: 1, column: 11)),
        InvalidCase(
            "duplicate spelled with an escape", #"{"a" : 1, "\u0061" : 2}"#, .duplicateKey(keyPath: "", name: "a", line: 1, column: 11)),
        InvalidCase(
            "duplicate in a nested object", "{\"x\" : {\"y\" : [{\"n\" : 1,\n \"n\" : 2}]}}",
            .duplicateKey(keyPath: "x.y[0]", name: "n", line: 2, column: 2)),
    ]

    @Test(arguments: invalidCases) func refuses(_ testCase: InvalidCase) {
        #expect(throws: testCase.error) { try JSONValue(parsing: testCase.bytes) }
    }

    /// What the writer writes, the parser reads back to the same value.
    @Test func readsWhatTheWriterWrites() throws {
        let value = JSONValue.object([
            JSONValue.Member("z", .array([.integer(-5), .null, .bool(true), .object([])])),
            JSONValue.Member("a\u{0}\u{1F}\"\\/é", .string("line\nbreak\u{7F}\u{1D11E}")),
        ])
        #expect(try JSONValue(parsing: Array(value.text.utf8)) == .object(value.sortedForTest))
    }
}

extension JSONValue {
    /// The members of an object in the writer's order (by UTF-8 bytes of the name).
    fileprivate var sortedForTest: [Member] {
        guard case .object(let members) = self else { return [] }
        return members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }
}

/// Texts any strict reader must refuse, whatever it then reads (SBOMs, statements, shard reports).
@Suite struct JSONValueRefusalTests {
    static let refused = [
        "", "01", "-", "1.", "1e", "+1", ".5", "tru", "nul", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a: 1}", "[1 2]", "\"tab\there\"",
        "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"open", "[1] [2]", "'single'", "NaN", "{\"a\":1,\"a\":1}", "\u{FEFF}{}",
    ]

    @Test(arguments: refused)
    func refuses(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(text.utf8)) }
    }

    @Test func aDuplicateKeyIsNamedWithItsPlace() {
        #expect(throws: JSONParseError.duplicateKey(keyPath: "", name: "a", line: 1, column: 10)) {
            try JSONValue(parsing: Array(#"{"a": 1, "a": 2}"#.utf8))
        }
    }

    @Test func membersAreReadByName() throws {
        let value = try JSONValue(parsing: Array(#"{"bomFormat": "CycloneDX", "components": [{"name": "x"}]}"#.utf8))
        #expect(value["bomFormat"]?.string == "CycloneDX")
        #expect(value["components"]?.array?.first?["name"]?.string == "x")
        #expect(value["missing"] == nil && value["bomFormat"]?.array == nil)
    }
}
