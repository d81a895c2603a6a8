import PurewheelTestSupport
import Testing
import WheelChecks
import WheelModel

@Suite struct ImportNameRulesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var metadataVersion = "2.5"
        var fields: [(String, String)]
        var files = ["spam/__init__.py", "spam/eggs.py", "_spam.py"]
        var tag = WheelTag.py3NoneAny
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a package and a private module", fields: [("Import-Name", "spam"), ("Import-Name", "_spam ; private")], expected: []),
        Case(name: "a submodule", fields: [("Import-Name", "spam.eggs")], expected: []),
        Case(name: "the empty Import-Name", fields: [("Import-Name", "")], expected: []),
        Case(
            name: "a namespace folder without __init__", fields: [("Import-Namespace", "ns")], files: ["ns/part/__init__.py"], expected: []),
        Case(name: "a keyword", fields: [("Import-Name", "spam.class")], expected: ["PW623"]),
        Case(name: "not an identifier", fields: [("Import-Name", "spam-eggs")], expected: ["PW623"]),
        Case(name: "an empty part", fields: [("Import-Name", "spam..eggs")], expected: ["PW623"]),
        Case(name: "an option other than private", fields: [("Import-Name", "spam; public")], expected: ["PW623"]),
        Case(
            name: "a soft keyword is a name", fields: [("Import-Name", "spam"), ("Import-Namespace", "match")],
            files: ["spam/a.py", "match/b.py"], expected: []),
        Case(name: "in both fields", fields: [("Import-Name", "spam"), ("Import-Namespace", "spam")], expected: ["PW624"]),
        Case(name: "Metadata-Version 2.4", metadataVersion: "2.4", fields: [("Import-Name", "spam")], expected: ["PW625"]),
        Case(name: "a name the pure wheel lacks", fields: [("Import-Name", "ham")], expected: ["PW626"]),
        Case(
            name: "only a native extension in a pure wheel", fields: [("Import-Name", "spam._speedups")],
            files: ["spam/__init__.py", "spam/_speedups.cpython-311-x86_64-linux-gnu.so"], expected: ["PW626"]),
        Case(
            name: "a native extension in a platform wheel",
            fields: [("Import-Name", "spam._speedups")], files: ["spam/__init__.py", "spam/_speedups.abi3.so"],
            tag: WheelTag(python: "cp311", abi: "abi3", platform: "manylinux_2_17_x86_64"), expected: []),
        Case(
            name: "a name a platform wheel lacks", fields: [("Import-Name", "spam_win")],
            tag: WheelTag(python: "cp311", abi: "cp311", platform: "manylinux_2_17_x86_64"), expected: ["PW627"]),
        Case(name: "from .data/purelib", fields: [("Import-Name", "ham")], files: ["demo-1.0.data/purelib/ham.py"], expected: []),
        Case(name: "not from .data/data", fields: [("Import-Name", "ham")], files: ["demo-1.0.data/data/ham.py"], expected: ["PW626"]),
        Case(
            name: "not from .dist-info", fields: [("Import-Name", "extra")], files: ["spam.py", "demo-1.0.dist-info/extra.py"],
            expected: ["PW626"]),
    ]

    @Test(arguments: cases)
    func importNames(_ testCase: Case) throws {
        var builder = WheelBuilder(
            tag: testCase.tag, files: testCase.files.map { .init($0, "") }, rootIsPurelib: testCase.tag == .py3NoneAny,
            extraMetadata: testCase.fields)
        builder.metadataText =
            "Metadata-Version: \(testCase.metadataVersion)\nName: demo\nVersion: 1.0\n"
            + testCase.fields.map { "\($0.0): \($0.1)\n" }.joined()
        let report = try check(builder)
        #expect(report.codes.filter { ("PW623"..."PW627").contains($0) } == testCase.expected)
    }

    @Test func severities() {
        #expect(FindingCode.importNameNotProvided.severity == .error)
        #expect(FindingCode.importNameNotInThisFile.severity == .warning)
        #expect(FindingCode.importNameAndNamespace.severity == .error)
    }
}
