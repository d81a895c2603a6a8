import Glibc
import Synchronization

/// Runs `second` on a new thread while `first` runs on the calling one, and returns both results; with `parallel` false, runs them one
/// after the other here.
///
/// A thread of its own, not a dispatch queue: the callers' hand-offs need both sides running at once, which `concurrentPerform` does not
/// promise. Where no thread can be created (the process is out of them), `second` runs here after `first`.
public func concurrently<First, Second: Sendable>(
    parallel: Bool = true, _ first: () -> First, _ second: @escaping @Sendable () -> Second
) -> (First, Second) {
    guard parallel else { return (first(), second()) }
    let slot = ResultSlot<Second>()
    guard
        let thread = startThread({
            let value = second()
            slot.value.withLock { $0 = value }
        })
    else { return (first(), second()) }
    let mine = first()
    pthread_join(thread, nil)
    // The thread stored its result before it ended; `nil` would mean it ended without running.
    guard let theirs = slot.value.withLock({ $0 }) else { preconditionFailure("the second thread ended without a result") }
    return (mine, theirs)
}

/// Starts a thread that runs `body`, to be joined with `pthread_join`; nil when the process is out of threads.
func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
    var thread = pthread_t()
    let argument = Unmanaged.passRetained(ThreadStart(body)).toOpaque()
    let created = pthread_create(
        &thread, nil,
        { argument in
            // The thread owns the reference retained for it, and drops it once the body has run.
            Unmanaged<ThreadStart>.fromOpaque(argument!).takeRetainedValue().body()
            return nil
        }, argument)
    guard created == 0 else {
        Unmanaged<ThreadStart>.fromOpaque(argument).release()
        return nil
    }
    return thread
}

/// What a thread started by `startThread` runs.
private final class ThreadStart: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// Where that thread leaves its result.
private final class ResultSlot<Value: Sendable>: Sendable {
    let value = Mutex<Value?>(nil)
}

/// Starts a thread that runs `body` and is never joined, such as one that lives as long as the process; false when the process is out
/// of threads.
@discardableResult
public func startDetachedThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    guard let thread = startThread(body) else { return false }
    pthread_detach(thread)
    return true
}
