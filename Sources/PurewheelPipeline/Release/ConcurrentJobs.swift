import Dispatch
import Synchronization

/// Runs independent jobs (pip processes, which mostly wait on the network) a few at a time, and returns their
/// results in job order, so that what follows does not depend on which finished first.
enum ConcurrentJobs {
    /// Runs `job(0..<count)` on at most `width` threads at once.
    static func run<Result: Sendable>(_ count: Int, width: Int, _ job: @escaping @Sendable (Int) -> Result) -> [Result] {
        let state = SharedResults<Result>(count: count)
        let group = DispatchGroup()
        for _ in 0..<max(1, min(width, count)) {
            DispatchQueue.global().async(group: group) {
                while let index = state.nextIndex() {
                    state.store(job(index), at: index)
                }
            }
        }
        group.wait()
        return state.results()
    }
}

/// The job counter and result slots the worker threads share.
private final class SharedResults<Result: Sendable>: Sendable {
    private struct State {
        var next = 0
        var slots: [Result?]
    }

    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(slots: Array(repeating: nil, count: count))) }

    func nextIndex() -> Int? {
        state.withLock { state in
            guard state.next < state.slots.count else { return nil }
            defer { state.next += 1 }
            return state.next
        }
    }

    func store(_ result: Result, at index: Int) {
        state.withLock { $0.slots[index] = result }
    }

    func results() -> [Result] {
        state.withLock { $0.slots.compactMap { $0 } }
    }
}
