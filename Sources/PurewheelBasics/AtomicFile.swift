import Glibc

/// Errors from creating, syncing or renaming files.
public enum FileSystemError: PurewheelError, Equatable {
    /// A syscall failed on `path`.
    case operationFailed(operation: String, path: String, errno: Errno)
    /// A file that should exist does not.
    case notFound(path: String)
    /// An input is a FIFO, socket or device, not a regular file; it was never read (a FIFO would block).
    case notRegularFile(path: String, kind: SpecialFileKind)

    /// Where the failure is: the file the operation was on.
    public var location: SourceLocation? {
        switch self {
        case .operationFailed(_, let path, _), .notFound(let path), .notRegularFile(let path, _): return .file(path)
        }
    }

    /// `.io` for a failed syscall, `.missingInput` for a missing file, `.badInput` for a special file.
    public var category: FailureCategory {
        switch self {
        case .operationFailed: return .io
        case .notFound: return .missingInput
        case .notRegularFile: return .badInput
        }
    }

    /// What happened: the failed operation and its errno, or what the file is.
    public var message: String {
        switch self {
        case .operationFailed(let operation, _, let code):
            return "\(operation) failed: \(code)"
        case .notFound:
            return "no such file"
        case .notRegularFile(_, let kind):
            return "not a regular file (\(kind.rawValue)); it was not read"
        }
    }
}

/// What a path that is not a regular file holds (`st_mode`).
public enum SpecialFileKind: String, Sendable, Hashable {
    /// A named pipe: opening it for reading waits for a writer, reading it waits for data.
    case fifo = "a FIFO"
    /// A Unix socket.
    case socket = "a socket"
    /// A character device such as `/dev/zero`, which never ends.
    case characterDevice = "a character device"
    /// A block device.
    case blockDevice = "a block device"
    /// Anything else that is not a regular file or folder.
    case other = "a special file"
    /// A folder, where one file was wanted.
    case folder = "a folder"

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFDIR: self = .folder
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        default: self = .other
        }
    }
}

/// Publishes a file all at once: the content goes to a hidden temporary folder beside the destination (`.<name>.tmp-<random>/<name>`, so
/// the file keeps its real name while it is checked), is synced, and is renamed over the final path only when complete.
///
/// Readers never see a partial file, and a failure never replaces a good one. Being in the same folder keeps `rename(2)` atomic.
public struct AtomicFile: Sendable {
    /// The path that will exist once `commit` succeeds.
    public let destination: String
    /// The hidden folder that holds the temporary file.
    public let temporaryFolder: String
    /// The temporary file, with the destination's file name.
    public let temporaryPath: String
    /// Whether `commit` syncs the destination's folder after the rename.
    ///
    /// A file committed into a private staging folder skips it: only its data must be durable, since the staging folder is thrown away after a
    /// crash and the rename that publishes the file is synced in the output folder.
    public let syncsFolder: Bool

    /// Chooses a fresh temporary path beside `destination`; nothing is created yet.
    public init(destination: String, syncsFolder: Bool = true) {
        self.destination = destination
        self.syncsFolder = syncsFolder
        let (folder, name) = AtomicFile.split(destination)
        // Randomness only names a scratch folder; it never reaches the output bytes.
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let hidden = ".\(name).tmp-\(suffix)"
        self.temporaryFolder = folder.isEmpty ? hidden : "\(folder)/\(hidden)"
        self.temporaryPath = "\(temporaryFolder)/\(name)"
    }

    /// Creates the temporary folder.
    ///
    /// - Throws: `FileSystemError.operationFailed`.
    public func prepare() throws(FileSystemError) {
        guard mkdir(temporaryFolder, 0o700) == 0 else {
            throw .operationFailed(operation: "create temporary folder", path: temporaryFolder, errno: .current)
        }
    }

    /// Syncs the temporary file, renames it over the destination, and syncs the folder (unless `syncsFolder` is off).
    ///
    /// - Throws: `FileSystemError.operationFailed`; the temporary file is then removed and the destination is
    ///   untouched.
    public func commit() throws(FileSystemError) {
        do throws(FileSystemError) {
            try AtomicFile.sync(path: temporaryPath, flags: O_RDONLY)
            guard rename(temporaryPath, destination) == 0 else {
                throw FileSystemError.operationFailed(operation: "rename to \(destination)", path: temporaryPath, errno: .current)
            }
        } catch {
            discard()
            throw error
        }
        rmdir(temporaryFolder)
        guard syncsFolder else { return }
        let (folder, _) = AtomicFile.split(destination)
        // The rename is durable only once the folder itself is synced.
        try AtomicFile.sync(path: folder.isEmpty ? "." : folder, flags: O_RDONLY | O_DIRECTORY)
    }

    /// Removes the temporary file and folder (and anything a library left beside it there).
    public func discard() {
        if let directory = opendir(temporaryFolder) {
            while let item = readdir(directory) {
                let name = withUnsafeBytes(of: item.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { unlink("\(temporaryFolder)/\(name)") }
            }
            closedir(directory)
        }
        rmdir(temporaryFolder)
    }

    /// Prepares, runs `produce` to fill `temporaryPath`, and commits; on any error discards and rethrows.
    ///
    /// - Throws: `FileSystemError`, from `produce` or from preparing and committing.
    public func write(_ produce: (String) throws(FileSystemError) -> Void) throws(FileSystemError) {
        try prepare()
        do throws(FileSystemError) {
            try produce(temporaryPath)
        } catch {
            discard()
            throw error
        }
        try commit()
    }

    /// Writes `bytes` to the temporary path (after `prepare`), hashing them on the way out, so the
    /// caller learns the file's SHA-256 without reading it back.
    ///
    /// - Returns: the SHA-256 and size of what was written.
    /// - Throws: `FileSystemError.operationFailed`.
    public func stage(bytes: [UInt8]) throws(FileSystemError) -> (digest: SHA256Digest, size: UInt64) {
        try AtomicFile.create(temporaryPath, holding: bytes)
    }

    /// Writes `bytes` to `destination` atomically.
    ///
    /// - Throws: `FileSystemError.operationFailed` when any step fails; the destination is then untouched.
    public func write(bytes: [UInt8]) throws(FileSystemError) {
        try prepare()
        do throws(FileSystemError) {
            _ = try AtomicFile.create(temporaryPath, holding: bytes)
        } catch {
            discard()
            throw error
        }
        try commit()
    }

    /// Creates `path`, which must not exist, holding `bytes`, hashed as they are written; nothing is synced.
    static func create(_ path: String, holding bytes: [UInt8]) throws(FileSystemError) -> (digest: SHA256Digest, size: UInt64) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .operationFailed(operation: "create", path: path, errno: .current) }
        defer { close(fd) }
        var hasher = SHA256Hasher()
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                // `buffer` is non-empty here, so its base address exists.
                Glibc.write(fd, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            guard n > 0 else { throw .operationFailed(operation: "write", path: path, errno: .current) }
            // Hash exactly the bytes the kernel accepted, as they leave.
            bytes.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[written..<written + n])) }
            written += n
        }
        return (hasher.finalize(), UInt64(bytes.count))
    }

    /// Opens `path` with `flags` and `fsync`s it.
    static func sync(path: String, flags: Int32) throws(FileSystemError) {
        let fd = open(path, flags | O_CLOEXEC)
        guard fd >= 0 else { throw .operationFailed(operation: "open for fsync", path: path, errno: .current) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .operationFailed(operation: "fsync", path: path, errno: .current) }
    }

    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }
}

/// Small file helpers used at the edges (reading inputs, checking existence).
public enum FileIO {
    /// Opens `path` for reading only if it is a regular file (following symbolic links), and returns the
    /// descriptor; the caller closes it.
    ///
    /// The file is opened with `O_NONBLOCK`, so that opening a FIFO returns at once instead of waiting for a
    /// writer; `fstat` on the open descriptor (no race with a rename) then decides, and `O_NONBLOCK` is
    /// cleared before a regular file is read. A folder fails as reading it would (`EISDIR`).
    ///
    /// - Throws: `FileSystemError.notFound`, `.notRegularFile` for a FIFO, socket or device, or
    ///   `.operationFailed`.
    public static func openRegularFile(_ path: String) throws(FileSystemError) -> Int32 {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw .notFound(path: path) }
            throw .operationFailed(operation: "open", path: path, errno: .current)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let failure = Errno.current
            close(fd)
            throw .operationFailed(operation: "stat", path: path, errno: failure)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFDIR:
            close(fd)
            throw .operationFailed(operation: "read", path: path, errno: .isADirectory)
        default:
            close(fd)
            throw .notRegularFile(path: path, kind: SpecialFileKind(mode: info.st_mode))
        }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 else {
            let failure = Errno.current
            close(fd)
            throw .operationFailed(operation: "fcntl", path: path, errno: failure)
        }
        return fd
    }

    /// Reads a whole file.
    ///
    /// - Throws: `FileSystemError.notFound`, `.notRegularFile` or `.operationFailed`.
    public static func read(_ path: String) throws(FileSystemError) -> [UInt8] { try readWhole(path).array }

    /// SHA-256 and size of a file, read in 1 MiB chunks so large files are never held whole.
    ///
    /// - Throws: `FileSystemError.notFound` or `.operationFailed`.
    public static func digest(_ path: String) throws(FileSystemError) -> (digest: SHA256Digest, size: UInt64) {
        let fd = try openRegularFile(path)
        defer { close(fd) }
        var hasher = SHA256Hasher()
        var size: UInt64 = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw .operationFailed(operation: "read", path: path, errno: .current) }
            if n == 0 { break }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            size += UInt64(n)
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
            if mkdir(prefix, mode) != 0 {
                let failure = Errno.current
                var info = stat()
                let isFolder = stat(prefix, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
                guard failure == .exists, isFolder else {
                    throw .operationFailed(
                        operation: "create folder", path: prefix, errno: failure == .exists ? .notADirectory : failure)
                }
            }
            prefix += "/"
        }
    }

    /// Whether `path` (following symbolic links) is a regular file.
    public static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The canonical absolute path of `path` with every symbolic link resolved (`realpath(3)`), or `nil`
    /// when it cannot be resolved (missing, no permission).
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether a regular file or folder exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}
