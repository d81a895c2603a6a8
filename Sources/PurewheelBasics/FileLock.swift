import Glibc
import SystemPackage

/// An exclusive advisory lock (`flock(2)`) on a file, held for as long as the value lives.
///
/// The kernel drops it when the holder exits for any reason, SIGKILL included, so "the lock is free" proves that nobody owns what it
/// guards, across PID namespaces too (unlike `kill(pid, 0)`).
public struct FileLock: ~Copyable {
    private let descriptor: FileDescriptor
    /// The lock file's path.
    public let path: String

    deinit { FileIO.closeQuietly(descriptor) }

    /// Releases the lock now (closing the file), instead of at the end of the value's scope.
    public consuming func release() {}

    /// Opens (creating it if needed) `path` and waits until the lock is ours.
    ///
    /// Wraps `open` and `flock`.
    ///
    /// - Throws: `FileSystemError.operationFailed`.
    public static func acquire(_ path: String) throws(FileSystemError) -> FileLock {
        let descriptor = try open(path, .readWrite, options: [.create], operation: "open lock file")
        return try wait(for: descriptor, path: path)
    }

    /// Waits until the lock on the folder `path` itself is ours, so that nothing is left behind in the folder.
    ///
    /// Wraps `open` (`O_DIRECTORY`, read-only) and `flock`.
    ///
    /// - Throws: `FileSystemError.notFound` or `.operationFailed`.
    public static func acquire(folder path: String) throws(FileSystemError) -> FileLock {
        let descriptor = try open(path, .readOnly, options: [.directory], operation: "open folder to lock")
        return try wait(for: descriptor, path: path)
    }

    /// Takes the lock on an existing `path` only if nobody holds it.
    ///
    /// - Returns: the lock, or `nil` when another open file holds it (or the file is gone).
    /// - Throws: `FileSystemError.operationFailed` for failures other than "held" and "missing".
    public static func acquireIfFree(_ path: String) throws(FileSystemError) -> FileLock? {
        let descriptor: FileDescriptor
        do {
            descriptor = try open(path, .readWrite, options: [], operation: "open lock file")
        } catch .notFound {
            return nil
        }
        guard flock(descriptor.rawValue, LOCK_EX | LOCK_NB) == 0 else {
            let failure = Errno.current
            FileIO.closeQuietly(descriptor)
            if failure == .wouldBlock { return nil }
            throw .operationFailed(operation: "lock", path: path, errno: failure)
        }
        return FileLock(descriptor: descriptor, path: path)
    }

    private static func wait(for descriptor: FileDescriptor, path: String) throws(FileSystemError) -> FileLock {
        // swift-system wraps no `flock`, so its wait is retried here when a signal interrupts it.
        while flock(descriptor.rawValue, LOCK_EX) != 0 {
            let failure = Errno.current
            guard failure == .interrupted else {
                FileIO.closeQuietly(descriptor)
                throw .operationFailed(operation: "lock", path: path, errno: failure)
            }
        }
        return FileLock(descriptor: descriptor, path: path)
    }

    private static func open(
        _ path: String, _ mode: FileDescriptor.AccessMode, options: FileDescriptor.OpenOptions, operation: String
    ) throws(FileSystemError) -> FileDescriptor {
        do {
            return try Errno.typed {
                try FileDescriptor.open(
                    FilePath(path), mode, options: options.union(.closeOnExec), permissions: [.ownerReadWrite])
            }
        } catch {
            if error == .noSuchFileOrDirectory { throw .notFound(path: path) }
            throw .operationFailed(operation: operation, path: path, errno: error)
        }
    }
}
