import PurewheelTestSupport
import Testing
import WheelChecks

@Suite struct MetadataCheckTests {
    static let metadata = "demo-1.0.dist-info/METADATA"

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "other name", text: "Metadata-Version: 2.1\nName: other\nVersion: 1.0\n", expected: ["PW607"]),
        Case(name: "other version", text: "Metadata-Version: 2.1\nName: demo\nVersion: 2.0\n", expected: ["PW608"]),
        Case(name: "invalid version", text: "Metadata-Version: 2.1\nName: demo\nVersion: one\n", expected: ["PW609"]),
        Case(name: "missing fields", text: "Summary: x\n", expected: ["PW606", "PW606", "PW606"]),
        Case(name: "bad requirement", text: "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nRequires-Dist: ???\n", expected: ["PW610"]),
        Case(name: "unknown metadata version", text: "Metadata-Version: 2.9\nName: demo\nVersion: 1.0\n", expected: ["PW611"]),
        Case(name: "newer major metadata version", text: "Metadata-Version: 9.9\nName: demo\nVersion: 1.0\n", expected: ["PW613"]),
        Case(name: "malformed line", text: "Metadata-Version: 2.1\nName: demo\nnot a header\n", expected: ["PW605"]),
        Case(name: "invalid name", text: "Metadata-Version: 2.1\nName: -demo\nVersion: 1.0\n", expected: ["PW612"]),
        Case(name: "respelled name and version", text: "Metadata-Version: 2.1\nName: Demo\nVersion: 1.0\n\nbody text\n", expected: []),
    ]

    @Test(arguments: cases) func metadataFile(_ testCase: Case) throws {
        var builder = WheelBuilder()
        builder.metadataText = testCase.text
        let report = try check(builder)
        #expect(report.codes == testCase.expected)
        #expect(report.findings.allSatisfy { $0.entry == Self.metadata })
    }

    @Test func invalidFilename() throws {
        let report = try TemporaryDirectory.with { folder in
            let path = try WheelBuilder().write(in: folder)
            let renamed = "\(folder)/demo.whl"
            try TemporaryDirectory.write(try TemporaryDirectory.read(path), to: renamed)
            return WheelChecker().check(path: renamed)
        }
        #expect(report.hits == [Hit(code: "PW600", entry: nil)])
        #expect(
            report.findings.map(\.message) == [
                "the file name is not a valid wheel file name: expected 5 or 6 '-'-separated parts, found 1"
            ])
    }

    @Test func distInfoMismatchAndSecondDistInfo() throws {
        let files = [RawZipBuilder.Entry("demo/__init__.py", ""), RawZipBuilder.Entry("other-2.0.dist-info/METADATA", "x")]
        let report = try check(raw: RawZipBuilder(entries: RawWheel.entries(files)))
        #expect(report.codes == ["PW602"])
        let wrong = try check(raw: RawZipBuilder(entries: RawWheel.entries([], distInfo: "demo-2.0.dist-info")))
        #expect(wrong.hits == [Hit(code: "PW603", entry: "demo-2.0.dist-info/")])
    }

    @Test func missingDistInfoAndMetadata() throws {
        let none = try check(raw: RawZipBuilder(entries: [RawZipBuilder.Entry("demo/__init__.py", "")]))
        #expect(none.codes == ["PW601"])
        let entries = RawWheel.entries([]).filter { String(decoding: $0.name, as: UTF8.self) != Self.metadata }
        let report = try check(raw: RawZipBuilder(entries: entries), options: CheckOptions(ignore: ["PW404"]))
        #expect(report.hits == [Hit(code: "PW604", entry: Self.metadata)])
    }
}
