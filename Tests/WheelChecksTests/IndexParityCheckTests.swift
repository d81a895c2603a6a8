import PurewheelTestSupport
import Testing
import WheelChecks

/// PW122–PW128 and `--profile pypi`: the zip features PyPI's upload validation refuses (warehouse
/// `validate_zipfile`), each tripped by a raw archive built in code, next to a tricky archive that stays clean.
@Suite struct IndexParityCheckTests {
    static let initPy = "demo/__init__.py"

    static func wheel(_ edit: (inout RawZipBuilder) -> Void = { _ in }) -> RawZipBuilder {
        var builder = RawZipBuilder(entries: RawWheel.entries([RawZipBuilder.Entry(initPy, "VALUE = 1\n", method: 8)]))
        edit(&builder)
        return builder
    }

    /// An extra field: id, length, data.
    static func extra(_ id: UInt16, _ data: [UInt8]) -> [UInt8] {
        [UInt8(id & 0xFF), UInt8(id >> 8), UInt8(data.count & 0xFF), UInt8(data.count >> 8)] + data
    }

    /// An Info-ZIP Unicode Path field (version 1, CRC-32 of the header name, the UTF-8 name).
    static func unicodePath(_ name: [UInt8], headerName: String = initPy) -> [UInt8] {
        let crc = CRC32.checksum(Array(headerName.utf8))
        return extra(0x7075, [1, UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 24)] + name)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var edit: @Sendable (inout RawZipBuilder) -> Void
        var code: String
        var severity: Severity
        var entry: String? = IndexParityCheckTests.initPy
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "data descriptor", edit: { $0.entries[0].usesDataDescriptor = true }, code: "PW122", severity: .warning),
        Case(name: "central comment", edit: { $0.entries[0].centralComment = Array("hi".utf8) }, code: "PW123", severity: .warning),
        Case(
            name: "two Unicode Path fields",
            edit: { $0.entries[0].centralExtra = unicodePath(Array(initPy.utf8)) + unicodePath(Array(initPy.utf8)) },
            code: "PW124", severity: .error),
        Case(
            name: "two ZIP64 fields in a local header",
            edit: {
                $0.entries[0].isZip64 = true
                $0.entries[0].localExtra = extra(1, [UInt8](repeating: 0, count: 16))
            },
            code: "PW124", severity: .error),
        Case(name: "extra field overruns", edit: { $0.entries[0].localExtra = [0x55, 0x54, 9, 0, 1] }, code: "PW125", severity: .error),
        Case(name: "three stray extra bytes", edit: { $0.entries[0].centralExtra = [0, 0, 0] }, code: "PW125", severity: .error),
        Case(
            name: "local ZIP64 field of 12 bytes",
            edit: {
                $0.entries[0].isZip64 = true
                $0.entries[0].localZip64Data = [UInt8](repeating: 0, count: 12)
            },
            code: "PW125", severity: .error),
        Case(
            name: "local ZIP64 field with one size for a deflated entry",
            edit: {
                $0.entries[0].isZip64 = true
                $0.entries[0].localZip64Data = [10, 0, 0, 0, 0, 0, 0, 0]
            },
            code: "PW125", severity: .error),
        Case(
            name: "Unicode Path names another file",
            edit: { $0.entries[0].centralExtra = unicodePath(Array("demo/evil.py".utf8)) }, code: "PW126", severity: .error),
        Case(
            name: "Unicode Path in the local header not UTF-8",
            edit: { $0.entries[0].localExtra = unicodePath([0x64, 0xFF, 0xFE]) }, code: "PW126", severity: .error),
        Case(
            name: "ZIP64 end record with extensible data",
            edit: {
                $0.writesZip64EndRecord = true
                $0.zip64ExtensibleData = [1, 0, 4, 0, 0, 0, 0, 0]
            },
            code: "PW127", severity: .warning, entry: nil),
        Case(
            name: "digital signature record between entries", edit: { $0.gaps[0] = [0x50, 0x4B, 0x05, 0x05, 0, 0] }, code: "PW128",
            severity: .warning, entry: nil),
    ]

    @Test(arguments: cases) func indexRuleTrips(_ testCase: Case) throws {
        let raw = Self.wheel(testCase.edit)
        let report = try check(raw: raw)
        let found = report.findings.filter { $0.code.rawValue == testCase.code }
        #expect(found.map(\.entry).contains(testCase.entry), "\(report.hits)")
        #expect(found.allSatisfy { $0.severity == testCase.severity })
        // Under --profile pypi every rule the index enforces is an error.
        let strict = try check(raw: raw, options: CheckOptions(profile: .pypi))
        #expect(strict.findings.filter { $0.code.rawValue == testCase.code }.allSatisfy { $0.severity == .error })
        #expect(strict.hasErrors)
    }

    @Test func trickyButValidExtrasAreClean() throws {
        // A Unicode Path field that repeats the header's UTF-8 name, an unknown extra field twice (only ZIP64 and
        // Unicode Path must be unique), a stored ZIP64 entry whose local field holds both sizes, and a ZIP64 end
        // record of exactly 44 bytes: all valid, and accepted by the index.
        let raw = Self.wheel { builder in
            builder.entries[0].localExtra = Self.unicodePath(Array(Self.initPy.utf8)) + Self.extra(0xCAFE, [1]) + Self.extra(0xCAFE, [2])
            builder.entries[0].centralExtra = Self.unicodePath(Array(Self.initPy.utf8))
            builder.entries[1].isZip64 = true
            builder.entries[1].method = 0
            builder.writesZip64EndRecord = true
            // An archive comment is not an entry comment: the index allows it.
            builder.comment = Array("built by hand".utf8)
        }
        #expect(try check(raw: raw).findings == [])
        #expect(try check(raw: raw, options: CheckOptions(profile: .pypi)).findings == [])
    }

    @Test func unusedBytesAreAnErrorOnlyUnderPyPI() throws {
        let raw = Self.wheel { $0.gaps[0] = [0, 0, 0, 0] }
        #expect(try check(raw: raw).codes == ["PW120"])  // bytes that are no record signature are not PW128
        #expect(try check(raw: raw).findings.filter { $0.code.rawValue == "PW120" }.map(\.severity) == [.warning])
        #expect(
            try check(raw: raw, options: CheckOptions(profile: .pypi)).findings.filter { $0.code.rawValue == "PW120" }.map(\.severity) == [
                .error
            ])
    }

    @Test func profileRaisesOnlyTheIndexRules() {
        for code in FindingCode.allCases {
            let strict = CheckProfile.pypi.severity(of: code)
            #expect(strict == (CheckProfile.pypiErrors.contains(code) ? .error : code.severity), "\(code.rawValue)")
            #expect(CheckProfile.default.severity(of: code) == code.severity)
        }
    }
}
