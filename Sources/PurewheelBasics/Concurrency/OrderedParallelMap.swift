import Dispatch
import Glibc
import Synchronization

/// Applies a transform to a list of jobs on several threads and hands the results back in job order, streaming.
///
/// The one bounded, order-preserving parallel map of the project. Jobs are handed out one at a time from a shared
/// counter, so one large job does not hold up a worker's whole share of the list. At most `window` jobs are in
/// flight (started and not yet handed back), so memory stays bounded by the window, not by the list: a large job at
/// the front lets the others run ahead only that far.
public enum OrderedParallelMap {
    /// Runs `transform` on every index in `0..<count` on up to `width` threads, and calls `emit` on the calling
    /// thread with each result in index order, as soon as it and every result before it are done.
    ///
    /// Own threads, not a dispatch queue: a worker that waits for the window must not stop another from running,
    /// which a pool the size of the cores does not promise. Where no thread can be created, the jobs run here.
    ///
    /// - Parameters:
    ///   - count: the number of jobs.
    ///   - width: the most jobs running at once; 1 runs them one after the other on the calling thread.
    ///   - window: the most jobs started and not yet emitted (at least `width`); twice `width` when nil.
    ///   - transform: the work for one index, on a worker thread.
    ///   - emit: takes each index and its result, in order, on the calling thread.
    public static func forEach<Output: Sendable>(
        _ count: Int, width: Int, window: Int? = nil, _ transform: @escaping @Sendable (Int) -> Output,
        emit: (Int, Output) -> Void
    ) {
        guard count > 0 else { return }
        let workers = max(1, min(width, count))
        guard workers > 1 else {
            for index in 0..<count { emit(index, transform(index)) }
            return
        }
        let shared = Shared<Output>(count: count)
        let space = DispatchSemaphore(value: max(workers, window ?? 2 * workers))
        let ready = DispatchSemaphore(value: 0)
        let threads = (0..<workers).compactMap { _ in
            startThread {
                while true {
                    space.wait()
                    guard let index = shared.claim() else {
                        space.signal()
                        return
                    }
                    shared.store(transform(index), at: index)
                    ready.signal()
                }
            }
        }
        if threads.isEmpty {
            for index in 0..<count { emit(index, transform(index)) }
            return
        }
        for index in 0..<count {
            // Each finished job signals `ready` once; a signal for a later job is used up by a later turn's check.
            while true {
                if let output = shared.take(index) {
                    emit(index, output)
                    space.signal()
                    break
                }
                ready.wait()
            }
        }
        for thread in threads { pthread_join(thread, nil) }
    }

    /// `transform` applied to every index in `0..<count` on up to `width` threads, in index order.
    ///
    /// - Parameters:
    ///   - count: the number of jobs.
    ///   - width: the most jobs running at once.
    ///   - transform: the work for one index, on a worker thread.
    /// - Returns: the results, in index order.
    public static func map<Output: Sendable>(_ count: Int, width: Int, _ transform: @escaping @Sendable (Int) -> Output) -> [Output] {
        var results = [Output]()
        results.reserveCapacity(count)
        forEach(count, width: width, window: count, transform) { _, output in results.append(output) }
        return results
    }

    /// The job counter and the results not yet handed back.
    private final class Shared<Output: Sendable>: Sendable {
        private struct State {
            var next = 0
            var slots: [Output?]
        }

        private let state: Mutex<State>

        init(count: Int) { state = Mutex(State(slots: Array(repeating: nil, count: count))) }

        /// The next job to start, nil once all have started.
        func claim() -> Int? {
            state.withLock { state in
                guard state.next < state.slots.count else { return nil }
                defer { state.next += 1 }
                return state.next
            }
        }

        func store(_ output: Output, at index: Int) { state.withLock { $0.slots[index] = output } }

        /// The result of job `index` if it is done; its slot is emptied so that memory follows the window.
        func take(_ index: Int) -> Output? {
            state.withLock { state in
                defer { state.slots[index] = nil }
                return state.slots[index]
            }
        }
    }
}
