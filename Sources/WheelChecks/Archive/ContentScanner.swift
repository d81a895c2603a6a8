import Dispatch
import PurewheelBasics
import Synchronization
import ZipIO

/// Streams entries through libzip to the end (so every CRC is checked), hashing them and sniffing their
/// first bytes, with bounded memory: one 1 MiB chunk per worker plus a small prefix.
///
/// Large wheels are split over two workers, each with its own `ZipReader` (a libzip handle must not be
/// shared between threads), balanced by compressed size.
struct ContentScanner: Sendable {
    /// One entry to read.
    struct Job: Sendable, Hashable {
        var index: Int
        var name: String
        var declaredSize: UInt64
        var compressedSize: UInt64
        /// Those RECORD asks for; SHA-256 is always computed.
        var strongAlgorithms: StrongAlgorithms
    }

    let source: ArchiveSource
    /// Below this much compressed data one worker is faster than two.
    var parallelThreshold: UInt64 = 4 << 20
    var workerCount = 2

    /// Reads every job; returns results by entry index, or the libzip error if no worker could open the file.
    func scan(_ jobs: [Job]) -> (results: [Int: EntryScan], openFailure: String?) {
        let total = jobs.reduce(UInt64(0)) { $0.plus($1.compressedSize) }
        let workers = total >= parallelThreshold && jobs.count > 1 ? max(1, workerCount) : 1
        let bins = Self.partition(jobs, into: workers)
        let results = Mutex<[Int: EntryScan]>([:])
        let failure = Mutex<String?>(nil)
        DispatchQueue.concurrentPerform(iterations: bins.count) { worker in
            do throws(ZipError) {
                let local = try ZipReader.withArchive(source) { reader in Self.run(bins[worker], with: reader) }
                results.withLock { $0.merge(local) { first, _ in first } }
            } catch {
                failure.withLock { $0 = $0 ?? error.message }
            }
        }
        return (results.withLock { $0 }, failure.withLock { $0 })
    }

    /// Greedy balancing: biggest first, each into the lighter bin; each bin is then read in archive order.
    static func partition(_ jobs: [Job], into count: Int) -> [[Job]] {
        var bins = [[Job]](repeating: [], count: count)
        var weights = [UInt64](repeating: 0, count: count)
        for job in jobs.sorted(by: { ($0.compressedSize, $1.index) > ($1.compressedSize, $0.index) }) {
            let lightest = weights.indices.min { weights[$0] < weights[$1] } ?? 0
            bins[lightest].append(job)
            weights[lightest] = weights[lightest].plus(job.compressedSize)
        }
        return bins.map { $0.sorted { $0.index < $1.index } }
    }

    private static func run(_ jobs: [Job], with reader: ZipReader) -> [Int: EntryScan] {
        var out = [Int: EntryScan]()
        for job in jobs {
            guard job.index < reader.entries.count, reader.entries[job.index].name == job.name else {
                out[job.index] = EntryScan(failure: .unreadable(cause: "libzip lists a different entry at this position"))
                continue
            }
            out[job.index] = scan(job, reader.entries[job.index], with: reader)
        }
        return out
    }

    private static func scan(_ job: Job, _ entry: ZipEntry, with reader: ZipReader) -> EntryScan {
        var digester = EntryDigester(strongAlgorithms: job.strongAlgorithms)
        var size: UInt64 = 0
        var failure: EntryScan.Failure?
        do {
            try reader.stream(entry) { (chunk: UnsafeRawBufferPointer) throws(ZipError) in
                size += UInt64(chunk.count)
                // Stop as soon as the entry outgrows its declared size: a bomb is never inflated further.
                guard size <= job.declaredSize else {
                    throw .entryTooLarge(archive: reader.label, entry: entry.name, size: size, limit: job.declaredSize)
                }
                digester.consume(chunk)
            }
        } catch .entryTooLarge(_, _, let read, _) {
            failure = .exceededDeclaredSize(readAtLeast: read)
        } catch {
            failure = .unreadable(cause: error.message)
        }
        return digester.finish(size: size, failure: failure)
    }
}
