import Foundation
import PurewheelTestSupport
import Testing
import WheelModel

@testable import WheelChecks

/// PW140–PW141 (the archive as a whole, as warehouse `_is_valid_dist_file` judges it) and PW515–PW517 (PEP 825 variant
/// wheels), each with a twin that passes.
@Suite struct IndexArchiveAndVariantTests {
    static let pypi = CheckOptions(profile: .pypi)

    /// Checks `builder`'s wheel under another file name.
    static func check(_ builder: WheelBuilder, named name: String, options: CheckOptions = pypi) throws -> CheckReport {
        try TemporaryDirectory.with { folder in
            let path = try builder.write(in: folder)
            let renamed = "\(folder)/\(name)"
            try TemporaryDirectory.write(try TemporaryDirectory.read(path), to: renamed)
            return WheelChecker(options: options).check(path: renamed)
        }
    }

    // MARK: PW140

    @Test func wholeArchiveRatio() throws {
        // 65 MiB of zeros deflate to about 64 KiB: far beyond 50:1, but within the per-entry limit raised here.
        let limits = ResourceLimits(maxCompressionRatio: 100_000)
        let bomb = WheelBuilder(files: [
            WheelBuilder.File("demo/__init__.py", ""), WheelBuilder.File("demo/zeros.bin", bytes: [UInt8](repeating: 0, count: 65 << 20)),
        ])
        let refused = try IndexUploadRulesTestsSupport.check(bomb, options: CheckOptions(limits: limits, profile: .pypi))
        #expect(refused.codes == ["PW140"])
        #expect(refused.errorCodes == ["PW140"])
        #expect(try IndexUploadRulesTestsSupport.check(bomb, options: CheckOptions(limits: limits)).errorCodes == [])
    }

    static let mebibyte: UInt64 = 1 << 20

    @Test(arguments: [
        (id: "over both", total: 64 * mebibyte + 1, size: mebibyte, refused: true),
        (id: "at 50:1 exactly", total: 100 * mebibyte, size: 2 * mebibyte, refused: false),
        (id: "just over 50:1", total: 100 * mebibyte + 1, size: 2 * mebibyte, refused: true),
        (id: "64 MiB exactly", total: 64 * mebibyte, size: 1, refused: false),
    ])
    func ratioBoundaries(id: String, total: UInt64, size: UInt64, refused: Bool) {
        let entry = WheelEntry(
            index: 0, name: "x", unixMode: nil, method: 8, isEncrypted: false, compressedSize: size, uncompressedSize: total)
        let findings = IndexArchiveCheck.run(entries: [entry], fileSize: size, head: [])
        #expect(findings.map(\.code) == (refused ? [.archiveRatioOverIndexLimit] : []))
    }

    // MARK: PW141

    /// A wheel whose first entry's 482-byte name turns the first 512 bytes into a tar header (numeric fields of octal digits),
    /// with the header checksum right or off by one.
    static func polyglot(checksumRight: Bool) -> RawZipBuilder {
        var name = [UInt8](repeating: UInt8(ascii: "a"), count: 482)
        for (index, byte) in "demo/".utf8.enumerated() { name[index] = byte }
        name[250] = UInt8(ascii: "/")
        // Tar offsets 100..<148 and 329..<345 are octal fields; the name starts at file offset 30.
        for offset in Array(100..<148) + Array(329..<345) { name[offset - 30] = UInt8(ascii: "0") }
        func build(_ name: [UInt8]) -> RawZipBuilder {
            let entry = RawZipBuilder.Entry(String(decoding: name, as: UTF8.self), "VALUE = 1\n")
            return RawZipBuilder(entries: RawWheel.entries([entry]))
        }
        let head = build(name).bytes().prefix(512)
        var sum = 256
        for (index, byte) in head.enumerated() where !(148..<156).contains(index) { sum += Int(byte) }
        if !checksumRight { sum += 1 }
        let digits = Array(String(sum, radix: 8).utf8)
        let field = [UInt8](repeating: UInt8(ascii: "0"), count: 7 - digits.count) + digits + [UInt8(ascii: " ")]
        for (index, byte) in field.enumerated() { name[148 - 30 + index] = byte }
        return build(name)
    }

    @Test func zipThatIsAlsoATar() throws {
        let refused = try IndexUploadRulesTestsSupport.check(raw: Self.polyglot(checksumRight: true))
        #expect(refused.hits == [Hit(code: "PW141", entry: nil)])
        #expect(refused.errorCodes == ["PW141"])
        #expect(IndexArchiveCheck.isTarHeader(Self.polyglot(checksumRight: true).bytes()))
        #expect(try IndexUploadRulesTestsSupport.check(raw: Self.polyglot(checksumRight: false)).codes == [])
    }

    // MARK: PW515–PW517

    static let label = "x86_64_v3"
    static let variantName = "demo-1.0-py3-none-any-\(label).whl"

    static func variant(_ json: String?) -> WheelBuilder {
        var files = [WheelBuilder.File("demo/__init__.py", "")]
        if let json { files.append(WheelBuilder.File("demo-1.0.dist-info/variant.json", json)) }
        return WheelBuilder(files: files)
    }

    static func json(label: String = label, namespace: String = "x86_64", listed: String = "x86_64") -> String {
        """
        {"$schema": "https://variants-schema.wheelnext.dev/v0.0.3.json",
         "default-priorities": {"namespace": ["\(listed)"]},
         "variants": {"\(label)": {"\(namespace)": {"level": ["v3"]}}}}
        """
    }

    @Test(arguments: [
        (id: "well-formed", json: json() as String?, codes: ["PW515"]),
        (id: "no variant.json", json: nil, codes: ["PW515", "PW516"]),
        (id: "not JSON", json: "{\"variants\": ", codes: ["PW515", "PW516"]),
        (id: "no default-priorities", json: "{\"$schema\": \"s\", \"variants\": {}}", codes: ["PW515", "PW516"]),
        (id: "namespace spelling", json: json(namespace: "X86", listed: "X86"), codes: ["PW515", "PW516"]),
        (id: "namespace not listed", json: json(listed: "aarch64"), codes: ["PW515", "PW516"]),
        (id: "other label", json: json(label: "x86_64_v4"), codes: ["PW515", "PW517"]),
    ])
    func variantWheels(id: String, json: String?, codes: [String]) throws {
        let strict = try Self.check(Self.variant(json), named: Self.variantName)
        #expect(strict.codes == codes)
        #expect(strict.errorCodes == codes)
        let relaxed = try Self.check(Self.variant(json), named: Self.variantName, options: CheckOptions())
        #expect(relaxed.errorCodes == codes.filter { $0 != "PW515" })
    }

    @Test func nonVariantTwinIsClean() throws {
        // The same wheel without a label in its name: variant.json is then not judged, and the name is a plain wheel's.
        #expect(try Self.check(Self.variant(Self.json()), named: "demo-1.0-py3-none-any.whl").codes == [])
        let invalid = try Self.check(Self.variant(nil), named: "demo-1.0-py3-none-any-X.whl", options: CheckOptions())
        #expect(invalid.codes == ["PW600"])
    }
}

/// The popular-wheels e2e lists, but does not fail on, errors only `--profile pypi` raises: its list must be this profile's.
@Suite struct PypiOnlyListTests {
    @Test func e2eListMatchesTheProfile() throws {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/e2e_popular/evaluate.py")
        let text = try String(contentsOf: script, encoding: .utf8)
        let start = try #require(text.range(of: "PYPI_ONLY = {"))
        let end = try #require(text[start.upperBound...].firstIndex(of: "}"))
        let listed = Set(
            text[start.upperBound..<end].split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
                .filter { $0.hasPrefix("PW") })
        let raised = Set(CheckProfile.pypiErrors.filter { $0.severity == .warning }.map(\.rawValue))
        #expect(listed == raised, "scripts/e2e_popular/evaluate.py PYPI_ONLY differs from CheckProfile.pypiErrors")
    }
}

/// The suite-wide helpers under names that do not clash with the static ones above.
enum IndexUploadRulesTestsSupport {
    static func check(_ builder: WheelBuilder, options: CheckOptions = CheckOptions(profile: .pypi)) throws -> CheckReport {
        try WheelChecksTests.check(builder, options: options)
    }

    static func check(raw: RawZipBuilder, options: CheckOptions = CheckOptions(profile: .pypi)) throws -> CheckReport {
        try WheelChecksTests.check(raw: raw, options: options)
    }
}
