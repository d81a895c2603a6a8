import Dispatch
import Foundation
import Synchronization

/// Runs `second` on a new thread while `first` runs on the calling one, and returns both results; with `parallel` false, runs them one
/// after the other here.
///
/// A thread, not a dispatch queue: the checker's hand-offs need both sides running at once, which `concurrentPerform` does not promise.
func concurrently<First, Second: Sendable>(
    parallel: Bool = true, _ first: () -> First, _ second: @escaping @Sendable () -> Second
) -> (First, Second) {
    guard parallel else { return (first(), second()) }
    let result = Mutex<Second?>(nil)
    let finished = DispatchSemaphore(value: 0)
    Thread {
        let value = second()
        result.withLock { $0 = value }
        finished.signal()
    }.start()
    let mine = first()
    finished.wait()
    // The thread stored its result before signalling; `nil` would mean the semaphore lied.
    guard let theirs = result.withLock({ $0 }) else { preconditionFailure("the second thread ended without a result") }
    return (mine, theirs)
}
