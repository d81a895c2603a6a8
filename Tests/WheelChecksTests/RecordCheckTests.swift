import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing
import WheelChecks

@Suite struct RecordCheckTests {
    static let initPy = "demo/__init__.py"
    static let distInfo = "demo-1.0.dist-info"

    @Test func cleanWheelHasNoFindings() throws {
        let report = try check(WheelBuilder())
        #expect(report.findings == [])
        #expect(!report.hasErrors)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var defects: [WheelBuilder.Defect]
        var expected: [Hit]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "bad hash", defects: [.badHash(initPy)], expected: [Hit(code: "PW405", entry: initPy, recordLine: 1)]),
        Case(name: "bad size", defects: [.badSize(initPy)], expected: [Hit(code: "PW406", entry: initPy, recordLine: 1)]),
        Case(name: "missing row", defects: [.missingRecordRow(initPy)], expected: [Hit(code: "PW403", entry: initPy)]),
        Case(
            name: "extra row", defects: [.extraRecordRow("demo/ghost.py")],
            expected: [Hit(code: "PW404", entry: "demo/ghost.py", recordLine: 4)]),
        Case(name: "no RECORD", defects: [.noRecord], expected: [Hit(code: "PW401", entry: "\(distInfo)/RECORD")]),
        Case(
            name: "md5", defects: [.recordAlgorithm("md5")],
            expected: [initPy, "\(distInfo)/METADATA", "\(distInfo)/WHEEL"].enumerated().map {
                Hit(code: "PW407", entry: $0.element, recordLine: $0.offset + 1)
            }),
        Case(
            name: "sha1", defects: [.recordAlgorithm("sha1")],
            expected: [initPy, "\(distInfo)/METADATA", "\(distInfo)/WHEEL"].enumerated().map {
                Hit(code: "PW407", entry: $0.element, recordLine: $0.offset + 1)
            }),
        Case(
            name: "sha512 name on a sha256 digest", defects: [.recordAlgorithm("sha512")],
            expected: [initPy, "\(distInfo)/METADATA", "\(distInfo)/WHEEL"].enumerated().map {
                Hit(code: "PW414", entry: $0.element, recordLine: $0.offset + 1)
            }),
        Case(
            name: "unknown algorithm", defects: [.recordAlgorithm("crc32")],
            expected: [initPy, "\(distInfo)/METADATA", "\(distInfo)/WHEEL"].enumerated().map {
                Hit(code: "PW408", entry: $0.element, recordLine: $0.offset + 1)
            }),
    ]

    @Test(arguments: cases) func defect(_ testCase: Case) throws {
        let report = try check(WheelBuilder(defects: testCase.defects))
        #expect(report.findings.map { Hit(code: $0.code.rawValue, entry: $0.entry, recordLine: $0.recordLine) } == testCase.expected)
        #expect(report.hasErrors)
    }

    @Test func hashMismatchSaysExpectedAndActual() throws {
        let report = try check(WheelBuilder(defects: [.badHash(Self.initPy)]))
        let finding = try #require(report.findings.first)
        #expect(finding.expected?.hasPrefix("sha256=") == true)
        #expect(finding.actual == "sha256=\(SHA256Digest.of(Array("VALUE = 1\n".utf8)).urlSafeBase64)")
        #expect(finding.expected != finding.actual)
        #expect(finding.hint != nil)
    }

    /// A RECORD built by hand: `rows` replaces the generated one.
    func rawReport(files: [RawZipBuilder.Entry] = [RawZipBuilder.Entry(initPy, "VALUE = 1\n")], record: @escaping (String) -> String) throws
        -> CheckReport
    {
        try check(raw: RawZipBuilder(entries: RawWheel.entries(files, record: record)))
    }

    @Test func sha512AndSha384RowsAreVerified() throws {
        let content = Array("VALUE = 1\n".utf8)
        // Known digests of "VALUE = 1\n" computed with Python's hashlib.
        let good = try rawReport { text in
            text.replacingOccurrences(
                of: "sha256=\(SHA256Digest.of(content).urlSafeBase64)",
                with: "sha512=\(Digests.sha512ValueOne)")
        }
        #expect(good.findings == [])
        let bad = try rawReport { text in
            text.replacingOccurrences(of: "sha256=\(SHA256Digest.of(content).urlSafeBase64)", with: "sha384=\(Digests.sha384Empty)")
        }
        #expect(
            bad.findings.map { Hit(code: $0.code.rawValue, entry: $0.entry, recordLine: $0.recordLine) } == [
                Hit(code: "PW405", entry: Self.initPy, recordLine: 1)
            ])
    }

    @Test func crlfAndQuotedRowsAreValid() throws {
        let files = [RawZipBuilder.Entry("demo/a,b.py", "X = 1\n"), RawZipBuilder.Entry("demo/\"q\".py", "Y = 2\n")]
        let report = try rawReport(files: files) { $0.replacingOccurrences(of: "\n", with: "\r\n") }
        #expect(report.findings == [])
    }

    @Test func signatureFilesNeedNoRecordRowButAreReported() throws {
        let files = [RawZipBuilder.Entry(Self.initPy, "VALUE = 1\n"), RawZipBuilder.Entry("\(Self.distInfo)/RECORD.jws", "{}")]
        // RawWheel lists every file; drop the signature's row, as signing tools leave it out.
        let report = try rawReport(files: files) { text in
            text.split(separator: "\n").filter { !$0.hasPrefix("\(Self.distInfo)/RECORD.jws") }.joined(separator: "\n") + "\n"
        }
        #expect(report.codes == ["PW804"])
    }

    @Test func malformedLinesAreEachReported() throws {
        let report = try rawReport { text in
            var lines = text.split(separator: "\n").map(String.init)
            lines[0] = "demo/__init__.py,sha256=abc"
            lines[1] = lines[1] + ",extra"
            return lines.joined(separator: "\n") + "\n"
        }
        let malformed = report.findings.filter { $0.code.rawValue == "PW402" }.map(\.recordLine)
        #expect(malformed == [1, 2])
        #expect(report.findings.contains { $0.code.rawValue == "PW403" && $0.entry == Self.initPy })
    }

    @Test func rowWithoutHashAndSelfRowWithHash() throws {
        let report = try rawReport { text in
            text.replacingOccurrences(of: "\(Self.distInfo)/RECORD,,", with: "\(Self.distInfo)/RECORD,sha256=AAAA,4")
                .replacingOccurrences(of: #"demo/__init__.py,sha256=[^,]*,10"#, with: "demo/__init__.py,,", options: .regularExpression)
        }
        #expect(
            report.findings.map { Hit(code: $0.code.rawValue, entry: $0.entry, recordLine: $0.recordLine) } == [
                Hit(code: "PW410", entry: Self.initPy, recordLine: 1),
                Hit(code: "PW412", entry: "\(Self.distInfo)/RECORD", recordLine: 4),
            ])
    }

    @Test func recordNotListingItselfAndDuplicateRows() throws {
        let report = try rawReport { text in
            let lines = text.split(separator: "\n").map(String.init)
            return ([lines[0], lines[0]] + lines[1..<3]).joined(separator: "\n") + "\n"
        }
        #expect(
            report.findings.map { Hit(code: $0.code.rawValue, entry: $0.entry, recordLine: $0.recordLine) } == [
                Hit(code: "PW411", entry: "\(Self.distInfo)/RECORD"),
                Hit(code: "PW413", entry: Self.initPy, recordLine: 2),
            ])
    }

    /// RECORD paths and entry names compare as Swift strings (canonical equivalence): an NFD row lists an NFC
    /// entry, and a second spelling of a listed path is a duplicate row, whether or not it names an entry.
    @Test func listingComparesPathsByCanonicalEquivalence() throws {
        let nfc = "demo/caf\u{E9}.py"
        let nfd = "demo/cafe\u{301}.py"
        let files = [RawZipBuilder.Entry(Self.initPy, "VALUE = 1\n"), RawZipBuilder.Entry(nfc, "X = 1\n")]
        let respelled = try rawReport(files: files) { $0.replacingOccurrences(of: nfc, with: nfd) }
        #expect(respelled.findings.map(\.code.rawValue).filter { $0.hasPrefix("PW4") } == [])
        let twice = try rawReport(files: files) { text in
            let lines = text.split(separator: "\n").map(String.init)
            let row = lines[1].replacingOccurrences(of: nfc, with: nfd)
            let ghost = "demo/gh\u{F4}st.py,,"
            let ghostAgain = "demo/gho\u{302}st.py,,"
            return ([lines[0], lines[1], row, ghost, ghostAgain] + lines[2...]).joined(separator: "\n") + "\n"
        }
        #expect(
            twice.findings.map { Hit(code: $0.code.rawValue, entry: $0.entry, recordLine: $0.recordLine) }.filter {
                $0.code.hasPrefix("PW4")
            } == [
                Hit(code: "PW404", entry: "demo/gh\u{F4}st.py", recordLine: 4),
                Hit(code: "PW413", entry: nfd, recordLine: 3),
                Hit(code: "PW413", entry: "demo/gho\u{302}st.py", recordLine: 5),
            ])
    }
}

enum Digests {
    /// `hashlib.sha512(b"VALUE = 1\n")`, urlsafe base64 without padding.
    static let sha512ValueOne = "SY--AbR03sEJCfrOCErcyScF8k6ssPymM4ks17M5nhG6FzvNPJd1XlKXMKuRkjSh9XLgZNnRJ39qCqJmBQXDrA"
    /// `hashlib.sha384(b"")`.
    static let sha384Empty = "OLBgp1GsljhM2TJ-sbHjaiH9txEUvgdDTAzHv2P24donTt6_529l-9Ua0vFImLlb"
}
