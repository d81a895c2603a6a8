import PurewheelBasics
import PurewheelTestSupport
import Synchronization
import Testing
import WheelChecks

/// `whenVetted`: the signal that lets a build read an input while its contents are still being verified.
@Suite struct VettingTests {
    /// Checks `bytes` in memory and tells whether `whenVetted` was called, and how often.
    static func vettings(of bytes: [UInt8], options: CheckOptions = CheckOptions()) -> (calls: Int, report: CheckReport) {
        let calls = Mutex(0)
        let report = WheelChecker(options: options).check(.memory(FileBytes(copying: bytes), label: "demo-1.0-py3-none-any.whl")) {
            calls.withLock { $0 += 1 }
        }
        return (calls.withLock { $0 }, report)
    }

    static func bytes(of builder: WheelBuilder) throws -> [UInt8] {
        try TemporaryDirectory.with { folder in try TemporaryDirectory.read(try builder.write(in: folder)) }
    }

    /// Sound structure and sizes vet the archive once, whatever its contents turn out to be: a wrong hash is found later.
    @Test func soundStructureAndSizesAreVettedOnceContentsOrNot() throws {
        let clean = Self.vettings(of: try Self.bytes(of: ContentScannerTests.wheel()))
        #expect(clean.calls == 1)
        #expect(clean.report.findings == [])
        let tampered = Self.vettings(of: try Self.bytes(of: ContentScannerTests.wheel(defects: [.badHash(ContentScannerTests.big)])))
        #expect(tampered.calls == 1)
        #expect(tampered.report.errorCodes == ["PW405"])
    }

    /// An entry over the limits, an archive that is not a zip and a truncated one are never vetted.
    @Test func overLimitsOrBrokenStructureIsNotVetted() throws {
        var limits = ResourceLimits()
        limits.ratioFloor = 1 << 20
        let bomb = WheelBuilder(files: [WheelBuilder.File("demo/zeros.bin", bytes: [UInt8](repeating: 0, count: 4 << 20))])
        let overRatio = Self.vettings(of: try Self.bytes(of: bomb), options: CheckOptions(limits: limits))
        #expect(overRatio.calls == 0)
        #expect(overRatio.report.codes == ["PW304"])
        #expect(Self.vettings(of: Array("not a wheel".utf8)).calls == 0)
        let whole = try Self.bytes(of: ContentScannerTests.wheel())
        let truncated = Self.vettings(of: Array(whole.dropLast(30)))
        #expect(truncated.calls == 0)
        #expect(truncated.report.hasErrors)
    }
}
