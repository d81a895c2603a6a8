import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing
import WheelChecks

/// PW129–PW131, PW415–PW416 and every RECORD hash algorithm verified: what a strict reading of APPNOTE and the
/// RECORD spec refuses, each case beside a valid twin.
@Suite struct StrictReadingTests {
    static let source = "VALUE = 1\n"

    static func le16(_ value: UInt16) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    static func le64(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

    static func wheel(_ entry: RawZipBuilder.Entry, record: @escaping (String) -> String = { $0 }) -> RawZipBuilder {
        RawZipBuilder(entries: RawWheel.entries([entry], record: record))
    }

    // MARK: zip structure

    @Test func centralZip64FieldForFieldsThatAreNotSaturated() throws {
        var entry = RawZipBuilder.Entry("demo/__init__.py", Self.source)
        entry.centralExtra = Self.le16(1) + Self.le16(8) + Self.le64(UInt64(Self.source.utf8.count))
        let report = try check(raw: Self.wheel(entry))
        #expect(report.hits == [Hit(code: "PW129", entry: "demo/__init__.py")], "\(report.findings)")
        #expect(report.errorCodes == ["PW129"])
        var twin = RawZipBuilder.Entry("demo/__init__.py", Self.source)
        twin.isZip64 = true
        #expect(try check(raw: Self.wheel(twin)).codes == [])
    }

    @Test func localZip64FieldThatContradictsTheHeader() throws {
        let size = UInt64(Self.source.utf8.count)
        var entry = RawZipBuilder.Entry("demo/__init__.py", Self.source)
        entry.localExtra = Self.le16(1) + Self.le16(16) + Self.le64(size + 100) + Self.le64(size)
        let report = try check(raw: Self.wheel(entry))
        #expect(report.hits == [Hit(code: "PW129", entry: "demo/__init__.py")], "\(report.findings)")
        // protobuf's wheels repeat the header's sizes in an unneeded local field: no reader can misread that.
        var twin = RawZipBuilder.Entry("demo/__init__.py", Self.source)
        twin.localExtra = Self.le16(1) + Self.le16(16) + Self.le64(size) + Self.le64(size)
        #expect(try check(raw: Self.wheel(twin)).codes == [])
    }

    static func directory(_ name: String, _ text: String, method: UInt16 = 0) -> RawZipBuilder.Entry {
        var entry = RawZipBuilder.Entry(name, text, method: method)
        entry.unixMode = 0o040755
        return entry
    }

    @Test func directoryEntryWithData() throws {
        let entries = [Self.directory("demo/data/", "hidden"), RawZipBuilder.Entry("demo/__init__.py", Self.source)]
        let report = try check(raw: RawZipBuilder(entries: RawWheel.entries(entries)))
        #expect(report.hits == [Hit(code: "PW130", entry: "demo/data/")], "\(report.findings)")
        for twin in [Self.directory("demo/data/", ""), Self.directory("demo/data/", "", method: 8)] {
            let clean = [twin, RawZipBuilder.Entry("demo/__init__.py", Self.source)]
            #expect(try check(raw: RawZipBuilder(entries: RawWheel.entries(clean))).codes == [])
        }
    }

    @Test(arguments: [
        ("demo/data", UInt32(0o040755), ["PW132"]), ("demo/data/", UInt32(0o100644), ["PW132"]), ("demo/data/", UInt32(0o040755), []),
        ("demo/data", UInt32(0o100644), []), ("demo/data/", UInt32(0o000644), []),
    ])
    func entryKindAgreesWithTheName(_ name: String, _ mode: UInt32, _ expected: [String]) throws {
        var entry = RawZipBuilder.Entry(name, "")
        entry.unixMode = mode
        let report = try check(raw: RawZipBuilder(entries: RawWheel.entries([entry, .init("demo/__init__.py", Self.source)])))
        #expect(report.codes == expected, "\(report.findings)")
    }

    @Test func bytesAfterTheDeflateStream() throws {
        var entry = RawZipBuilder.Entry("demo/__init__.py", Self.source, method: 8)
        entry.compressedPayload = RawZipBuilder.encode(Array(Self.source.utf8), method: 8) + [0xDE, 0xAD, 0xBE]
        let report = try check(raw: Self.wheel(entry))
        #expect(report.hits == [Hit(code: "PW131", entry: "demo/__init__.py")], "\(report.findings)")
        #expect(report.findings.first?.actual == "3 bytes left")
        #expect(try check(raw: Self.wheel(RawZipBuilder.Entry("demo/__init__.py", Self.source, method: 8))).codes == [])
    }

    // MARK: RECORD text

    static let digest = SHA256Digest.of(Array(source.utf8)).urlSafeBase64

    @Test func paddedDigest() throws {
        let report = try check(
            raw: Self.wheel(.init("demo/__init__.py", Self.source)) { $0.replacingOccurrences(of: Self.digest, with: Self.digest + "=") })
        #expect(report.hits == [Hit(code: "PW415", entry: "demo/__init__.py")], "\(report.findings)")
        #expect(report.errorCodes == ["PW415"])
    }

    @Test func digestWithNonZeroUnusedBits() throws {
        // 32 bytes take 43 characters; the last one's two low bits are padding, zero in the canonical text.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let lastCharacter = try #require(Self.digest.last)
        let last = try #require(alphabet.firstIndex(of: lastCharacter))
        let altered = String(Self.digest.dropLast()) + String(alphabet[last ^ 1])
        let report = try check(
            raw: Self.wheel(.init("demo/__init__.py", Self.source)) { $0.replacingOccurrences(of: Self.digest, with: altered) })
        #expect(report.hits == [Hit(code: "PW415", entry: "demo/__init__.py")], "\(report.findings)")
    }

    @Test func standardAlphabetDigest() throws {
        // A content whose digest needs a URL-safe character, so the standard alphabet spells it differently.
        let text = try #require(
            (0..<200).lazy.map { "VALUE = \($0)\n" }.first { SHA256Digest.of(Array($0.utf8)).urlSafeBase64.contains("-") })
        let urlSafe = SHA256Digest.of(Array(text.utf8)).urlSafeBase64
        let standard = urlSafe.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let report = try check(raw: Self.wheel(.init("demo/__init__.py", text)) { $0.replacingOccurrences(of: urlSafe, with: standard) })
        #expect(report.hits == [Hit(code: "PW414", entry: "demo/__init__.py")], "\(report.findings)")
        #expect(report.findings.first?.message.contains("standard base64 alphabet") == true)
        #expect(try check(raw: Self.wheel(.init("demo/__init__.py", text))).codes == [])
    }

    @Test(arguments: [
        ("\r", ["PW416"]), ("\u{0C}", ["PW402", "PW416"]), ("\u{2028}", ["PW402", "PW416"]), ("\u{85}", ["PW402", "PW416"]),
        ("\r\n", []), ("\n", []),
    ])
    func recordLineBreaks(_ lineBreak: String, _ expected: [String]) throws {
        let report = try check(
            raw: Self.wheel(.init("demo/__init__.py", Self.source)) { $0.replacingOccurrences(of: "\n", with: lineBreak) })
        #expect(Array(Set(report.codes)).sorted() == expected, "\(report.findings)")
        if expected.contains("PW416") { #expect(report.findings.contains { $0.code == .irregularRecordLineBreak && $0.recordLine == 1 }) }
    }

    // MARK: RECORD hash algorithms

    static func digest(_ algorithm: HashAlgorithm, _ text: String) -> String {
        var hasher = StrongDigestHasher(algorithm)
        Array(text.utf8).withUnsafeBytes { hasher.update($0) }
        return Base64URL.encode(hasher.finalize())
    }

    @Test(arguments: HashAlgorithm.strongBesidesSHA256)
    func everyAllowedAlgorithmIsVerified(_ algorithm: HashAlgorithm) throws {
        #expect(algorithm.isAvailable)
        let right = "\(algorithm.rawValue)=\(Self.digest(algorithm, Self.source))"
        let wrong = "\(algorithm.rawValue)=\(Self.digest(algorithm, "VALUE = 2\n"))"
        let rowHash = "sha256=\(Self.digest)"
        let clean = try check(raw: Self.wheel(.init("demo/__init__.py", Self.source)) { $0.replacingOccurrences(of: rowHash, with: right) })
        #expect(clean.codes == [], "\(clean.findings)")
        let tampered = try check(
            raw: Self.wheel(.init("demo/__init__.py", Self.source)) { $0.replacingOccurrences(of: rowHash, with: wrong) })
        #expect(tampered.hits == [Hit(code: "PW405", entry: "demo/__init__.py")], "\(tampered.findings)")
    }

    @Test func wrongSHA3DigestNoLongerPassesWithAWarning() throws {
        let report = try check(WheelBuilder(defects: [.recordAlgorithm("sha3_256")]))
        #expect(report.errorCodes.contains("PW405"))
        #expect(!report.codes.contains("PW409"))
        #expect(FindingCode.unverifiableHashAlgorithm.severity == .error)
    }

    @Test func knownVectors() {
        func hex(_ algorithm: HashAlgorithm) -> String {
            var hasher = StrongDigestHasher(algorithm)
            Array("abc".utf8).withUnsafeBytes { hasher.update($0) }
            return hasher.finalize().map { String(format: "%02x", $0) }.joined()
        }
        #expect(hex(.sha3x256) == "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532")
        #expect(hex(.blake2s) == "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982")
        #expect(hex(.blake2b).hasPrefix("ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"))
        #expect(HashAlgorithm.allCases.allSatisfy { hex($0).count == $0.digestLength * 2 })
    }
}
