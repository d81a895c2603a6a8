import Testing

@testable import UnifiedDiff

@Suite struct LineSplittingTests {
    /// Texts where the byte split could part from the `Character` split: CRLF, lone CR, LF before a combining mark, empty lines.
    static let texts: [(id: String, text: String)] = [
        (id: "empty", text: ""),
        (id: "one line without LF", text: "a"),
        (id: "one line with LF", text: "a\n"),
        (id: "blank lines", text: "\n\n"),
        (id: "CRLF is no break", text: "a\r\nb\n"),
        (id: "final CRLF", text: "a\nb\r\n"),
        (id: "lone CR", text: "a\rb\n\r"),
        (id: "LF before a combining mark", text: "a\n\u{301}b\ne\u{301}\n"),
        (id: "non-ASCII", text: "é\n\u{1F600}\r\n\u{1F1E6}\u{1F1E6}\n"),
    ]

    @Test(arguments: texts)
    func sameLinesAsCharacterSplit(_ example: (id: String, text: String)) {
        let expected = example.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Byte for byte, not by canonical equivalence.
        #expect(example.text.lineFeedSeparated().map { Array($0.utf8) } == expected.map { Array($0.utf8) })
        #expect(example.text.endsWithLineFeed == example.text.hasSuffix("\n"))
    }
}
