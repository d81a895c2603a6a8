import PurewheelTestSupport
import Testing
import WheelChecks
import WheelModel

@Suite struct ReleaseConsistencyTests {
    private static let linux = WheelTag(python: "cp311", abi: "cp311", platform: "manylinux_2_17_x86_64")
    private static let mac = WheelTag(python: "cp311", abi: "cp311", platform: "macosx_11_0_arm64")

    /// Checks the wheels together in one folder, as `check DIR` does, and returns the cross-wheel findings.
    private func releaseFindings(_ builders: [WheelBuilder], options: CheckOptions = CheckOptions()) throws -> [String: [String]] {
        try TemporaryDirectory.with { folder in
            let checker = WheelChecker(options: options)
            let reports = try builders.map { checker.check(path: try $0.write(in: folder)) }
            return checker.releaseFindings(reports).mapValues { $0.map(\.code.rawValue) }.reduce(into: [:]) { result, item in
                result[String(item.key.split(separator: "/").last ?? "")] = item.value
            }
        }
    }

    private func wheel(_ tag: WheelTag, version: String = "1.0", _ fields: [(String, String)]) -> WheelBuilder {
        WheelBuilder(version: version, tag: tag, rootIsPurelib: false, extraMetadata: fields)
    }

    @Test func agreeingWheelsGiveNothing() throws {
        let fields = [("Requires-Dist", "numpy>=2"), ("Requires-Python", ">=3.9")]
        #expect(try releaseFindings([wheel(Self.linux, fields), wheel(Self.mac, fields)]) == [:])
    }

    @Test func requirementSpellingIsNoDifference() throws {
        let a = wheel(Self.linux, [("Requires-Dist", "NumPy >= 2.0 ; python_version<'3.12'")])
        let b = wheel(Self.mac, [("Requires-Dist", "numpy>=2.0; python_version < \"3.12\"")])
        #expect(try releaseFindings([a, b]) == [:])
    }

    @Test func aMissingDependencyIsNamedOnTheOddWheel() throws {
        let a = wheel(Self.linux, [("Requires-Dist", "numpy>=2"), ("Requires-Dist", "pysam-data")])
        let b = wheel(Self.mac, [("Requires-Dist", "numpy>=2")])
        let found = try releaseFindings([a, b])
        #expect(found == ["demo-1.0-cp311-cp311-macosx_11_0_arm64.whl": ["PW646"]])
    }

    @Test func theFindingNamesBothFilesAndTheField() throws {
        try TemporaryDirectory.with { folder in
            let checker = WheelChecker()
            let first = checker.check(path: try wheel(Self.linux, [("Requires-Python", ">=3.9")]).write(in: folder))
            let second = checker.check(path: try wheel(Self.mac, [("Requires-Python", ">=3.10")]).write(in: folder))
            let finding = try #require(checker.releaseFindings([first, second])[second.path]?.first)
            #expect(finding.message == "Requires-Python differs from \(first.path), another wheel of the same release")
            #expect(finding.expected == ">=3.9" && finding.actual == ">=3.10" && finding.severity == .warning)
        }
    }

    @Test func importNamesMustAgree() throws {
        var a = wheel(Self.linux, [])
        a.metadataText = "Metadata-Version: 2.5\nName: demo\nVersion: 1.0\nImport-Name: demo\n"
        var b = wheel(Self.mac, [])
        b.metadataText = "Metadata-Version: 2.5\nName: demo\nVersion: 1.0\nImport-Name: demo\nImport-Name: demo_extra\n"
        let found = try releaseFindings([a, b])
        #expect(found["demo-1.0-cp311-cp311-macosx_11_0_arm64.whl"] == ["PW647"])
        #expect(FindingCode.releaseImportNamesDiffer.severity == .error)
    }

    @Test func otherReleasesAreNotCompared() throws {
        let a = wheel(Self.linux, [("Requires-Dist", "numpy>=2")])
        let b = wheel(Self.mac, version: "1.1", [("Requires-Dist", "numpy>=3")])
        #expect(try releaseFindings([a, b]) == [:])
    }

    @Test func ignoredCodesStayIgnored() throws {
        let a = wheel(Self.linux, [("Requires-Python", ">=3.9")])
        let b = wheel(Self.mac, [("Requires-Python", ">=3.10")])
        #expect(try releaseFindings([a, b], options: CheckOptions(ignore: ["PW646"])) == [:])
    }
}
