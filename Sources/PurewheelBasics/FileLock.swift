import Glibc

/// An exclusive advisory lock (`flock(2)`) on a file, held for as long as the value lives.
///
/// The kernel drops it when the holder exits for any reason, SIGKILL included, so "the lock is free" proves that nobody owns what it
/// guards, across PID namespaces too (unlike `kill(pid, 0)`).
public struct FileLock: ~Copyable {
    private let descriptor: Int32
    /// The lock file's path.
    public let path: String

    deinit { close(descriptor) }

    /// Releases the lock now (closing the file), instead of at the end of the value's scope.
    public consuming func release() {}

    /// Opens (creating it if needed) `path` and waits until the lock is ours.
    ///
    /// Wraps `open` and `flock`.
    ///
    /// - Throws: `FileSystemError.operationFailed`.
    public static func acquire(_ path: String) throws(FileSystemError) -> FileLock {
        try wait(for: try open(path, create: true), path: path)
    }

    private static func wait(for descriptor: Int32, path: String) throws(FileSystemError) -> FileLock {
        while flock(descriptor, LOCK_EX) != 0 {
            let failure = Errno.current
            guard failure.rawValue == EINTR else {
                close(descriptor)
                throw .operationFailed(operation: "lock", path: path, errno: failure)
            }
        }
        return FileLock(descriptor: descriptor, path: path)
    }

    /// Waits until the lock on the folder `path` itself is ours, so that nothing is left behind in the folder.
    ///
    /// Wraps `open` (`O_DIRECTORY`, read-only) and `flock`.
    ///
    /// - Throws: `FileSystemError.notFound` or `.operationFailed`.
    public static func acquire(folder path: String) throws(FileSystemError) -> FileLock {
        let descriptor = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let failure = Errno.current
            if failure == .noSuchFile { throw .notFound(path: path) }
            throw .operationFailed(operation: "open folder to lock", path: path, errno: failure)
        }
        return try wait(for: descriptor, path: path)
    }

    /// Takes the lock on an existing `path` only if nobody holds it.
    ///
    /// - Returns: the lock, or `nil` when another open file holds it (or the file is gone).
    /// - Throws: `FileSystemError.operationFailed` for failures other than "held" and "missing".
    public static func acquireIfFree(_ path: String) throws(FileSystemError) -> FileLock? {
        let descriptor: Int32
        do {
            descriptor = try open(path, create: false)
        } catch .notFound {
            return nil
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let failure = Errno.current
            close(descriptor)
            if failure.rawValue == EWOULDBLOCK { return nil }
            throw .operationFailed(operation: "lock", path: path, errno: failure)
        }
        return FileLock(descriptor: descriptor, path: path)
    }

    private static func open(_ path: String, create: Bool) throws(FileSystemError) -> Int32 {
        let descriptor = Glibc.open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0o600)
        guard descriptor >= 0 else {
            let failure = Errno.current
            if failure == .noSuchFile { throw .notFound(path: path) }
            throw .operationFailed(operation: "open lock file", path: path, errno: failure)
        }
        return descriptor
    }
}
