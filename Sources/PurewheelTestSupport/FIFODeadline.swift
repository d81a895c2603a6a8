import Dispatch
import Glibc
import Synchronization

/// Runs code that must not block on a FIFO, so that a regression fails a test instead of hanging the suite.
public enum FIFODeadline {
    /// Runs `body` on another thread.
    ///
    /// If it has not returned after `seconds`, each FIFO in `fifos` is opened for writing and closed again, so that a reader blocked in
    /// `open` or `read` sees end of file and the body can finish.
    ///
    /// - Returns: what `body` returned, and whether the deadline passed (the code under test blocked).
    public static func run<T: Sendable>(
        unblocking fifos: [String], seconds: Double = 20, _ body: @escaping @Sendable () -> T
    ) -> (value: T, timedOut: Bool) {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let value = body()
            result.withLock { $0 = value }
            done.signal()
        }
        var timedOut = false
        if done.wait(timeout: .now() + seconds) == .timedOut {
            timedOut = true
            repeat {
                for fifo in fifos {
                    let fd = open(fifo, O_WRONLY | O_NONBLOCK)
                    if fd >= 0 { close(fd) }
                }
            } while done.wait(timeout: .now() + 0.2) == .timedOut
        }
        // The body has signalled, so the value is set.
        return (result.withLock { $0 }!, timedOut)
    }
}
