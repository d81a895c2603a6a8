import PurewheelBasics
import Testing
import WheelModel

@Suite struct RecordTests {
    @Test func parsesQuotingAndCRLF() throws {
        let text =
            "pkg/a.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\r\n\"pkg/with,comma \"\"q\"\".py\",sha512=AAAA,12\r\nx.dist-info/RECORD,,\r\n"
        let record = try Record(parsing: text, file: "RECORD")
        #expect(record.rows.map(\.path) == ["pkg/a.py", "pkg/with,comma \"q\".py", "x.dist-info/RECORD"])
        #expect(record.rows[1].hash?.algorithm == "sha512")
        #expect(record.rows[1].size == 12)
        #expect(record.rows[2].hash == nil && record.rows[2].size == nil)
        #expect(record.rows[1].line == 2)
    }

    @Test func serializesLikePythonsCSVWriter() {
        let record = Record(rows: [
            Record.Row(path: "a,b.py", hash: RecordHash(sha256: SHA256Digest.of([])), size: 0),
            Record.Row(path: "x.dist-info/RECORD", hash: nil, size: nil),
        ])
        #expect(record.serialized() == "\"a,b.py\",sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\nx.dist-info/RECORD,,\n")
    }

    @Test(arguments: [
        (id: "two columns", text: "a,b\n", reason: "expected 3 columns, found 2"),
        (id: "bad size", text: "a,sha256=x,12a\n", reason: "size '12a' is not a decimal number"),
        (id: "bad hash", text: "a,sha256,1\n", reason: "hash 'sha256' is not 'algorithm=digest'"),
        (id: "open quote", text: "\"a,b,1\n", reason: "unterminated quoted field"),
    ])
    func rejectsMalformedRows(id: String, text: String, reason: String) {
        #expect(throws: WheelFormatError.invalidRecordRow(file: "RECORD", line: 1, reason: reason)) {
            try Record(parsing: text, file: "RECORD")
        }
    }

    /// The one-pass byte parser must give the full parser's rows, or step aside (`nil`) so the full parser reports.
    @Test(arguments: [
        (id: "plain", text: "a/b.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\nx.dist-info/RECORD,,\n", parsesSimply: true),
        (id: "no final newline", text: "a.py,SHA256=abc,007", parsesSimply: true),
        (id: "blank lines", text: "\n\na.py,,\n\nb.py,md5=x,1\n", parsesSimply: true),
        (id: "empty path", text: ",,\n", parsesSimply: true),
        (id: "non-ASCII path", text: "caf\u{E9}/\u{212A}.py,sha256=x,1\n", parsesSimply: true),
        (id: "BOM", text: "\u{FEFF}a.py,,\n", parsesSimply: true),
        (id: "quotes", text: "\"a,b.py\",,\n", parsesSimply: false),
        (id: "CRLF", text: "a.py,,\r\n", parsesSimply: false),
        (id: "two columns", text: "a,b\n", parsesSimply: false),
        (id: "four columns", text: "a,b=c,1,2\n", parsesSimply: false),
        (id: "space line", text: "a.py,,\n \n", parsesSimply: false),
        (id: "bad size", text: "a,sha256=x,12a\n", parsesSimply: false),
        (id: "huge size", text: "a,sha256=x,99999999999999999999\n", parsesSimply: false),
        (id: "bad hash", text: "a,sha256,1\n", parsesSimply: false),
        (id: "empty digest", text: "a,sha256=,1\n", parsesSimply: false),
        (id: "empty algorithm", text: "a,=x,1\n", parsesSimply: false),
        (id: "combining mark after =", text: "a,sha256=\u{301}x,1\n", parsesSimply: false),
    ])
    func simpleParserAgreesWithFullParser(id: String, text: String, parsesSimply: Bool) {
        let simple = Record(parsingSimple: Array(text.utf8))
        #expect((simple != nil) == parsesSimply)
        if let simple { #expect(simple == (try? Record(parsing: text, file: "RECORD"))) }
    }

    @Test func simpleParserRefusesInvalidUTF8() {
        #expect(Record(parsingSimple: [0x61, 0xFF, 0x2C, 0x2C, 0x0A]) == nil)
    }

    @Test func simpleRowsAreVisitedInOrderOrNotAtAll() {
        var visited = [Record.Row]()
        #expect(Record.forEachSimpleRow(in: Array("a.py,sha256=x,1\n\nb.py,,\n".utf8)) { visited.append($0) })
        #expect(
            visited == [
                Record.Row(path: "a.py", hash: RecordHash(parsing: "sha256=x"), size: 1, line: 1),
                Record.Row(path: "b.py", hash: nil, size: nil, line: 3),
            ])
        visited = []
        #expect(!Record.forEachSimpleRow(in: Array("a.py,sha256=x,1\nb.py,,\nc.py,x\n".utf8)) { visited.append($0) })
        #expect(visited == [])
    }
}
