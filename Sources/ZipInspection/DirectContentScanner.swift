import PurewheelBasics

/// Reads every entry's compressed bytes at the offsets `ZipLayoutReader` verified, inflates them (ISA-L),
/// checks each CRC-32 against the central directory and hashes the output,
/// keeping both cores busy with bounded memory.
///
/// With two workers, the largest entry is inflated on one thread and hashed on the other (a `ChunkPipeline`),
/// so its critical path is the inflate alone; the other entries are balanced over both threads by estimated
/// cost. The hashing thread reads its own share meanwhile, taking the pipeline's waiting chunks between each
/// 1 MiB it produces, so neither thread waits for the other. Memory: per thread one 1 MiB input and one 1 MiB
/// output buffer, plus the pipeline's chunks.
struct DirectContentScanner: Sendable {
    let file: RandomAccessFile
    var workerCount = 2
    /// Below this much work, counted as bytes read whole (`cost` over 5, so each entry also counts for its fixed
    /// cost), one thread is faster than two.
    var parallelThreshold: UInt64 = 4 << 20
    /// The largest entry is pipelined over both threads from this uncompressed size on.
    var pipelineThreshold: UInt64 = 8 << 20

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
            let pipeline = plan.pipelined.flatMap { _ in ChunkPipeline() }
            _ = concurrently {
                if let position = plan.pipelined, let pipeline {
                    var sink = PipelineSink(pipeline: pipeline)
                    if let streamer = EntryStreamer(file: file) {
                        let (size, failure) = streamer.stream(jobs[position], into: &sink)
                        sink.close(size: size, failure: failure)
                    } else {
                        sink.close(size: 0, failure: Self.outOfMemory)
                    }
                } else if let position = plan.pipelined {
                    // No memory for the hand-off: this thread reads the entry whole.
                    Self.run([position], of: jobs, file: file, into: results)
                }
                Self.run(plan.first, of: jobs, file: file, into: results)
            } _: { [file] in
                Self.runSecond(plan, of: jobs, pipeline: pipeline, file: file, into: results)
            }
        }
    }

    static let outOfMemory = EntryScan.Failure.unreadable(cause: "out of memory for the decoder")

    /// Estimated cost of reading a job whole, plus a fixed cost per entry (open, reset, finalize).
    static func cost(_ job: ContentJob) -> UInt64 { inflateCost(job).plus(hashCost(job)).plus(8192) }

    /// Inflating costs mostly by the compressed bytes, which are what the decoder walks.
    ///
    /// And a little by the bytes it writes: fitted to ISA-L on torch's four largest entries (0.59 s for 436 MB from 112 MB, 2.21 s for
    /// 900 MB from 562 MB), about 3.0 ms per compressed MB and 0.6 ms per written MB. SHA-256 runs at about
    /// 0.6 ms per MB, the unit here. A stored entry is only read.
    static func inflateCost(_ job: ContentJob) -> UInt64 {
        guard job.method == 8 else { return 0 }
        return job.compressedSize.multipliedReportingOverflow(by: 5).partialValue.plus(job.declaredSize)
    }

    /// Hashing costs one unit per byte.
    static func hashCost(_ job: ContentJob) -> UInt64 { job.declaredSize }

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
            weights = [inflateCost(largest), hashCost(largest)]
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

    /// Reads the jobs at `positions` one after another on the calling thread, calling `between` after every chunk and every entry.
    static func run(
        _ positions: some Collection<Int>, of jobs: [ContentJob], file: RandomAccessFile, into results: ScanSlots,
        between: @escaping () -> Void = {}
    ) {
        guard !positions.isEmpty else { return }
        guard let streamer = EntryStreamer(file: file) else {
            for position in positions { results.record(EntryScan(failure: outOfMemory), at: jobs[position].index) }
            return
        }
        // An entry that inflates past its declared size is stopped there, so the largest declared size bounds the chunk.
        let largest = positions.map { jobs[$0].declaredSize }.max() ?? 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(
            byteCount: EntryStreamer.bufferSize(EntryStreamer.chunkSize, atMost: largest), alignment: 64)
        defer { buffer.deallocate() }
        for position in positions {
            let job = jobs[position]
            var sink = DirectSink(buffer: buffer, strongAlgorithms: job.strongAlgorithms, afterEachChunk: between)
            let (size, failure) = streamer.stream(job, into: &sink)
            results.record(sink.digester.finish(size: size, failure: failure), at: job.index)
            between()
        }
    }

    /// The second thread: reads its own share, hashing the pipelined entry's chunks between each 1 MiB of its own
    /// (so the inflating thread never waits for a free buffer), then waits for the rest of that entry.
    private static func runSecond(
        _ plan: Plan, of jobs: [ContentJob], pipeline: ChunkPipeline?, file: RandomAccessFile, into results: ScanSlots
    ) {
        guard let pipelined = plan.pipelined, let pipeline else {
            run(plan.second, of: jobs, file: file, into: results)
            return
        }
        let drain = PipelineDrain(pipeline: pipeline, strongAlgorithms: jobs[pipelined].strongAlgorithms)
        run(plan.second, of: jobs, file: file, into: results, between: drain.takeReady)
        results.record(drain.finish(), at: jobs[pipelined].index)
    }
}

/// The hashing side of the pipelined entry, fed whenever the hashing thread is between two chunks of its own.
private final class PipelineDrain {
    private let pipeline: ChunkPipeline
    /// Optional only so that `finish` can take it out: a digester is used up by its result.
    private var digester: EntryDigester?
    private var outcome: (size: UInt64, failure: EntryScan.Failure?)?

    init(pipeline: ChunkPipeline, strongAlgorithms: StrongAlgorithms) {
        self.pipeline = pipeline
        digester = EntryDigester(strongAlgorithms: strongAlgorithms)
    }

    /// Hashes every chunk that is ready, without waiting for more.
    func takeReady() {
        while outcome == nil, let item = pipeline.next(waiting: false) { take(item) }
    }

    /// Waits for the rest of the entry and returns its result; called once, which spends the digester.
    func finish() -> EntryScan {
        while outcome == nil, let item = pipeline.next(waiting: true) { take(item) }
        guard let digester = digester.take() else { return EntryScan(failure: .unreadable(cause: "the entry was finished twice")) }
        return digester.finish(size: outcome?.size ?? 0, failure: outcome?.failure)
    }

    private func take(_ item: ChunkPipeline.Item) {
        switch item {
        case .chunk(let slot, let count):
            digester?.consume(pipeline.bytes(slot: slot, count: count))
            pipeline.release(slot: slot)
        case .end(let size, let failure):
            outcome = (size, failure)
        }
    }
}
