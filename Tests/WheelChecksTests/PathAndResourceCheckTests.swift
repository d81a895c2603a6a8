import Foundation
import PurewheelTestSupport
import Testing
import WheelChecks

@Suite struct PathCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var entry: RawZipBuilder.Entry
        var expected: Hit
        var testDescription: String { name }
    }

    static func entry(_ name: String, mode: UInt32? = 0o100644, flags: UInt16 = 0x0800) -> RawZipBuilder.Entry {
        var entry = RawZipBuilder.Entry(name, "X = 1\n")
        entry.unixMode = mode
        entry.flags = flags
        return entry
    }

    static let cases: [Case] = [
        Case(name: "parent reference", entry: entry("demo/../../evil.py"), expected: Hit(code: "PW201", entry: "demo/../../evil.py")),
        Case(name: "absolute", entry: entry("/etc/evil.py"), expected: Hit(code: "PW202", entry: "/etc/evil.py")),
        Case(name: "drive letter", entry: entry("C:evil.py"), expected: Hit(code: "PW203", entry: "C:evil.py")),
        Case(name: "backslash", entry: entry("demo\\evil.py"), expected: Hit(code: "PW204", entry: "demo\\evil.py")),
        Case(name: "control character", entry: entry("demo/a\u{1}.py"), expected: Hit(code: "PW205", entry: "demo/a\u{1}.py")),
        Case(name: "NUL", entry: entry("demo/a\u{0}.py"), expected: Hit(code: "PW205", entry: "demo/a\u{0}.py")),
        Case(name: "empty segment", entry: entry("demo//x.py"), expected: Hit(code: "PW206", entry: "demo//x.py")),
        Case(name: "dot segment", entry: entry("demo/./x.py"), expected: Hit(code: "PW206", entry: "demo/./x.py")),
        Case(name: "symlink", entry: entry("demo/link.py", mode: 0o120777), expected: Hit(code: "PW207", entry: "demo/link.py")),
        Case(name: "fifo", entry: entry("demo/pipe", mode: 0o010644), expected: Hit(code: "PW208", entry: "demo/pipe")),
        Case(name: "device", entry: entry("demo/dev", mode: 0o020644), expected: Hit(code: "PW208", entry: "demo/dev")),
        Case(name: "case collision", entry: entry("DEMO/__init__.py"), expected: Hit(code: "PW209", entry: "DEMO/__init__.py")),
        Case(
            name: "unicode normalization collision", entry: entry("demo/cafe\u{301}.py"),
            expected: Hit(code: "PW209", entry: "demo/cafe\u{301}.py")),
        Case(name: "non-ASCII without UTF-8 flag", entry: entry("demo/é.py", flags: 0), expected: Hit(code: "PW211", entry: "demo/é.py")),
    ]

    @Test(arguments: cases) func path(_ testCase: Case) throws {
        let files = [RawZipBuilder.Entry("demo/__init__.py", ""), RawZipBuilder.Entry("demo/café.py", ""), testCase.entry]
        let report = try check(raw: RawZipBuilder(entries: RawWheel.entries(files)), options: CheckOptions(select: ["PW2"]))
        #expect(report.hits == [testCase.expected])
    }

    @Test func invalidUTF8Name() throws {
        var bad = RawZipBuilder.Entry("demo/x.py", "")
        bad.name = Array("demo/".utf8) + [0xFF, 0xFE] + Array(".py".utf8)
        let report = try check(raw: RawZipBuilder(entries: RawWheel.entries([bad])), options: CheckOptions(select: ["PW210"]))
        #expect(report.codes == ["PW210"])
        #expect(report.hasErrors)
    }
}

@Suite struct ResourceCheckTests {
    static let big = "demo/zeros.bin"

    @Test func compressionRatioOverLimit() throws {
        var limits = ResourceLimits()
        limits.ratioFloor = 1 << 20
        let builder = WheelBuilder(files: [WheelBuilder.File(Self.big, bytes: [UInt8](repeating: 0, count: 4 << 20))])
        let report = try check(builder, options: CheckOptions(limits: limits))
        #expect(report.hits == [Hit(code: "PW304", entry: Self.big)])
    }

    @Test func entryInflatingPastItsDeclaredSizeIsStopped() throws {
        var bomb = RawZipBuilder.Entry(Self.big, bytes: [UInt8](repeating: 0, count: 3 << 20), method: 8)
        bomb.declaredUncompressedSize = 1000
        let report = try check(raw: RawZipBuilder(entries: RawWheel.entries([bomb])), options: CheckOptions(select: ["PW3", "PW119"]))
        #expect(report.hits == [Hit(code: "PW305", entry: Self.big)])
        #expect(report.findings.first?.actual?.hasPrefix("at least") == true)
    }

    @Test func declaredSizesOverLimits() throws {
        let builder = WheelBuilder(files: [WheelBuilder.File(Self.big, bytes: [UInt8](repeating: 7, count: 1000))])
        var limits = ResourceLimits()
        limits.maxEntrySize = 500
        #expect(try check(builder, options: CheckOptions(limits: limits)).hits == [Hit(code: "PW302", entry: Self.big)])
        limits = ResourceLimits()
        limits.maxTotalSize = 100
        #expect(try check(builder, options: CheckOptions(limits: limits)).hits == [Hit(code: "PW303", entry: nil)])
        limits = ResourceLimits()
        limits.maxEntries = 2
        #expect(try check(builder, options: CheckOptions(limits: limits)).hits == [Hit(code: "PW301", entry: nil)])
    }
}

@Suite struct HygieneCheckTests {
    @Test func bytecodeAndFilesOutsideTopLevel() throws {
        let files = [
            WheelBuilder.File("demo/__init__.py", ""),
            WheelBuilder.File("demo/__pycache__/x.cpython-311.pyc", bytes: [0x55, 0x0D, 0x0D, 0x0A]),
            WheelBuilder.File("stray.py", ""), WheelBuilder.File("demo-1.0.dist-info/top_level.txt", "demo\n"),
        ]
        let report = try check(WheelBuilder(files: files))
        #expect(report.hits == [Hit(code: "PW801", entry: "demo/__pycache__/x.cpython-311.pyc"), Hit(code: "PW802", entry: "stray.py")])
        #expect(!report.hasErrors)
    }
}

/// Unusual but valid wheels that must give no error.
@Suite struct TrickyValidWheelTests {
    @Test func reorderedEntriesDirectoriesPurelibAndUTF8Names() throws {
        var entries = RawWheel.entries([
            RawZipBuilder.Entry("demo/", ""), RawZipBuilder.Entry("demo/__init__.py", "", method: 8),
            RawZipBuilder.Entry("demo/données/日本.py", "X = 1\n"), RawZipBuilder.Entry("demo-1.0.data/purelib/extra.py", "Y = 2\n"),
            RawZipBuilder.Entry("demo-1.0.data/scripts/tool", "#!python\n"),
        ])
        entries.reverse()  // RECORD first, payload last
        entries[entries.count - 1].unixMode = 0o040755
        let report = try check(raw: RawZipBuilder(entries: entries))
        #expect(report.findings == [])
    }

    @Test func checkingTwiceGivesTheSameReport() throws {
        let builder = WheelBuilder(defects: [.badHash("demo/__init__.py"), .missingRecordRow("demo-1.0.dist-info/WHEEL")])
        try TemporaryDirectory.with { folder in
            let path = try builder.write(in: folder)
            #expect(WheelChecker().check(path: path) == WheelChecker(options: CheckOptions(workerCount: 1)).check(path: path))
        }
    }

    @Test func selectAndIgnore() throws {
        let builder = WheelBuilder(defects: [.badHash("demo/__init__.py"), .missingRecordRow("demo-1.0.dist-info/WHEEL")])
        #expect(try check(builder).codes == ["PW403", "PW405"])
        #expect(try check(builder, options: CheckOptions(select: ["PW405"])).codes == ["PW405"])
        #expect(try check(builder, options: CheckOptions(ignore: ["PW40"])).codes == [])
        #expect(try check(builder, options: CheckOptions(select: ["PW4"], ignore: ["PW403"])).codes == ["PW405"])
    }
}
