import Dispatch
import Synchronization

/// Maps a list on at most `width` threads, each with its own scratch buffer, and returns the results in list order.
///
/// Memory stays bounded by `width` buffers whatever the list holds: the transform streams through its buffer and
/// keeps only small results. Items are handed out one at a time from a shared counter, so one large file does not
/// hold up a worker's whole share of the list.
enum BoundedParallelMap {
    /// `transform` applied to every item.
    ///
    /// - Parameters:
    ///   - items: the work, in the order of the results.
    ///   - width: the most threads at once (at least 1).
    ///   - bufferSize: the size of each worker's scratch buffer.
    ///   - transform: called once per item with that worker's buffer.
    static func map<Item: Sendable, Output: Sendable>(
        _ items: [Item], width: Int, bufferSize: Int,
        _ transform: @escaping @Sendable (Item, UnsafeMutableRawBufferPointer) -> Output
    ) -> [Output] {
        guard !items.isEmpty else { return [] }
        let shared = Shared<Output>()
        let workers = max(1, min(width, items.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 64)
            defer { buffer.deallocate() }
            var mine = [(Int, Output)]()
            while true {
                let index = shared.next.add(1, ordering: .relaxed).oldValue
                guard index < items.count else { break }
                mine.append((index, transform(items[index], buffer)))
            }
            shared.results.withLock { $0.append(contentsOf: mine) }
        }
        return shared.results.withLock { results in results.sorted { $0.0 < $1.0 }.map(\.1) }
    }

    /// The counter and the collected results the workers share.
    private final class Shared<Output: Sendable>: Sendable {
        let next = Atomic<Int>(0)
        let results = Mutex<[(Int, Output)]>([])
    }
}
