import Foundation
import PurewheelTestSupport
import Testing
import WheelChecks

/// PW212 and PW613–PW619, the MUST / MUST NOT of the binary distribution format, core metadata up to 2.4 and
/// the entry points format: each case trips one rule with a wheel built in code, and a tricky-but-valid wheel
/// next to it stays clean.
@Suite struct SpecRulesTests {
    static let metadata = "demo-1.0.dist-info/METADATA"
    static let entryPoints = "demo-1.0.dist-info/entry_points.txt"

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// METADATA fields after Metadata-Version (given first), Name and Version.
        var metadataVersion = "2.4"
        var fields: [String] = []
        var files: [WheelBuilder.File] = []
        /// Codes expected, in report order; empty for the valid twin.
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "Metadata-Version 3.0", metadataVersion: "3.0", expected: ["PW613"]),
        Case(name: "Metadata-Version 2.7 is only a newer minor", metadataVersion: "2.7", expected: ["PW611"]),
        Case(name: "Metadata-Version 2.4 without License-File", expected: []),
        Case(name: "License-File missing", fields: ["License-File: LICENSE"], expected: ["PW614"]),
        Case(
            name: "License-File at the .dist-info root, not under licenses/", fields: ["License-File: LICENSE"],
            files: [WheelBuilder.File("demo-1.0.dist-info/LICENSE", "MIT")], expected: ["PW614"]),
        Case(
            name: "License-File under licenses/, nested", fields: ["License-File: LICENSES/MIT.txt", "License-File: NOTICE"],
            files: [
                WheelBuilder.File("demo-1.0.dist-info/licenses/LICENSES/MIT.txt", "MIT"),
                WheelBuilder.File("demo-1.0.dist-info/licenses/NOTICE", "n"),
            ],
            expected: []),
        Case(name: "License-File with ..", fields: ["License-File: ../LICENSE"], expected: ["PW614"]),
        Case(
            name: "License-File before 2.4 is not required to exist", metadataVersion: "2.1", fields: ["License-File: LICENSE"],
            // Only packaging.metadata (and so the index) refuses the field before 2.4: a warning by default.
            expected: ["PW641"]),
        Case(name: "License-Expression syntax", fields: ["License-Expression: MIT OR"], expected: ["PW615"]),
        Case(name: "License-Expression unbalanced", fields: ["License-Expression: (MIT AND Apache-2.0"], expected: ["PW615"]),
        Case(
            name: "License-Expression compound",
            fields: ["License-Expression: (MIT OR Apache-2.0) AND GPL-2.0-or-later WITH Classpath-exception-2.0 OR LicenseRef-Own"],
            expected: []),
        Case(name: "Summary twice", fields: ["Summary: a", "Summary: b"], expected: ["PW616"]),
        Case(
            name: "Classifier twice is multiple-use", fields: ["Classifier: Topic :: Utilities", "Classifier: Typing :: Typed"],
            expected: []),
        Case(name: "Requires-Python not a specifier", fields: ["Requires-Python: 3.8+"], expected: ["PW617"]),
        Case(name: "Requires-Python set", fields: ["Requires-Python: >=3.8, !=3.9.*, <4"], expected: []),
        Case(name: "Dynamic Version", fields: ["Dynamic: Version"], expected: ["PW618"]),
        Case(name: "Dynamic Requires-Dist", fields: ["Dynamic: Requires-Dist"], expected: []),
        Case(name: "Provides-Extra not normalized in 2.4", fields: ["Provides-Extra: Dev_Tools"], expected: ["PW621"]),
        Case(name: "Provides-Extra normalized", fields: ["Provides-Extra: dev-tools", "Provides-Extra: s3"], expected: []),
        Case(name: "Provides-Extra spelled freely before 2.3", metadataVersion: "2.1", fields: ["Provides-Extra: Dev_Tools"], expected: []),
        Case(
            name: "Provides-Extra invalid before 2.3", metadataVersion: "2.1", fields: ["Provides-Extra: dev tools!"], expected: ["PW622"]),
        Case(name: "Provides-Extra invalid in 2.4", fields: ["Provides-Extra: -dev"], expected: ["PW622"]),
        Case(name: "Description-Content-Type unknown", fields: ["Description-Content-Type: text/html"], expected: ["PW620"]),
        Case(
            name: "Description-Content-Type bad variant", fields: ["Description-Content-Type: text/x-rst; variant=GFM"], expected: ["PW620"]
        ),
        Case(
            name: "Description-Content-Type Markdown with charset and variant",
            fields: ["Description-Content-Type: text/markdown; charset=UTF-8; variant=\"CommonMark\""], expected: []),
    ]

    @Test(arguments: cases) func coreMetadata(_ testCase: Case) throws {
        var builder = WheelBuilder(files: [WheelBuilder.File("demo/__init__.py", "")] + testCase.files)
        builder.metadataText =
            (["Metadata-Version: \(testCase.metadataVersion)", "Name: demo", "Version: 1.0"] + testCase.fields)
            .joined(separator: "\n") + "\n"
        let report = try check(builder)
        #expect(report.codes == testCase.expected, "\(report.hits)")
    }

    struct EntryPointsCase: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var errorLines: Int
        var testDescription: String { name }
    }

    static let entryPointCases: [EntryPointsCase] = [
        EntryPointsCase(
            name: "valid, with comments, extras, spaces and a plugin group",
            text:
                "# c\n[console_scripts]\ndemo = demo.cli : main [fast, color]\ndemo-x=demo:main\n\n; note\n[demo.plugins]\nx = demo.plugins\n",
            errorLines: 0),
        EntryPointsCase(name: "entry before any group", text: "demo = demo:main\n", errorLines: 1),
        EntryPointsCase(name: "script without :attr", text: "[console_scripts]\ndemo = demo.cli\n", errorLines: 1),
        EntryPointsCase(name: "script with a path", text: "[gui_scripts]\ndemo = demo/cli.py:main\n", errorLines: 1),
        EntryPointsCase(name: "no equals sign", text: "[console_scripts]\ndemo demo:main\n", errorLines: 1),
        EntryPointsCase(name: "section twice", text: "[console_scripts]\na = m:f\n[console_scripts]\nb = m:g\n", errorLines: 1),
        EntryPointsCase(name: "name twice", text: "[console_scripts]\na = m:f\na = m:g\n", errorLines: 1),
        EntryPointsCase(name: "broken header", text: "[console_scripts\na = m:f\n", errorLines: 2),
        EntryPointsCase(name: "script name with a path", text: "[console_scripts]\n../../bin/evil = m:f\n", errorLines: 1),
        EntryPointsCase(name: "plugin name with a path is only data", text: "[demo.plugins]\nx/y = m:f\n", errorLines: 0),
    ]

    @Test(arguments: entryPointCases) func entryPoints(_ testCase: EntryPointsCase) throws {
        let builder = WheelBuilder(files: [WheelBuilder.File("demo/__init__.py", ""), WheelBuilder.File(Self.entryPoints, testCase.text)])
        let report = try check(builder)
        #expect(report.hits == Array(repeating: Hit(code: "PW619", entry: Self.entryPoints), count: testCase.errorLines))
    }

    @Test func installSchemes() throws {
        let good = ["purelib/demo/a.py", "platlib/demo/b.py", "headers/demo.h", "scripts/demo", "data/share/demo/x"]
        let bad = ["lib/demo/c.py", "stray.txt", "Scripts/tool"]
        let files = (good + bad).map { WheelBuilder.File("demo-1.0.data/\($0)", "x") }
        var builder = WheelBuilder(files: files, rootIsPurelib: true)
        builder.tag = .init(python: "cp311", abi: "cp311", platform: "linux_x86_64")
        let report = try check(builder, options: CheckOptions(ignore: ["PW509", "PW514"]))
        #expect(report.hits == bad.map { Hit(code: "PW212", entry: "demo-1.0.data/\($0)") })
    }

    @Test func fileThatIsAlsoAFolder() throws {
        let files = ["demo/__init__.py", "demo/sub", "demo/sub/x.py", "demo/sub/y.py"].map { WheelBuilder.File($0, "x") }
        #expect(try check(WheelBuilder(files: files)).hits == [Hit(code: "PW213", entry: "demo/sub")])
        // An explicit folder entry next to the files inside it is no conflict (its mode says folder: PW132 otherwise).
        var folder = RawZipBuilder.Entry("demo/", "")
        folder.unixMode = 0o040755
        let raw = RawZipBuilder(entries: RawWheel.entries([folder, RawZipBuilder.Entry("demo/__init__.py", "")]))
        #expect(try check(raw: raw).findings == [])
    }

    @Test func otherDataFolderIsPlainContent() throws {
        // Only `{name}-{version}.data` is the wheel's data folder; another `.data` name is an ordinary package dir.
        let builder = WheelBuilder(files: [WheelBuilder.File("other-2.0.data/lib/x.py", "x")])
        #expect(try check(builder).findings == [])
    }

    struct VersionCase: CustomTestStringConvertible, Sendable {
        var fileVersion: String
        var metadataVersion: String
        var matches: Bool
        var testDescription: String { "\(fileVersion) vs \(metadataVersion)" }
    }

    static let versionCases: [VersionCase] = [
        VersionCase(fileVersion: "1.0.0b1", metadataVersion: "1.0.0-beta.1", matches: true),
        VersionCase(fileVersion: "1.0.0_beta.1", metadataVersion: "1.0.0b1", matches: true),
        VersionCase(fileVersion: "1.0.post2", metadataVersion: "1.0-post2", matches: true),
        VersionCase(fileVersion: "2.0rc1", metadataVersion: "2.0.RC1", matches: true),
        VersionCase(fileVersion: "1.0", metadataVersion: "1.0.0", matches: true),
        VersionCase(fileVersion: "1.0.1", metadataVersion: "1.0", matches: false),
        VersionCase(fileVersion: "1.0b1", metadataVersion: "1.0b2", matches: false),
    ]

    /// PW608 and PW603 compare versions by PEP 440, not by spelling.
    @Test(arguments: versionCases) func versionsCompareByPEP440(_ testCase: VersionCase) throws {
        // Folder names escape '-' as '_' (BDF "Escaping and Unicode"), as file names do.
        let escaped = testCase.metadataVersion.replacingOccurrences(of: "-", with: "_")
        let entries = RawWheel.entries([RawZipBuilder.Entry("demo/__init__.py", "")], distInfo: "demo-\(escaped).dist-info")
            .map { entry -> RawZipBuilder.Entry in
                guard String(decoding: entry.name, as: UTF8.self).hasSuffix("/METADATA") else { return entry }
                var copy = entry
                copy.data = Array("Metadata-Version: 2.1\nName: demo\nVersion: \(testCase.metadataVersion)\n".utf8)
                return copy
            }
        // RECORD was computed before METADATA changed: leave hashes out of this test.
        let report = try check(
            raw: RawZipBuilder(entries: entries), name: "demo-\(testCase.fileVersion)-py3-none-any.whl",
            options: CheckOptions(ignore: ["PW4"]))
        // A folder spelled unlike the file name is only the index's refusal (PW629, a warning here).
        #expect(report.codes == (testCase.matches ? ["PW629"] : ["PW603", "PW608"]), "\(report.hits)")
        #expect(report.errorCodes == (testCase.matches ? [] : ["PW603", "PW608"]))
    }
}
