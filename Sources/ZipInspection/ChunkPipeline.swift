import Dispatch
import Glibc
import PurewheelBasics
import Synchronization

/// A bounded hand-off of 1 MiB chunks of one entry from the inflating thread to the hashing thread, so the largest entry's critical path is
/// its inflate alone.
///
/// Memory: `depth` chunks, whatever the entry's size.
///
/// `@unchecked Sendable`: each buffer belongs to one side at a time. A slot index moves from the free list
/// to the producer (after `freeSlots.wait`), to the queue (then `ready.signal`), to the consumer (after
/// `ready.wait`) and back (then `freeSlots.signal`); the lists are behind a mutex and the semaphores order
/// every write to a buffer before the reads of the other side.
final class ChunkPipeline: @unchecked Sendable {
    /// What the consumer receives.
    enum Item {
        /// Bytes `0..<count` of `slot` are the next chunk.
        case chunk(slot: Int, count: Int)
        /// The entry ended: its size and failure as the inflating side saw them.
        case end(size: UInt64, failure: EntryScan.Failure?)
    }

    private struct Lists {
        var free: [Int]
        var queue: [Item] = []
    }

    /// Chunks in flight: 8 MiB of slack lets the hashing thread finish a small entry of its own meanwhile.
    static let depth = 8

    /// Every chunk's buffer, in one mapping of its own.
    ///
    /// Mapped straight from the kernel and unmapped with the pipeline, not taken from `malloc`: freeing a block that
    /// large raises glibc's mmap threshold, after which every thread's arena keeps such blocks for the rest of the
    /// process, and a folder of wheels checked on several threads grows by that much per arena.
    private let memory: UnsafeMutableRawBufferPointer
    private let buffers: [UnsafeMutableRawBufferPointer]
    private let lists: Mutex<Lists>
    private let freeSlots = DispatchSemaphore(value: ChunkPipeline.depth)
    private let ready = DispatchSemaphore(value: 0)

    /// `nil` when the memory cannot be mapped.
    ///
    /// Wraps `mmap`.
    init?(chunkSize: Int = EntryStreamer.chunkSize) {
        let length = chunkSize * Self.depth
        guard let start = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), start != MAP_FAILED else {
            return nil
        }
        let memory = UnsafeMutableRawBufferPointer(start: start, count: length)
        self.memory = memory
        buffers = (0..<Self.depth).map { UnsafeMutableRawBufferPointer(rebasing: memory[$0 * chunkSize..<($0 + 1) * chunkSize]) }
        lists = Mutex(Lists(free: Array(0..<Self.depth)))
    }

    deinit { munmap(memory.baseAddress, memory.count) }

    // MARK: Producer

    fileprivate func acquire() -> (slot: Int, buffer: UnsafeMutableRawBufferPointer) {
        freeSlots.wait()
        let slot = lists.withLock { $0.free.removeLast() }
        return (slot, buffers[slot])
    }

    fileprivate func publish(_ item: Item) {
        lists.withLock { $0.queue.append(item) }
        ready.signal()
    }

    fileprivate func giveBack(_ slot: Int) {
        lists.withLock { $0.free.append(slot) }
        freeSlots.signal()
    }

    // MARK: Consumer

    /// The next item; `nil` at once when none is ready and `waiting` is false.
    func next(waiting: Bool) -> Item? {
        if waiting {
            ready.wait()
        } else if ready.wait(timeout: .now()) == .timedOut {
            return nil
        }
        return lists.withLock { $0.queue.removeFirst() }
    }

    /// The bytes of a chunk the consumer holds.
    func bytes(slot: Int, count: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffers[slot][0..<count]) }

    /// Returns a chunk's buffer to the producer.
    func release(slot: Int) { giveBack(slot) }
}

/// The producer's side of a `ChunkPipeline`: fills pipeline buffers in place, so nothing is copied.
struct PipelineSink: ChunkSink {
    let pipeline: ChunkPipeline
    private var held: (slot: Int, buffer: UnsafeMutableRawBufferPointer)?

    init(pipeline: ChunkPipeline) { self.pipeline = pipeline }

    mutating func nextBuffer() -> UnsafeMutableRawBufferPointer {
        if let held { return held.buffer }
        let acquired = pipeline.acquire()
        held = acquired
        return acquired.buffer
    }

    mutating func emit(_ count: Int) {
        guard let slot = held?.slot else { return }
        held = nil
        pipeline.publish(.chunk(slot: slot, count: count))
    }

    /// Ends the entry: returns an unfilled buffer and tells the consumer the outcome.
    mutating func close(size: UInt64, failure: EntryScan.Failure?) {
        if let slot = held?.slot { pipeline.giveBack(slot) }
        held = nil
        pipeline.publish(.end(size: size, failure: failure))
    }
}
