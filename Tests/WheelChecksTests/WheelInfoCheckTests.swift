import PurewheelTestSupport
import Testing
import WheelChecks
import WheelModel

@Suite struct WheelInfoCheckTests {
    static let wheel = "demo-1.0.dist-info/WHEEL"

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "newer major", text: "Wheel-Version: 2.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n", expected: ["PW504"]),
        Case(name: "newer minor", text: "Wheel-Version: 1.1\nRoot-Is-Purelib: true\nTag: py3-none-any\n", expected: ["PW505"]),
        Case(name: "no version", text: "Root-Is-Purelib: true\nTag: py3-none-any\n", expected: ["PW503"]),
        Case(
            name: "purelib false with pure tag", text: "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: py3-none-any\n",
            expected: ["PW507"]),
        Case(name: "purelib missing", text: "Wheel-Version: 1.0\nTag: py3-none-any\n", expected: ["PW506"]),
        Case(name: "no tag", text: "Wheel-Version: 1.0\nRoot-Is-Purelib: true\n", expected: ["PW508"]),
        Case(name: "other tag", text: "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: cp311-cp311-linux_x86_64\n", expected: ["PW509"]),
        Case(
            name: "extra tag", text: "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\nTag: py2-none-any\n",
            expected: ["PW509"]),
        Case(
            name: "compressed tag", text: "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py2.py3-none-any\n",
            expected: ["PW509", "PW510"]),
        Case(
            name: "malformed tag", text: "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none\nTag: py3-none-any\n",
            expected: ["PW510"]),
        Case(
            name: "continuation line", text: "Wheel-Version: 1.0\n  folded\nRoot-Is-Purelib: true\nTag: py3-none-any\n", expected: ["PW502"]
        ),
        Case(
            name: "repeated field", text: "Wheel-Version: 1.0\nWheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
            expected: ["PW512"]),
        Case(
            name: "build without build tag", text: "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\nBuild: 1\n",
            expected: ["PW511"]),
    ]

    @Test(arguments: cases) func wheelFile(_ testCase: Case) throws {
        var builder = WheelBuilder()
        builder.wheelText = testCase.text
        let report = try check(builder)
        #expect(report.codes == testCase.expected)
        #expect(report.findings.allSatisfy { $0.entry == Self.wheel })
    }

    @Test(arguments: [
        (id: "macOS version", file: "cp39-cp39-macosx_12_0_x86_64", wheel: "cp39-cp39-macosx_12_5_x86_64", code: "PW513"),
        (id: "generic linux renamed", file: "cp311-cp311-manylinux1_x86_64", wheel: "cp311-cp311-linux_x86_64", code: "PW513"),
        (id: "other architecture", file: "cp311-cp311-manylinux1_x86_64", wheel: "cp311-cp311-linux_aarch64", code: "PW509"),
        (id: "other OS", file: "cp311-cp311-manylinux1_x86_64", wheel: "cp311-cp311-macosx_11_0_x86_64", code: "PW509"),
    ])
    func platformOnlyTagDifferencesAreWarnings(id: String, file: String, wheel: String, code: String) throws {
        var builder = WheelBuilder(tag: WheelTag(parsing: file)!, rootIsPurelib: false)
        builder.wheelText = "Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: false\nTag: \(wheel)\n"
        let report = try check(builder)
        #expect(report.hits.contains(Hit(code: code, entry: Self.wheel)), "\(id)")
        #expect(report.hasErrors == (code == "PW509"), "\(id)")
    }

    @Test func missingWheelFile() throws {
        let entries = RawWheel.entries([RawZipBuilder.Entry("demo/__init__.py", "")]).filter {
            String(decoding: $0.name, as: UTF8.self) != Self.wheel
        }
        let report = try check(raw: RawZipBuilder(entries: entries), options: CheckOptions(ignore: ["PW404"]))
        #expect(report.hits == [Hit(code: "PW501", entry: Self.wheel)])
    }

    @Test func compressedFilenameTagsMatchExpandedTagLines() throws {
        var builder = WheelBuilder(tag: WheelTag(python: "py2.py3", abi: "none", platform: "any"))
        builder.wheelText = "Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: true\nTag: py2-none-any\nTag: py3-none-any\n"
        #expect(try check(builder).findings == [])
    }

    @Test func buildTagInFilenameAndWheel() throws {
        var builder = WheelBuilder(version: "1.0")
        builder.wheelText = "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\nBuild: 7\n"
        let report = try TemporaryDirectory.with { folder in
            let path = try builder.write(in: folder)
            let renamed = "\(folder)/demo-1.0-7-py3-none-any.whl"
            try TemporaryDirectory.write(try TemporaryDirectory.read(path), to: renamed)
            return WheelChecker().check(path: renamed)
        }
        #expect(report.findings == [])
    }
}
