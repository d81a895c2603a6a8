import Dispatch
import Foundation

/// Reads every entry's compressed bytes at the offsets the structure check verified, inflates them (ISA-L,
/// or zlib where ISA-L is absent), checks each CRC-32 against the central directory and hashes the output,
/// keeping both cores busy with bounded memory.
///
/// With two workers, the largest entry is inflated on one thread and hashed on the other (a `ChunkPipeline`),
/// so its critical path is the inflate alone; the other entries are balanced over both threads by estimated
/// cost. Memory: per thread one 1 MiB input and one 1 MiB output buffer, plus the pipeline's chunks.
struct DirectContentScanner: Sendable {
    let file: RandomAccessFile
    var workerCount = 2
    /// Below this much work, counted as bytes read whole (`cost` over 5, so each entry also counts for its fixed
    /// cost), one thread is faster than two.
    var parallelThreshold: UInt64 = 4 << 20
    /// The largest entry is pipelined over both threads from this uncompressed size on.
    var pipelineThreshold: UInt64 = 8 << 20
    /// While the largest entry is in flight, the hashing thread takes only entries up to this size, so it
    /// never stalls the inflating thread for longer than the pipeline's slack.
    static let interleavedEntryLimit: UInt64 = 2 << 20

    /// Who does what, as positions in the job list: the jobs are held once, however they are shared out.
    struct Plan: Equatable {
        /// The entry inflated by the first thread and hashed by the second.
        var pipelined: Int?
        /// Entries each thread reads whole, in archive order.
        var first: [Int]
        var second: [Int]
    }

    /// Reads every job; returns the results by entry index.
    func scan(_ jobs: [ContentJob]) -> ScanTable {
        let plan = Self.plan(
            jobs, workers: workerCount, parallelThreshold: parallelThreshold, pipelineThreshold: pipelineThreshold)
        // Both threads fill one table, sized once for every entry, so none grows by copying.
        return ScanTable(count: (jobs.lazy.map(\.index).max() ?? -1) + 1) { results in
            guard plan.pipelined != nil || !plan.second.isEmpty else {
                Self.run(plan.first, of: jobs, file: file, into: results)
                return
            }
            let pipeline = plan.pipelined.map { _ in ChunkPipeline() }
            let finished = DispatchSemaphore(value: 0)
            let thread = Thread { [file] in
                Self.runSecond(plan, of: jobs, pipeline: pipeline, file: file, into: results)
                finished.signal()
            }
            thread.start()
            if let position = plan.pipelined, let pipeline {
                var sink = PipelineSink(pipeline: pipeline)
                if let streamer = EntryStreamer(file: file) {
                    let (size, failure) = streamer.stream(jobs[position], into: &sink)
                    sink.close(size: size, failure: failure)
                } else {
                    sink.close(size: 0, failure: Self.outOfMemory)
                }
            }
            Self.run(plan.first, of: jobs, file: file, into: results)
            finished.wait()
        }
    }

    static let outOfMemory = EntryScan.Failure.unreadable(cause: "out of memory for the decoder")

    /// Estimated cost of reading a job whole, in units where inflating one byte costs 3 and hashing it 2,
    /// plus a fixed cost per entry (open, reset, finalize).
    static func cost(_ job: ContentJob) -> UInt64 { job.declaredSize.multipliedReportingOverflow(by: 5).partialValue.plus(8192) }

    /// Splits the work: the largest entry pipelined when it is big enough, the rest greedily into the
    /// lighter thread (biggest first), each thread then reading in archive order.
    static func plan(_ jobs: [ContentJob], workers: Int, parallelThreshold: UInt64, pipelineThreshold: UInt64) -> Plan {
        let costs = jobs.map(cost)
        // By cost, not bytes: a wheel of many small files is worth two threads for its per-entry work alone.
        let total = costs.reduce(UInt64(0)) { $0.plus($1) }
        guard workers >= 2, jobs.count > 1 || (jobs.first?.declaredSize ?? 0) >= pipelineThreshold,
            total >= parallelThreshold.multipliedReportingOverflow(by: 5).partialValue
        else {
            return Plan(pipelined: nil, first: Array(jobs.indices), second: [])
        }
        var rest = jobs.indices.sorted { (costs[$0], jobs[$1].index) > (costs[$1], jobs[$0].index) }[...]
        var pipelined: Int?
        var weights: [UInt64] = [0, 0]
        if let first = rest.first, jobs[first].declaredSize >= pipelineThreshold {
            let largest = jobs[first]
            pipelined = first
            rest.removeFirst()
            weights = [
                largest.declaredSize.multipliedReportingOverflow(by: 3).partialValue, largest.declaredSize.plus(largest.declaredSize),
            ]
        }
        var bins: [[Int]] = [[], []]
        for position in rest {
            let lighter = weights[0] <= weights[1] ? 0 : 1
            bins[lighter].append(position)
            weights[lighter] = weights[lighter].plus(costs[position])
        }
        func inArchiveOrder(_ positions: [Int]) -> [Int] { positions.sorted { jobs[$0].index < jobs[$1].index } }
        return Plan(pipelined: pipelined, first: inArchiveOrder(bins[0]), second: inArchiveOrder(bins[1]))
    }

    /// Reads the jobs at `positions` one after another on the calling thread.
    static func run(_ positions: some Collection<Int>, of jobs: [ContentJob], file: RandomAccessFile, into results: ScanSlots) {
        guard !positions.isEmpty else { return }
        guard let streamer = EntryStreamer(file: file) else {
            for position in positions { results.record(EntryScan(failure: outOfMemory), at: jobs[position].index) }
            return
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: EntryStreamer.chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        for position in positions { results.record(read(jobs[position], with: streamer, buffer: buffer), at: jobs[position].index) }
    }

    private static func read(_ job: ContentJob, with streamer: EntryStreamer, buffer: UnsafeMutableRawBufferPointer) -> EntryScan {
        var sink = DirectSink(buffer: buffer, strongAlgorithms: job.strongAlgorithms)
        let (size, failure) = streamer.stream(job, into: &sink)
        return sink.digester.finish(size: size, failure: failure)
    }

    /// The second thread: hashes the pipelined entry's chunks as they come, fills the waits with its own
    /// small entries, then reads the rest of its share.
    private static func runSecond(
        _ plan: Plan, of jobs: [ContentJob], pipeline: ChunkPipeline?, file: RandomAccessFile, into results: ScanSlots
    ) {
        guard let pipelined = plan.pipelined, let pipeline else {
            run(plan.second, of: jobs, file: file, into: results)
            return
        }
        let streamer = EntryStreamer(file: file)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: EntryStreamer.chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        func isSmall(_ position: Int) -> Bool { jobs[position].declaredSize <= interleavedEntryLimit }
        // The share before `interleaved` has had its small entries read between the pipeline's chunks.
        var interleaved = plan.second.startIndex
        var digester = EntryDigester(strongAlgorithms: jobs[pipelined].strongAlgorithms)
        var outcome: (size: UInt64, failure: EntryScan.Failure?)?
        while outcome == nil {
            var item = pipeline.next(waiting: false)
            if item == nil, let streamer, let next = plan.second[interleaved...].firstIndex(where: isSmall) {
                let position = plan.second[next]
                results.record(read(jobs[position], with: streamer, buffer: buffer), at: jobs[position].index)
                interleaved = next + 1
                continue
            }
            if item == nil { item = pipeline.next(waiting: true) }
            switch item {
            case .chunk(let slot, let count):
                digester.consume(pipeline.bytes(slot: slot, count: count))
                pipeline.release(slot: slot)
            case .end(let size, let failure):
                outcome = (size, failure)
            case nil:
                break
            }
        }
        results.record(digester.finish(size: outcome?.size ?? 0, failure: outcome?.failure), at: jobs[pipelined].index)
        let remaining = plan.second.indices.lazy.filter { $0 >= interleaved || !isSmall(plan.second[$0]) }.map { plan.second[$0] }
        run(remaining, of: jobs, file: file, into: results)
    }
}
