import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing
import WheelChecks

@testable import PurewheelCommands

/// `check --format github` and `--format sarif`, escaping of untrusted text in human output, and the
/// codes no selection can hide.
@Suite struct CheckFormatTests {
    /// A clean wheel, a broken one, and one whose entry name carries terminal control sequences.
    private func fixtures(in folder: String) throws -> [String] {
        let clean = try WheelBuilder().write(in: folder)
        let brokenFolder = folder + "/broken"
        try FileManager.default.createDirectory(atPath: brokenFolder, withIntermediateDirectories: true)
        var builder = WheelBuilder(
            files: [
                WheelBuilder.File("demo/__init__.py", "VALUE = 1\n"), WheelBuilder.File("demo/_native.so", bytes: NativeMagic.elf),
                WheelBuilder.File("demo/__pycache__/x.pyc", bytes: [0]),
            ],
            defects: [.badHash("demo/__init__.py"), .missingRecordRow("demo/__pycache__/x.pyc")])
        builder.wheelText = "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: py3-none-any\n"
        return [clean, try builder.write(in: brokenFolder), try hostile(in: folder)]
    }

    /// `demo-1.0-py3-none-any.whl` in `folder/hostile` with an entry named `demo/<ESC>]0;pwned<BEL>,x:%\r.py`.
    private func hostile(in folder: String) throws -> String {
        let entries = RawWheel.entries([RawZipBuilder.Entry("demo/\u{1B}]0;pwned\u{07},x:%\r.py", "x = 1\n")])
        let path = folder + "/hostile/demo-1.0-py3-none-any.whl"
        try TemporaryDirectory.write(RawZipBuilder(entries: entries).bytes(), to: path)
        return path
    }

    private func run(_ arguments: [String]) -> CommandRun {
        CommandRun.run(["check"] + arguments, environment: [:])
    }

    @Test func githubAnnotationsMatchGolden() throws {
        try TemporaryDirectory.with { folder in
            let result = run(["--format", "github"] + (try fixtures(in: folder)) + [folder + "/missing.whl"])
            #expect(result.status == 1)
            #expect(result.stderr == "")
            #expect(!result.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
            expectGolden(result.stdout.replacingOccurrences(of: folder, with: "TMP"), named: "check-github.txt")
        }
    }

    @Test func sarifLogMatchesGolden() throws {
        try TemporaryDirectory.with { folder in
            let result = run(["--format", "sarif"] + (try fixtures(in: folder)))
            #expect(result.status == 1)
            #expect(result.stderr == "")
            expectGolden(result.stdout.replacingOccurrences(of: folder, with: "TMP"), named: "check-sarif.json")
            // Exact strings: the hostile name comes back byte for byte.
            let log = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let runs = try #require(log["runs"] as? [[String: Any]])
            let results = try #require(runs.first?["results"] as? [[String: Any]])
            let entries = results.compactMap { ($0["properties"] as? [String: Any])?["entry"] as? String }
            #expect(entries.contains("demo/\u{1B}]0;pwned\u{07},x:%\r.py"))
            let rules = try #require(
                (runs.first?["tool"] as? [String: Any]).flatMap { ($0["driver"] as? [String: Any])?["rules"] as? [Any] })
            #expect(rules.count == FindingCode.allCases.count)
        }
    }

    @Test func textReportEscapesControlCharacters() throws {
        try TemporaryDirectory.with { folder in
            let path = try hostile(in: folder)
            let result = run([path])
            #expect(result.status == 1)
            #expect(!result.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
            #expect(result.stdout.contains("!demo/\\x1b]0;pwned\\x07,x:%\\x0d.py: PW205 "))
        }
    }

    @Test func jsonKeepsUntrustedStringsExact() throws {
        try TemporaryDirectory.with { folder in
            let result = run(["--format", "json", try hostile(in: folder)])
            let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let wheels = try #require(document["wheels"] as? [[String: Any]])
            let findings = try #require(wheels.first?["findings"] as? [[String: Any]])
            #expect(findings.contains { $0["entry"] as? String == "demo/\u{1B}]0;pwned\u{07},x:%\r.py" })
        }
    }

    struct EscapeCase: CustomTestStringConvertible, Sendable {
        let input: String
        let expected: String
        var testDescription: String { expected }
    }

    @Test(arguments: [
        EscapeCase(input: "plain/ünïcode.py", expected: "plain/ünïcode.py"),
        EscapeCase(input: "a\u{1B}[2Jb", expected: "a\\x1b[2Jb"),
        EscapeCase(input: "cr\rlf\ntab\tbel\u{07}nul\u{00}", expected: "cr\\x0dlf\\x0atab\\x09bel\\x07nul\\x00"),
        EscapeCase(input: "del\u{7F}c1\u{9B}", expected: "del\\x7fc1\\x9b"),
        EscapeCase(input: "bidi\u{202E}txt\u{2066}", expected: "bidi\\u{202e}txt\\u{2066}"),
    ])
    func terminalEscaping(_ example: EscapeCase) {
        #expect(TerminalText.escape(example.input) == example.expected)
    }

    @Test func diagnosticsEscapeLocationMessageAndHint() {
        struct Hostile: PurewheelError {
            var location: PurewheelBasics.SourceLocation? { .archiveEntry(archive: "x.whl", entry: "a\u{1B}[1Ab") }
            var category: FailureCategory { .badInput }
            var message: String { "bad value \u{07}\r" }
            var hint: String? { "see \u{9B}31m" }
        }
        #expect(DiagnosticRenderer.render(Hostile()) == "error: x.whl!a\\x1b[1Ab: bad value \\x07\\x0d\n  hint: see \\x9b31m\n")
    }

    /// libzip refuses names with C0 controls, so `compare` can only meet C1 controls and bidi overrides.
    @Test func compareEscapesEntryNames() throws {
        try TemporaryDirectory.with { folder in
            let first = folder + "/a/demo-1.0-py3-none-any.whl"
            let second = folder + "/b/demo-1.0-py3-none-any.whl"
            try TemporaryDirectory.write(
                RawZipBuilder(entries: RawWheel.entries([RawZipBuilder.Entry("demo/a.py", "a\n")])).bytes(), to: first)
            let hostile = RawWheel.entries([
                RawZipBuilder.Entry("demo/a.py", "a\n"), RawZipBuilder.Entry("demo/\u{9B}2J\u{202E}.py", "b\n"),
            ])
            try TemporaryDirectory.write(RawZipBuilder(entries: hostile).bytes(), to: second)
            let result = CommandRun.run(["compare", first, second], environment: [:])
            #expect(result.stdout.contains("+ demo/\\x9b2J\\u{202e}.py (only in the second)\n"), "\(result.stdout)\(result.stderr)")
            #expect(!result.stdout.unicodeScalars.contains { $0.value == 0x9B || $0.value == 0x202E })
        }
    }

    /// An unflagged name that is not UTF-8 reads as CP437 glyphs through libzip ("café"); `compare` names it as `check`
    /// does, and tells two such names apart by their bytes.
    @Test func compareNamesUndecodableEntriesAsCheckDoes() throws {
        try TemporaryDirectory.with { folder in
            func unflagged(_ name: [UInt8]) -> RawZipBuilder.Entry {
                var entry = RawZipBuilder.Entry("x", "b\n")
                entry.name = name
                entry.flags = 0
                return entry
            }
            let first = folder + "/a/demo-1.0-py3-none-any.whl"
            let second = folder + "/b/demo-1.0-py3-none-any.whl"
            try TemporaryDirectory.write(
                RawZipBuilder(entries: RawWheel.entries([unflagged(Array("demo/caf".utf8) + [0x82] + Array(".py".utf8))])).bytes(),
                to: first)
            try TemporaryDirectory.write(
                RawZipBuilder(entries: RawWheel.entries([unflagged(Array("demo/caf".utf8) + [0x83] + Array(".py".utf8))])).bytes(),
                to: second)
            let checked = WheelChecker().check(path: first).findings.first { $0.code == .invalidUTF8Name }?.entry
            #expect(checked == "demo/caf\u{FFFD}.py")
            let result = CommandRun.run(["compare", first, second], environment: [:])
            #expect(
                result.stdout == """
                    - demo/caf\u{FFFD}.py (only in the first)
                    + demo/caf\u{FFFD}.py (only in the second)
                    2 of 4 files differ

                    """, "\(result.stdout)\(result.stderr)")
        }
    }

    @Test func githubEscapingFollowsTheToolkit() {
        #expect(GitHubRenderer.escapeData("50% a\r\nb:c,d") == "50%25 a%0D%0Ab:c,d")
        #expect(GitHubRenderer.escapeProperty("dist/a:b,c%.whl") == "dist/a%3Ab%2Cc%25.whl")
    }

    @Test func sarifURIsArePercentEncoded() {
        #expect(SARIFRenderer.uri(for: "dist/a b+c.whl") == "dist/a%20b+c.whl")
        #expect(SARIFRenderer.uri(for: "/abs/ü:x.whl") == "file:///abs/%C3%BC%3Ax.whl")
    }

    @Test func unknownCodesAreUsageErrors() throws {
        try TemporaryDirectory.with { folder in
            let clean = try WheelBuilder().write(in: folder)
            for arguments in [["--select", "PW950"], ["--ignore", "PW99"], ["--select", "PW4,PW0"]] {
                let result = run(arguments + [clean])
                #expect(result.status == 64, "\(arguments)")
                #expect(result.stderr.contains("unknown finding code '\(arguments[1].split(separator: ",").last ?? "")'"))
                #expect(result.stdout == "")
            }
        }
    }

    @Test func unreadableFilesFailWhateverIsSelected() throws {
        try TemporaryDirectory.with { folder in
            let notZip = folder + "/demo-1.0-py3-none-any.whl"
            try TemporaryDirectory.write("not a zip", to: notZip)
            let clean = try WheelBuilder().write(in: folder + "/clean")
            let truncated = folder + "/t/demo-1.0-py3-none-any.whl"
            try TemporaryDirectory.write(Array(try TemporaryDirectory.read(clean).dropLast(30)), to: truncated)
            for arguments in [["--ignore", "PW1"], ["--select", "PW8"], ["--select", "PW4", "--ignore", "PW"]] {
                for path in [notZip, truncated, folder + "/missing-1.0-py3-none-any.whl"] {
                    let result = run(arguments + [path])
                    #expect(result.status == 1, "\(arguments) \(path)")
                    #expect(result.stdout.contains(": PW10"), "\(arguments) \(path)")
                }
            }
        }
    }
}
