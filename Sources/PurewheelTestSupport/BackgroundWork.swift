import Dispatch
import Foundation
import Synchronization

/// Work run on a thread of its own while the test goes on, whose value the test waits for, with or without a
/// deadline.
public final class BackgroundWork<Value: Sendable>: Sendable {
    private let body: @Sendable () -> Value
    private let value = Mutex<Value?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    /// Work that runs `body` once `start` is called.
    public init(_ body: @escaping @Sendable () -> Value) { self.body = body }

    /// Starts `body` on a new thread at once.
    public static func start(_ body: @escaping @Sendable () -> Value) -> BackgroundWork {
        let work = BackgroundWork(body)
        work.start()
        return work
    }

    /// Runs the body on a new thread.
    public func start() {
        Thread.detachNewThread {
            let result = self.body()
            self.value.withLock { $0 = result }
            self.finished.signal()
        }
    }

    /// Whether the body ends within `seconds`; it keeps running when it does not.
    public func finishes(within seconds: Double) -> Bool {
        guard finished.wait(timeout: .now() + seconds) == .success else { return false }
        // Let every later wait see the end too.
        finished.signal()
        return true
    }

    /// The body's value, once it has ended.
    public func result() -> Value {
        finished.wait()
        finished.signal()
        guard let result = value.withLock({ $0 }) else { preconditionFailure("the work signalled its end without a value") }
        return result
    }
}
