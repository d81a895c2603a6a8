import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing
import WheelChecks

/// PW805–PW811: PEP 770 SBOMs in `.dist-info/sboms/`, each case next to a valid twin.
@Suite struct SBOMCheckTests {
    static let source = "VALUE = 1\n"
    static let sha256Hex = hex(SHA256Digest.of(Array(source.utf8)).bytes)
    static let otherHex = hex(SHA256Digest.of(Array("VALUE = 2\n".utf8)).bytes)

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func digest(_ algorithm: HashAlgorithm, _ text: String) -> String {
        var hasher = StrongDigestHasher(algorithm)
        Array(text.utf8).withUnsafeBytes { hasher.update($0) }
        return hex(hasher.finalize())
    }

    static func cycloneDX(components: String) -> String {
        #"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": ["# + components + "]}"
    }

    static func fileComponent(_ name: String, alg: String = "SHA-256", hash: String = sha256Hex) -> String {
        #"{"type": "file", "name": "\#(name)", "hashes": [{"alg": "\#(alg)", "content": "\#(hash)"}]}"#
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var path = "demo-1.0.dist-info/sboms/demo.cdx.json"
        var bytes: [UInt8]
        /// Codes expected; empty for a valid twin.
        var expected: [String]
        var testDescription: String { name }

        init(_ name: String, path: String = "demo-1.0.dist-info/sboms/demo.cdx.json", _ text: String, _ expected: [String]) {
            self.init(name, path: path, bytes: Array(text.utf8), expected)
        }

        init(_ name: String, path: String = "demo-1.0.dist-info/sboms/demo.cdx.json", bytes: [UInt8], _ expected: [String]) {
            self.name = name
            self.path = path
            self.bytes = bytes
            self.expected = expected
        }
    }

    static let cases: [Case] = [
        Case("CycloneDX, the file's true SHA-256", cycloneDX(components: fileComponent("demo/__init__.py")), []),
        Case("CycloneDX, a wrong SHA-256", cycloneDX(components: fileComponent("demo/__init__.py", hash: otherHex)), ["PW807"]),
        Case(
            "CycloneDX, upper-case hex of the true digest",
            cycloneDX(components: fileComponent("demo/__init__.py", hash: sha256Hex.uppercased())), []),
        Case(
            "CycloneDX, the true SHA-512",
            cycloneDX(components: fileComponent("demo/__init__.py", alg: "SHA-512", hash: digest(.sha512, source))), []),
        Case(
            "CycloneDX, a wrong SHA3-256",
            cycloneDX(components: fileComponent("demo/__init__.py", alg: "SHA3-256", hash: digest(.sha3x256, "other"))), ["PW807"]),
        Case(
            "CycloneDX, the true BLAKE2b-512",
            cycloneDX(components: fileComponent("demo/__init__.py", alg: "BLAKE2b-512", hash: digest(.blake2b, source))), []),
        Case("CycloneDX, only an MD5", cycloneDX(components: fileComponent("demo/__init__.py", alg: "MD5", hash: "00")), ["PW811"]),
        Case("CycloneDX, a file the wheel lacks", cycloneDX(components: fileComponent("demo/gone.py")), ["PW808"]),
        Case(
            "CycloneDX, files of a bundled component are not the wheel's",
            cycloneDX(components: #"{"type": "library", "name": "pip", "components": [\#(fileComponent("pip/__init__.py"))]}"#), []),
        Case("CycloneDX, libraries only (cargo-cyclonedx)", cycloneDX(components: #"{"type": "library", "name": "serde"}"#), []),
        Case(
            "SPDX 2, ./path with the true SHA256",
            #"{"spdxVersion": "SPDX-2.3", "files": [{"fileName": "./demo/__init__.py", "checksums": "#
                + #"[{"algorithm": "SHA256", "checksumValue": "\#(sha256Hex)"}]}]}"#, []),
        Case(
            "SPDX 2, a wrong SHA256",
            #"{"spdxVersion": "SPDX-2.3", "files": [{"fileName": "./demo/__init__.py", "checksums": "#
                + #"[{"algorithm": "SHA256", "checksumValue": "\#(otherHex)"}]}]}"#, ["PW807"]),
        Case(
            "SPDX 3, a wrong sha256",
            #"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [{"type": "software_File", "#
                + #""name": "demo/__init__.py", "verifiedUsing": [{"type": "Hash", "algorithm": "sha256", "hashValue": "\#(otherHex)"}]}]}"#,
            ["PW807"]),
        Case("not JSON", "bomFormat: CycloneDX\n", ["PW805"]),
        Case("a trailing comma", #"{"bomFormat": "CycloneDX", "components": [],}"#, ["PW805"]),
        Case(
            "a duplicate key hides the wrong hash",
            #"{"bomFormat": "CycloneDX", "components": [{"type": "file", "name": "demo/__init__.py", "#
                + #""hashes": [{"alg": "SHA-256", "content": "\#(otherHex)"}], "hashes": []}]}"#, ["PW805"]),
        Case("a byte order mark", bytes: [0xEF, 0xBB, 0xBF] + Array(cycloneDX(components: "").utf8), ["PW805"]),
        Case("not UTF-8", bytes: Array(#"{"bomFormat": "CycloneDX", "x": ""#.utf8) + [0xFF] + Array(#""}"#.utf8), ["PW805"]),
        Case("a lone surrogate escape", #"{"bomFormat": "CycloneDX", "x": "\uD800"}"#, ["PW805"]),
        Case("escapes and numbers", #"{"bomFormat": "CycloneDX", "x": "\u00e9\ud83d\ude00\n", "n": [-0.5e+3, 0, 12]}"#, []),
        Case("JSON of another kind", #"{"name": "demo"}"#, ["PW806"]),
        Case("an SBOM file outside sboms/", path: "demo/bom.cdx.json", cycloneDX(components: ""), ["PW809"]),
        Case("an SPDX file at the .dist-info root", path: "demo-1.0.dist-info/demo.spdx.json", "{}", ["PW809"]),
    ]

    @Test(arguments: cases)
    func sbom(_ testCase: Case) throws {
        let report = try check(
            WheelBuilder(files: [.init("demo/__init__.py", Self.source), .init(testCase.path, bytes: testCase.bytes)]))
        #expect(report.codes == testCase.expected, "\(report.findings)")
    }

    @Test func deepNestingIsRefusedNotFollowed() throws {
        let text =
            #"{"bomFormat": "CycloneDX", "x": "# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        let report = try check(
            WheelBuilder(files: [.init("demo/__init__.py", Self.source), .init("demo-1.0.dist-info/sboms/deep.json", text)]))
        #expect(report.codes == ["PW805"])
    }

    @Test func anSBOMOverTheMetadataLimitFailsClosed() throws {
        let sbom = Self.cycloneDX(components: Self.fileComponent("demo/__init__.py", hash: Self.otherHex))
        let builder = WheelBuilder(files: [.init("demo/__init__.py", Self.source), .init("demo-1.0.dist-info/sboms/big.json", sbom)])
        var limits = ResourceLimits()
        limits.maxMetadataFileSize = UInt64(sbom.utf8.count - 1)
        let report = try check(builder, options: CheckOptions(limits: limits))
        #expect(report.codes == ["PW810"])
        #expect(report.errorCodes == ["PW810"])
        limits.maxMetadataFileSize = UInt64(sbom.utf8.count)
        #expect(try check(builder, options: CheckOptions(limits: limits)).codes == ["PW807"])
    }

    @Test func anSBOMMissingFromRecordIsRefused() throws {
        let path = "demo-1.0.dist-info/sboms/demo.cdx.json"
        let files: [WheelBuilder.File] = [.init("demo/__init__.py", Self.source), .init(path, Self.cycloneDX(components: ""))]
        #expect(try check(WheelBuilder(files: files, defects: [.missingRecordRow(path)])).hits == [Hit(code: "PW403", entry: path)])
        #expect(try check(WheelBuilder(files: files)).codes == [])
    }

    @Test func severities() {
        #expect(FindingCode.sbomMalformed.severity == .error)
        #expect(FindingCode.sbomHashMismatch.severity == .error)
        #expect(FindingCode.sbomUnreadable.severity == .error)
        #expect(FindingCode.sbomNamesMissingFile.severity == .warning)
        #expect(FindingCode.sbomOutsideFolder.severity == .warning)
        #expect(FindingCode.sbomUnknownFormat.severity == .warning)
    }
}
