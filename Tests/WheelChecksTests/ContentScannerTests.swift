import PurewheelBasics
import PurewheelTestSupport
import Testing

@testable import WheelChecks
@testable import ZipInspection

/// The content reader: compressed bytes read at verified offsets, inflated (ISA-L or zlib), CRC-checked,
/// and the largest entry split over two threads.
@Suite struct ContentScannerTests {
    static let big = "demo/big.bin"

    /// 12 MiB that deflate compresses only partly, so the big entry is read in many 1 MiB chunks: a 64 KiB
    /// block (longer than deflate's 32 KiB window, so repeats are not found) of pseudo-random bytes, repeated.
    static let bigBytes: [UInt8] = {
        var state: UInt32 = 2_463_534_242
        let block = (0..<(64 << 10)).map { index in
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            return index % 3 == 0 ? UInt8(truncatingIfNeeded: state) : UInt8(index % 251)
        }
        return Array([[UInt8]](repeating: block, count: 192).joined())
    }()

    static func wheel(defects: [WheelBuilder.Defect] = []) -> WheelBuilder {
        let small = (0..<40).map { WheelBuilder.File("demo/m\($0).py", "VALUE = \($0)\n" + String(repeating: "#", count: $0 * 100)) }
        return WheelBuilder(files: [WheelBuilder.File(big, bytes: bigBytes)] + small, defects: defects)
    }

    @Test func largestEntryPipelinedOverTwoThreadsIsVerified() throws {
        #expect(try check(Self.wheel()).findings == [])
        let tampered = try check(Self.wheel(defects: [.badHash(Self.big), .badHash("demo/m7.py")]))
        #expect(tampered.hits == [Hit(code: "PW405", entry: Self.big), Hit(code: "PW405", entry: "demo/m7.py")])
    }

    @Test func oneWorkerAndTwoWorkersAgree() throws {
        let builder = Self.wheel(defects: [.badHash(Self.big), .badSize("demo/m3.py")])
        try TemporaryDirectory.with { folder in
            let path = try builder.write(in: folder)
            #expect(WheelChecker(options: CheckOptions(workerCount: 1)).check(path: path) == WheelChecker().check(path: path))
        }
    }

    /// The hashing thread reads a large entry of its own while the largest one is inflated, taking that
    /// entry's chunks in between: both are verified, and one thread finds the same.
    @Test func hashingThreadReadsALargeEntryOfItsOwnMeanwhile() throws {
        let second = WheelBuilder.File("demo/second.bin", bytes: Array(Self.bigBytes.prefix(6 << 20).reversed()))
        let builder = WheelBuilder(
            files: [WheelBuilder.File(Self.big, bytes: Self.bigBytes), second] + Self.wheel().files.dropFirst(),
            defects: [.badHash(Self.big), .badHash("demo/second.bin")])
        try TemporaryDirectory.with { folder in
            let path = try builder.write(in: folder)
            let report = WheelChecker().check(path: path)
            #expect(report.hits == [Hit(code: "PW405", entry: Self.big), Hit(code: "PW405", entry: "demo/second.bin")])
            #expect(WheelChecker(options: CheckOptions(workerCount: 1)).check(path: path) == report)
        }
    }

    @Test func planPipelinesTheLargestEntryAndBalancesTheRest() {
        func job(_ index: Int, _ size: UInt64) -> ContentJob {
            ContentJob(index: index, dataOffset: 0, compressedSize: size / 2, declaredSize: size, crc32: 0, method: 8, strongAlgorithms: [])
        }
        let jobs = [job(0, 1 << 20), job(1, 400 << 20), job(2, 100 << 20), job(3, 100 << 20), job(4, 2 << 20)]
        let plan = DirectContentScanner.plan(jobs, workers: 2, parallelThreshold: 4 << 20, pipelineThreshold: 8 << 20)
        let first = plan.first.map { jobs[$0] }
        let second = plan.second.map { jobs[$0] }
        #expect(plan.pipelined.map { jobs[$0].index } == 1)
        #expect(Set((first + second).map(\.index)) == [0, 2, 3, 4])
        #expect(first.map(\.index) == first.map(\.index).sorted())
        #expect(second.map(\.index) == second.map(\.index).sorted())
        // The hashing thread already carries the big entry's hashing, so the inflating thread is not given
        // both 100 MiB entries on top of its inflate.
        #expect(second.contains { $0.declaredSize == 100 << 20 })
        let single = DirectContentScanner.plan(jobs, workers: 1, parallelThreshold: 4 << 20, pipelineThreshold: 8 << 20)
        #expect(single == DirectContentScanner.Plan(pipelined: nil, first: [0, 1, 2, 3, 4], second: []))
    }

    @Test func deflateStreamThatStopsEarlyIsUnreadable() throws {
        var entry = RawZipBuilder.Entry("demo/__init__.py", "A", method: 8)
        // One stored deflate block holding "A", not marked final: the stream never ends.
        entry.compressedPayload = [0x00, 0x01, 0x00, 0xFE, 0xFF, 0x41]
        let report = try check(raw: RawZipBuilder(entries: RawWheel.entries([entry])), options: CheckOptions(select: ["PW119"]))
        #expect(report.hits == [Hit(code: "PW119", entry: "demo/__init__.py")])
        #expect(report.findings.first?.message.contains("ends before the deflate stream does") == true)
    }

    @Test func storedEntryLongerThanDeclaredIsStopped() throws {
        var entry = RawZipBuilder.Entry("demo/__init__.py", "VALUE = 1\n")
        entry.declaredUncompressedSize = 4
        let report = try check(raw: RawZipBuilder(entries: RawWheel.entries([entry])), options: CheckOptions(select: ["PW305", "PW119"]))
        #expect(report.hits == [Hit(code: "PW305", entry: "demo/__init__.py")])
    }

    /// Small entries are read through a window of the file; damage far into a wheel of thousands of them is
    /// still found on the right entry, stored or deflated, with one thread or two.
    @Test func smallEntriesAcrossManyWindowsAreEachVerified() throws {
        var files = (0..<3000).map { index in
            RawZipBuilder.Entry(
                "demo/p\(index / 100)/m\(index).py", "VALUE = \(index)\n" + String(repeating: "x = \(index)\n", count: 12),
                method: index % 2 == 0 ? 8 : 0)
        }
        // A deflate stream that never ends, a CRC that matches neither header's data, and stored bytes changed after RECORD was written.
        files[2400].compressedPayload = [0x00, 0x01, 0x00, 0xFE, 0xFF, 0x41]
        files[2600].centralCRC = 0x1234_5678
        files[2600].localCRC = 0x1234_5678
        let entries = RawWheel.entries(files) { record in
            record.replacingOccurrences(
                of: "demo/p27/m2701.py,sha256=\(SHA256Digest.of(files[2701].data).urlSafeBase64)",
                with: "demo/p27/m2701.py,sha256=\(SHA256Digest.of([]).urlSafeBase64)")
        }
        let expected = [
            Hit(code: "PW119", entry: "demo/p24/m2400.py"), Hit(code: "PW119", entry: "demo/p26/m2600.py"),
            Hit(code: "PW405", entry: "demo/p27/m2701.py"),
        ]
        for workers in [1, 2] {
            let report = try check(
                raw: RawZipBuilder(entries: entries), options: CheckOptions(select: ["PW119", "PW405"], workerCount: workers))
            #expect(report.hits == expected, "\(workers) workers")
        }
    }

    /// The digester keeps no prefix for a file whose first byte starts no known format: no other first byte
    /// may make `NativeFormat.detect` answer.
    @Test func firstBytesCoverEveryDetectedFormat() {
        let samples: [[UInt8]] = [
            [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0], [0xCE, 0xFA, 0xED, 0xFE], [0xCF, 0xFA, 0xED, 0xFE], [0xFE, 0xED, 0xFA, 0xCE],
            [0xFE, 0xED, 0xFA, 0xCF], [0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 2], [0xCA, 0xFE, 0xBA, 0xBF, 0, 0, 0, 2],
            Array("!<arch>\n".utf8), Array("!<thin>\n".utf8), NativeMagic.pe,
        ].map { $0 + [UInt8](repeating: 0, count: 64) }
        for sample in samples {
            #expect(NativeFormat.detect(sample) != nil)
            #expect(NativeFormat.firstBytes.contains(sample[0]))
            for byte in UInt8.min...UInt8.max where !NativeFormat.firstBytes.contains(byte) {
                #expect(NativeFormat.detect([byte] + sample.dropFirst()) == nil)
            }
        }
    }

    @Test func nameLookupUsesTheFirstEntryOfAName() {
        let entries = ["a", "b", "a"].enumerated().map { index, name in
            WheelEntry(
                index: index, name: name, unixMode: nil, method: 0, isEncrypted: false, compressedSize: 0, uncompressedSize: UInt64(index))
        }
        let wheel = WheelSnapshot(path: "x.whl", filename: nil, entries: entries, contentsAvailable: true, smallFiles: [:], scans: [:])
        #expect(wheel.entry(named: "a")?.index == 0)
        #expect(wheel.entry(named: "b")?.index == 1)
        #expect(wheel.entry(named: "c") == nil)
    }
}
