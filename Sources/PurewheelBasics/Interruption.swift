import Glibc
import Synchronization

/// What an interrupted process must undo before it ends: the child processes it started (each leading its own
/// process group), the scratch folders it made and the cleanups its commands registered (a build's staging
/// folder).
///
/// One per process, because a signal is delivered to the process, not to a command: `shared` is the only
/// instance, and its state sits behind one mutex. Spawning and scratch creation register under that mutex, so a
/// signal never falls between a child's start and its registration; once interrupted, a thread that would start
/// a child or make scratch, or that has reaped its child, parks instead, and the signal thread ends the process.
public final class Interruption: Sendable {
    /// The process's registry.
    public static let shared = Interruption()

    private struct State {
        var isInterrupted = false
        var children = Set<pid_t>()
        /// Scratch folder → the descriptor holding its owner lock.
        var scratch = [String: Int32]()
        var cleanups = [Int: @Sendable () -> Void]()
        var nextCleanup = 0
    }

    private let state = Mutex(State())

    /// How long children get to end after SIGTERM before their process groups get SIGKILL.
    static let gracePeriod = 3.0

    private init() {}

    /// Whether a signal has asked the process to end.
    public var isInterrupted: Bool { state.withLock { $0.isInterrupted } }

    /// Starts a child with `spawn` (which returns its pid, the leader of a new process group, with anything else
    /// made with it) and registers it, unless the process is being interrupted: then the calling thread parks.
    public func startChild<Extra: Sendable, Failure: Error>(_ spawn: () throws(Failure) -> (pid_t, Extra)) throws(Failure) -> (pid_t, Extra)
    {
        let started = state.withLock { (state: inout State) -> Result<(pid_t, Extra), Failure>? in
            guard !state.isInterrupted else { return nil }
            let result = Result { () throws(Failure) -> (pid_t, Extra) in try spawn() }
            if case .success(let (pid, _)) = result { state.children.insert(pid) }
            return result
        }
        guard let started else { Self.park() }
        return try started.get()
    }

    /// Reaps a registered child once it has ended and returns its `waitpid` status; parks instead of returning
    /// when the process is being interrupted.
    ///
    /// The child is waited for without being reaped first (`WNOWAIT`), and reaped under the mutex, so the signal
    /// thread never signals a process group whose leader's pid may have been reused.
    ///
    /// - Returns: the status, or `nil` when the child could not be waited for (someone else reaped it), so its
    ///   outcome is unknown.
    public func reap(_ pid: pid_t) -> Int32? {
        var info = siginfo_t()
        // swift-system wraps neither `waitid` nor `waitpid`, so their interrupted calls are retried here.
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        let status = state.withLock { state -> (Int32?, Bool) in
            var status: Int32 = 0
            var result = waitpid(pid, &status, 0)
            while result < 0 && errno == EINTR { result = waitpid(pid, &status, 0) }
            state.children.remove(pid)
            return (result == pid ? status : nil, state.isInterrupted)
        }
        if status.1 { Self.park() }
        return status.0
    }

    /// Registers a scratch folder and the descriptor of its owner lock (closed when the folder is removed); when
    /// the process is being interrupted, removes the folder and parks instead.
    func addScratch(_ path: String, lock descriptor: Int32) {
        let accepted = state.withLock { state in
            guard !state.isInterrupted else { return false }
            state.scratch[path] = descriptor
            return true
        }
        guard accepted else {
            Self.removeScratch(path, lock: descriptor)
            Self.park()
        }
    }

    /// Unregisters a scratch folder and returns its lock descriptor, or `nil` when the signal thread took it.
    func takeScratch(_ path: String) -> Int32? {
        state.withLock { $0.scratch.removeValue(forKey: path) }
    }

    /// Registers `cleanup` to run if the process is interrupted.
    ///
    /// - Returns: a token for `removeCleanup`.
    public func addCleanup(_ cleanup: @escaping @Sendable () -> Void) -> Int {
        state.withLock { state in
            state.nextCleanup += 1
            state.cleanups[state.nextCleanup] = cleanup
            return state.nextCleanup
        }
    }

    /// Unregisters a cleanup added with `addCleanup`.
    public func removeCleanup(_ token: Int) {
        _ = state.withLock { $0.cleanups.removeValue(forKey: token) }
    }

    /// Parks the calling thread if the process is being interrupted, so that it says and writes nothing more
    /// while the signal thread ends the process.
    public func parkIfInterrupted() {
        if isInterrupted { Self.park() }
    }

    /// Exits with `status`, unless a signal is ending the process: then the signal thread's status wins.
    ///
    /// Holding the mutex while exiting keeps a signal from starting its cleanup meanwhile.
    public func finish(_ status: Int32) -> Never {
        state.withLock { state in
            if !state.isInterrupted { exit(status) }
        }
        Self.park()
    }

    /// Ends the process after `signal`: stops every child's process group (SIGTERM, then SIGKILL after the grace
    /// period), waits until their owners have reaped them, runs the cleanups, removes the scratch folders and
    /// exits with 128 + `signal`, as a shell reports a process that the signal ended.
    ///
    /// `_exit`, not `exit`: other threads are parked or still working, and must not see static destructors run.
    public func end(signal: Int32) -> Never {
        let groups = state.withLock { state in
            state.isInterrupted = true
            return state.children
        }
        for group in groups { kill(-group, SIGTERM) }
        if !waitForChildren(seconds: Self.gracePeriod) {
            for group in groups { kill(-group, SIGKILL) }
            _ = waitForChildren(seconds: Self.gracePeriod)
        }
        // The leaders are gone; a descendant that ignored SIGTERM may still hold its group.
        for group in groups { kill(-group, SIGKILL) }
        let (cleanups, scratch) = state.withLock { state in
            defer {
                state.cleanups = [:]
                state.scratch = [:]
            }
            return (state.cleanups.sorted { $0.key > $1.key }.map(\.value), state.scratch)
        }
        for cleanup in cleanups { cleanup() }
        for (path, descriptor) in scratch { Self.removeScratch(path, lock: descriptor) }
        _exit(128 + signal)
    }

    /// Whether every registered child was reaped within `seconds`.
    private func waitForChildren(seconds: Double) -> Bool {
        let step: useconds_t = 10_000
        for _ in 0..<Int(seconds * 1_000_000 / Double(step)) {
            if state.withLock({ $0.children.isEmpty }) { return true }
            usleep(step)
        }
        return state.withLock { $0.children.isEmpty }
    }

    /// Removes a scratch folder, then releases its owner lock: a later run's sweep must not find the lock free
    /// while the folder is still being emptied.
    static func removeScratch(_ path: String, lock descriptor: Int32) {
        // Best effort, twice: a thread still writing into the folder may add an entry between the two.
        for _ in 0..<2 where FileIO.kind(of: path) != nil {
            do { try FileIO.removeTree(path) } catch {}
        }
        close(descriptor)
    }

    private static func park() -> Never {
        while true { sleep(3600) }
    }
}
