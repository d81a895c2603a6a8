/// Streaming results by entry index, in one array: a wheel of 100,000 small files would otherwise spend a
/// hash table's worth of memory and hashing on what is a dense numbering.
///
/// `nil` for entries that were not read (limits, unsupported methods).
package struct ScanTable: Sendable, ExpressibleByDictionaryLiteral {
    private var slots: [EntryScan?] = []

    package init() {}

    /// A table for entries `0..<count`, allocated once.
    init(count: Int) { slots = Array(repeating: nil, count: max(0, count)) }

    /// A table for entries `0..<count` that `fill` writes in place, from as many threads as it starts, each
    /// writing its own entries; `fill` joins every thread it starts before it returns.
    init(count: Int, filling fill: (ScanSlots) -> Void) {
        self.init(count: count)
        slots.withUnsafeMutableBufferPointer { fill(ScanSlots(base: $0)) }
    }

    package init(dictionaryLiteral elements: (Int, EntryScan)...) {
        for (index, scan) in elements { self[index] = scan }
    }

    init(_ results: [Int: EntryScan]) {
        for (index, scan) in results { self[index] = scan }
    }

    /// The result for entry `index`; setting grows the table as needed.
    package subscript(index: Int) -> EntryScan? {
        get { index >= 0 && index < slots.count ? slots[index] : nil }
        set {
            guard index >= 0 else { return }
            if index >= slots.count {
                guard newValue != nil else { return }
                slots.append(contentsOf: repeatElement(nil, count: index - slots.count + 1))
            }
            slots[index] = newValue
        }
    }

    /// Adds `other`'s results where this table has none (the first result for an entry wins).
    mutating func merge(_ other: ScanTable) {
        if slots.isEmpty {
            slots = other.slots
            return
        }
        for (index, scan) in other.slots.enumerated() where scan != nil && self[index] == nil { self[index] = scan }
    }
}

/// The slots of a `ScanTable` being filled, shared by the threads that read the entries: one table for
/// every thread, with no copy to merge.
///
/// `@unchecked Sendable`: each entry is given to one thread only, so no two threads write the same slot, and
/// nothing reads the table until `ScanTable.init(count:filling:)` has joined every writer.
struct ScanSlots: @unchecked Sendable {
    fileprivate let base: UnsafeMutableBufferPointer<EntryScan?>

    /// Records the result for entry `index`.
    func record(_ scan: EntryScan, at index: Int) {
        precondition(base.indices.contains(index), "the scan table is sized for every job's entry")
        base[index] = scan
    }
}
