import Glibc
import SystemPackage

/// Runs a program to its end and collects what it printed, in a way a signal can stop.
///
/// The child starts with every signal at its default action and none blocked, whatever purewheel inherited or
/// blocks itself (its worker threads block almost every signal, and a shell's background job ignores SIGINT
/// and SIGQUIT), so SIGTERM ends it. It leads a process group of its own, so that `Interruption` can stop it
/// and anything it started as one, and it is registered there from before it runs until it is reaped.
public enum ChildProcess {
    /// How often a start that fails with ETXTBSY is tried, 10 ms apart.
    static let busyRetries = 50

    /// How a child ended.
    public struct Finished: Sendable {
        /// The exit status, or the number of the signal that ended it.
        public let status: Int32
        /// Whether a signal ended it.
        public let wasSignaled: Bool
        /// Its standard output and standard error, interleaved.
        public let output: [UInt8]
    }

    /// Runs `executable` (looked up on PATH when it has no `/`) with `arguments`, the process's environment with
    /// `overrides` applied, standard input from `/dev/null`, and waits for it.
    ///
    /// - Throws: `FileSystemError.operationFailed` when it cannot be started (`posix_spawn` failed).
    public static func run(_ executable: String, arguments: [String], overrides: [String: String] = [:]) throws(FileSystemError)
        -> Finished
    {
        let pid: pid_t
        let pipeEnds: (read: Int32, write: Int32)
        do {
            // Made under the registry's mutex like every spawn, so no child started by another thread meanwhile
            // inherits the pipe before it is close-on-exec and keeps it open.
            (pid, pipeEnds) = try Interruption.shared.startChild { () throws(FileSystemError) -> (pid_t, (read: Int32, write: Int32)) in
                let ends = try makePipe(for: executable)
                do throws(FileSystemError) {
                    let streams = Streams(output: ends.write, error: ends.write)
                    let environment = Self.environment(overriding: overrides)
                    return (try spawn(executable, arguments: arguments, environment: environment, streams: streams), ends)
                } catch {
                    close(ends.read)
                    close(ends.write)
                    throw error
                }
            }
        }
        close(pipeEnds.write)
        let output = readToEnd(pipeEnds.read)
        close(pipeEnds.read)
        // An unknown outcome must never read as success: it is reported as exit status 255.
        let status = Interruption.shared.reap(pid) ?? 0xff00
        let signaled = status & 0x7f != 0 && status & 0x7f != 0x7f
        return Finished(status: signaled ? status & 0x7f : (status >> 8) & 0xff, wasSignaled: signaled, output: output)
    }

    /// Where a started child's standard input, output and error go: a descriptor of the caller's, or `/dev/null`.
    public struct Streams: Sendable {
        /// Read as standard input; `/dev/null` when `nil`.
        public var input: Int32?
        /// Written as standard output; `/dev/null` when `nil`.
        public var output: Int32?
        /// Written as standard error; `/dev/null` when `nil`.
        public var error: Int32?

        /// Names the descriptors; each one left out is `/dev/null`.
        public init(input: Int32? = nil, output: Int32? = nil, error: Int32? = nil) {
            self.input = input
            self.output = output
            self.error = error
        }
    }

    /// Starts `executable` as `run` does (signals at their defaults, a process group of its own) with `streams`,
    /// and returns its pid at once.
    ///
    /// The child is not registered with `Interruption`: the caller owns it and must reap it (`waitpid`). This is
    /// for a caller that acts on a child while it runs, such as a test that signals it.
    ///
    /// - Throws: `FileSystemError.operationFailed` when it cannot be started (`posix_spawn` failed).
    public static func start(_ executable: String, arguments: [String], overrides: [String: String] = [:], streams: Streams)
        throws(FileSystemError) -> pid_t
    {
        try spawn(executable, arguments: arguments, environment: Self.environment(overriding: overrides), streams: streams)
    }

    /// Starts `executable` as `start(_:arguments:overrides:streams:)` does, with `environment` as its whole
    /// environment instead of the process's.
    ///
    /// - Throws: `FileSystemError.operationFailed` when it cannot be started (`posix_spawn` failed).
    public static func start(_ executable: String, arguments: [String], environment: [String: String], streams: Streams)
        throws(FileSystemError) -> pid_t
    {
        let entries = environment.keys.sorted().map { "\($0)=\(environment[$0] ?? "")" }
        return try spawn(executable, arguments: arguments, environment: entries, streams: streams)
    }

    private static func makePipe(for executable: String) throws(FileSystemError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw .operationFailed(operation: "create a pipe for", path: executable, errno: .current) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    private static func spawn(_ executable: String, arguments: [String], environment: [String], streams: Streams)
        throws(FileSystemError) -> pid_t
    {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        for (target, descriptor) in [(Int32(0), streams.input), (1, streams.output), (2, streams.error)] {
            if let descriptor {
                posix_spawn_file_actions_adddup2(&actions, descriptor, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var every = sigset_t()
        sigfillset(&every)
        sigdelset(&every, SIGKILL)
        sigdelset(&every, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &every)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.map { strdup($0) }
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        var failure: Int32 = 0
        // ETXTBSY: a script written a moment ago is still open for writing in a process that another thread forked
        // before the writer closed it; the window closes as soon as that child execs, so a few retries get past it.
        for attempt in 0..<Self.busyRetries {
            failure = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
                (envp + [nil]).withUnsafeBufferPointer { envpBuffer in
                    guard let argvStart = argvBuffer.baseAddress, let envpStart = envpBuffer.baseAddress else { return EINVAL }
                    return posix_spawnp(&pid, executable, &actions, &attributes, argvStart, envpStart)
                }
            }
            guard failure == ETXTBSY, attempt + 1 < Self.busyRetries else { break }
            usleep(10_000)
        }
        guard failure == 0 else { throw .operationFailed(operation: "start", path: executable, errno: Errno(rawValue: failure)) }
        return pid
    }

    /// The process's environment as `NAME=value` strings, with `overrides` replacing or adding entries.
    private static func environment(overriding overrides: [String: String]) -> [String] {
        var result = [String]()
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            let name = text.prefix { $0 != "=" }
            if overrides[String(name)] == nil { result.append(text) }
            entry += 1
        }
        return result + overrides.keys.sorted().map { "\($0)=\(overrides[$0] ?? "")" }
    }

    /// What the child wrote to `descriptor` until it closed it; a read that fails ends it as the end of file would.
    private static func readToEnd(_ descriptor: Int32) -> [UInt8] {
        var output = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let outcome = buffer.withUnsafeMutableBytes { bytes in
                Result { () throws(Errno) in try FileIO.read(from: descriptor, into: bytes) }
            }
            guard case .success(let count) = outcome, count > 0 else { return output }
            output += buffer[0..<count]
        }
    }
}
