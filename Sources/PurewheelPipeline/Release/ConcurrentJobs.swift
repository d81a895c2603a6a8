import Foundation

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
// @unchecked Sendable: every access to `next` and `slots` holds `lock`.
private final class SharedResults<Result: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var slots: [Result?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func nextIndex() -> Int? {
        lock.withLock {
            guard next < slots.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func store(_ result: Result, at index: Int) {
        lock.withLock { slots[index] = result }
    }

    func results() -> [Result] {
        lock.withLock { slots.compactMap { $0 } }
    }
}
