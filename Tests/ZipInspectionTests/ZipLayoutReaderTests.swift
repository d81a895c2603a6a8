import PurewheelBasics
import PurewheelTestSupport
import Testing

@testable import ZipInspection

/// The reader's own verdicts: typed anomalies with the entry and offsets they concern, in the order it met them.
@Suite struct ZipLayoutReaderTests {
    static let initPy = "demo/__init__.py"

    /// Reads `builder`'s bytes from memory, with the default limits of `check`.
    private func read(_ builder: RawZipBuilder) -> (anomalies: [ZipAnomaly], layout: ZipLayout?) {
        read(builder.bytes())
    }

    private func read(_ bytes: [UInt8]) -> (anomalies: [ZipAnomaly], layout: ZipLayout?) {
        var reader = ZipLayoutReader(
            file: RandomAccessFile(bytes: FileBytes(copying: bytes)), maxEntries: 100_000, maxCentralDirectoryBytes: 64 << 20)
        let layout = reader.read()
        return (reader.anomalies, layout)
    }

    private func wheel(_ edit: (inout RawZipBuilder) -> Void = { _ in }) -> RawZipBuilder {
        var builder = RawZipBuilder(entries: RawWheel.entries([RawZipBuilder.Entry(Self.initPy, "VALUE = 1\n", method: 8)]))
        edit(&builder)
        return builder
    }

    @Test func validArchiveHasNoAnomaliesAndEveryEntryWithItsLocalHeader() {
        let (anomalies, layout) = read(wheel())
        #expect(anomalies == [])
        let names = layout?.entries.map(\.name)
        #expect(names?.first == Self.initPy)
        #expect(names?.count == 4)
        #expect(layout?.locals.allSatisfy { $0 != nil } == true)
    }

    @Test func bytesThatAreNoZipHaveNoLayout() {
        let (anomalies, layout) = read(Array("not a zip archive".utf8))
        #expect(anomalies == [.endRecords(.noEndRecord(fileSize: 17))])
        #expect(layout == nil)
    }

    @Test func duplicateNameNamesBothEntries() {
        let (anomalies, _) = read(wheel { $0.entries.insert(RawZipBuilder.Entry(Self.initPy, "EVIL = 1\n"), at: 1) })
        #expect(anomalies == [.entries(.duplicateName(entry: Self.initPy, first: 0, index: 1))])
    }

    @Test func localHeaderMismatchesCarryBothValues() {
        let (anomalies, _) = read(
            wheel {
                $0.entries[0].localMethod = 0
                $0.entries[0].localCRC = 1
            })
        #expect(anomalies.contains(.localHeaders(.localMethodMismatch(entry: Self.initPy, central: 8, local: 0))))
        let crc = anomalies.compactMap { anomaly -> UInt32? in
            guard case .localHeaders(.localCRCMismatch(Self.initPy, _, let local)) = anomaly else { return nil }
            return local
        }
        #expect(crc == [1])
    }

    @Test func anEntryCompressedByAnotherMethodIsNotRead() {
        let (anomalies, layout) = read(wheel { $0.entries[0].method = 12 })
        #expect(anomalies.contains(.entries(.unsupportedCompression(entry: Self.initPy, method: 12))))
        #expect(layout != nil)
    }

    @Test func tooManyEntriesStopsBeforeTheCentralDirectory() {
        var reader = ZipLayoutReader(
            file: RandomAccessFile(bytes: FileBytes(copying: wheel().bytes())), maxEntries: 2, maxCentralDirectoryBytes: 64 << 20)
        #expect(reader.read() == nil)
        #expect(reader.anomalies == [.centralDirectory(.tooManyEntries(declared: 4, limit: 2))])
    }
}
