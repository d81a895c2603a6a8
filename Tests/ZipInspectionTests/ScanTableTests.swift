import PurewheelBasics
import Testing

@testable import ZipInspection

@Suite struct ScanTableTests {
    @Test func holdsResultsByIndexAndKeepsTheFirstOnMerge() {
        var table: ScanTable = [3: EntryScan(size: 3)]
        #expect(table[3]?.size == 3)
        #expect(table[0] == nil && table[99] == nil && table[-1] == nil)
        table[1] = EntryScan(size: 1)
        table.merge(ScanTable([1: EntryScan(size: 10), 5: EntryScan(size: 5)]))
        #expect(table[1]?.size == 1)
        #expect(table[5]?.size == 5)
        var empty = ScanTable()
        empty.merge(table)
        #expect([0, 1, 2, 3, 4, 5].map { empty[$0]?.size } == [nil, 1, nil, 3, nil, 5])
    }

    @Test func isFilledInPlaceByThreadsWritingTheirOwnEntries() {
        let table = ScanTable(count: 6) { slots in
            _ = concurrently {
                for index in [0, 2, 4] { slots.record(EntryScan(size: UInt64(index)), at: index) }
            } _: {
                for index in [1, 5] { slots.record(EntryScan(size: UInt64(index)), at: index) }
            }
        }
        #expect((0..<6).map { table[$0]?.size } == [0, 1, 2, nil, 4, 5])
    }
}
