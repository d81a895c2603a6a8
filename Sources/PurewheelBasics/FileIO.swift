import Glibc
import SystemPackage

/// Small file helpers used at the edges (reading inputs, checking existence), over swift-system's
/// `FileDescriptor` and `FilePath` where it wraps the call.
public enum FileIO {
    /// Opens `path` for reading only if it is a regular file (following symbolic links), and returns the
    /// raw descriptor; the caller closes it.
    ///
    /// The file is opened with `O_NONBLOCK`, so that opening a FIFO returns at once instead of waiting for a
    /// writer; `fstat` on the open descriptor (no race with a rename) then decides, and `O_NONBLOCK` is
    /// cleared before a regular file is read. A folder fails as reading it would (`EISDIR`).
    ///
    /// - Throws: `FileSystemError.notFound`, `.notRegularFile` for a FIFO, socket or device, or
    ///   `.operationFailed`.
    public static func openRegularFile(_ path: String) throws(FileSystemError) -> Int32 {
        try openRegularDescriptor(path).rawValue
    }

    /// `openRegularFile` as a swift-system descriptor.
    static func openRegularDescriptor(_ path: String) throws(FileSystemError) -> FileDescriptor {
        let descriptor: FileDescriptor
        do {
            descriptor = try Errno.typed {
                try FileDescriptor.open(FilePath(path), .readOnly, options: [.nonBlocking, .closeOnExec])
            }
        } catch {
            if error == .noSuchFileOrDirectory { throw .notFound(path: path) }
            throw .operationFailed(operation: "open", path: path, errno: error)
        }
        do throws(FileSystemError) {
            let type: FileType
            do { type = try descriptor.stat().type } catch { throw .operationFailed(operation: "stat", path: path, errno: error) }
            switch type {
            case .regular: break
            case .directory: throw .operationFailed(operation: "read", path: path, errno: .isDirectory)
            default: throw .notRegularFile(path: path, kind: SpecialFileKind(type))
            }
            // swift-system wraps no `fcntl`.
            let flags = fcntl(descriptor.rawValue, F_GETFL)
            guard flags >= 0, fcntl(descriptor.rawValue, F_SETFL, flags & ~O_NONBLOCK) == 0 else {
                throw .operationFailed(operation: "fcntl", path: path, errno: .current)
            }
        } catch {
            closeQuietly(descriptor)
            throw error
        }
        return descriptor
    }

    /// Reads a whole file.
    ///
    /// - Throws: `FileSystemError.notFound`, `.notRegularFile` or `.operationFailed`.
    public static func read(_ path: String) throws(FileSystemError) -> [UInt8] { try readWhole(path).array }

    /// SHA-256 and size of a file, read in 1 MiB chunks so large files are never held whole.
    ///
    /// - Throws: `FileSystemError.notFound` or `.operationFailed`.
    public static func digest(_ path: String) throws(FileSystemError) -> (digest: SHA256Digest, size: UInt64) {
        let descriptor = try openRegularDescriptor(path)
        defer { closeQuietly(descriptor) }
        var hasher = SHA256Hasher()
        var size: UInt64 = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count: Int
            do {
                count = try Errno.typed { try chunk.withUnsafeMutableBytes { try descriptor.read(into: $0) } }
            } catch {
                throw .operationFailed(operation: "read", path: path, errno: error)
            }
            if count == 0 { break }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            size += UInt64(count)
        }
        return (hasher.finalize(), size)
    }

    /// Creates the folder `path` and any missing parents (`mkdir -p`); an existing folder is fine.
    ///
    /// - Throws: `FileSystemError.operationFailed` with the `errno` the failing `mkdir` reported (e.g.
    ///   `ENOTDIR` when a file is in the way, `EACCES` for a read-only parent).
    public static func createDirectory(_ path: String, mode: mode_t = 0o755) throws(FileSystemError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            // swift-system wraps no `mkdir`.
            if mkdir(prefix, mode) != 0 {
                let failure = Errno.current
                guard failure == .fileExists, fileType(at: prefix) == .directory else {
                    throw .operationFailed(
                        operation: "create folder", path: prefix, errno: failure == .fileExists ? .notDirectory : failure)
                }
            }
            prefix += "/"
        }
    }

    /// Whether `path` (following symbolic links) is a regular file.
    public static func isRegularFile(_ path: String) -> Bool { fileType(at: path) == .regular }

    /// The canonical absolute path of `path` with every symbolic link resolved (`realpath(3)`), or `nil`
    /// when it cannot be resolved (missing, no permission).
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether a regular file or folder exists at `path`.
    public static func exists(_ path: String) -> Bool { fileType(at: path) != nil }

    /// What is at `path` (`stat`, or `lstat` when `followingLinks` is off), or `nil` when it cannot be asked.
    static func fileType(at path: String, followingLinks: Bool = true) -> FileType? {
        do throws(Errno) {
            return try FilePath(path).stat(followTargetSymlink: followingLinks).type
        } catch {
            return nil
        }
    }

    /// Opens `path` (a folder when `isFolder`) and `fsync`s it: for a file, its data is on disk; for a folder,
    /// the renames in it are.
    ///
    /// - Throws: `FileSystemError.operationFailed`.
    static func sync(_ path: String, isFolder: Bool) throws(FileSystemError) {
        let descriptor: FileDescriptor
        do {
            descriptor = try Errno.typed {
                try FileDescriptor.open(FilePath(path), .readOnly, options: isFolder ? [.directory, .closeOnExec] : [.closeOnExec])
            }
        } catch {
            throw .operationFailed(operation: "open for fsync", path: path, errno: error)
        }
        defer { closeQuietly(descriptor) }
        // swift-system wraps no `fsync`.
        guard fsync(descriptor.rawValue) == 0 else { throw .operationFailed(operation: "fsync", path: path, errno: .current) }
    }

    /// Closes a descriptor that was only read or synced: nothing written depends on it, so a failure has nothing to
    /// report.
    static func closeQuietly(_ descriptor: FileDescriptor) {
        do { try descriptor.close() } catch {}
    }
}
