import Testing

@testable import WheelChecks

/// The strict JSON reader behind the SBOM check (RFC 8259): what it accepts and what it refuses.
@Suite struct JSONValueTests {
    static let accepted: [(String, JSONValue)] = [
        (
            #" {"a": [1, -0.5, 2e10, true, false, null]} "#,
            .object(["a": .array([.number("1"), .number("-0.5"), .number("2e10"), .bool(true), .bool(false), .null])])
        ),
        (#""\u00e9\ud83d\ude00\/\t""#, .string("é😀/\t")),
        ("[]", .array([])),
        ("{}", .object([:])),
        ("0", .number("0")),
    ]

    static let refused = [
        "", "01", "-", "1.", "1e", "+1", ".5", "tru", "nul", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a: 1}", "[1 2]", "\"tab\there\"",
        "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"open", "[1] [2]", "'single'", "NaN", "{\"a\":1,\"a\":1}",
    ]

    @Test(arguments: accepted.indices)
    func accepts(_ index: Int) throws {
        let (text, value) = Self.accepted[index]
        #expect(try JSONValue(parsing: Array(text.utf8)) == value)
    }

    @Test(arguments: refused)
    func refuses(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: Array(text.utf8)) }
    }

    @Test func nestingIsBounded() throws {
        // At most `maxDepth` levels of arrays and objects.
        let deep = String(repeating: "[", count: JSONValue.maxDepth + 1) + String(repeating: "]", count: JSONValue.maxDepth + 1)
        let shallow = String(repeating: "[", count: JSONValue.maxDepth) + String(repeating: "]", count: JSONValue.maxDepth)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: Array(deep.utf8)) }
        #expect(throws: Never.self) { try JSONValue(parsing: Array(shallow.utf8)) }
    }

    @Test func duplicateKeyNamesTheKey() {
        #expect(throws: JSONSyntaxError(offset: 9, reason: "the key \"a\" appears twice in one object")) {
            try JSONValue(parsing: Array(#"{"a": 1, "a": 2}"#.utf8))
        }
    }
}
