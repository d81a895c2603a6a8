#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Errors from creating, syncing or renaming files.
public enum FileSystemError: PurewheelError, Equatable {
    /// A syscall failed on `path`.
    case operationFailed(operation: String, path: String, errno: Int32)
    /// A file that should exist does not.
    case notFound(path: String)

    public var location: SourceLocation? {
        switch self {
        case .operationFailed(_, let path, _), .notFound(let path): return .file(path)
        }
    }

    public var category: FailureCategory {
        switch self {
        case .operationFailed: return .io
        case .notFound: return .missingInput
        }
    }

    public var message: String {
        switch self {
        case .operationFailed(let operation, _, let code):
            return "\(operation) failed: \(String(cString: strerror(code)))"
        case .notFound:
            return "no such file"
        }
    }
}

/// Publishes a file all at once: the content goes to a hidden temporary folder beside the destination
/// (`.<name>.tmp-<random>/<name>`, so the file keeps its real name while it is checked), is synced, and is
/// renamed over the final path only when complete. Readers never see a partial file, and a failure never
/// replaces a good one. Being in the same folder keeps `rename(2)` atomic.
public struct AtomicFile: Sendable {
    /// The path that will exist once `commit` succeeds.
    public let destination: String
    /// The hidden folder that holds the temporary file.
    public let temporaryFolder: String
    /// The temporary file, with the destination's file name.
    public let temporaryPath: String

    /// Chooses a fresh temporary path beside `destination`; nothing is created yet.
    public init(destination: String) {
        self.destination = destination
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
            throw .operationFailed(operation: "create temporary folder", path: temporaryFolder, errno: errno)
        }
    }

    /// Syncs the temporary file, renames it over the destination, and syncs the folder.
    ///
    /// - Throws: `FileSystemError.operationFailed`; the temporary file is then removed and the destination is
    ///   untouched.
    public func commit() throws(FileSystemError) {
        do throws(FileSystemError) {
            try AtomicFile.sync(path: temporaryPath, flags: O_RDONLY)
            guard rename(temporaryPath, destination) == 0 else {
                throw FileSystemError.operationFailed(operation: "rename to \(destination)", path: temporaryPath, errno: errno)
            }
        } catch {
            discard()
            throw error
        }
        rmdir(temporaryFolder)
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
    /// - Throws: what `produce` throws, or `FileSystemError`.
    public func write(_ produce: (String) throws -> Void) throws {
        try prepare()
        do {
            try produce(temporaryPath)
        } catch {
            discard()
            throw error
        }
        try commit()
    }

    /// Writes `bytes` to `destination` atomically.
    ///
    /// - Throws: `FileSystemError.operationFailed` when any step fails; the destination is then untouched.
    public func write(bytes: [UInt8]) throws(FileSystemError) {
        try prepare()
        do throws(FileSystemError) {
            try AtomicFile.create(temporaryPath, holding: bytes)
        } catch {
            discard()
            throw error
        }
        try commit()
    }

    private static func create(_ path: String, holding bytes: [UInt8]) throws(FileSystemError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .operationFailed(operation: "create", path: path, errno: errno) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                // `buffer` is non-empty here, so its base address exists.
                Glibc.write(fd, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            guard n > 0 else { throw .operationFailed(operation: "write", path: path, errno: errno) }
            written += n
        }
    }

    private static func sync(path: String, flags: Int32) throws(FileSystemError) {
        let fd = open(path, flags | O_CLOEXEC)
        guard fd >= 0 else { throw .operationFailed(operation: "open for fsync", path: path, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .operationFailed(operation: "fsync", path: path, errno: errno) }
    }

    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }
}

/// Small file helpers used at the edges (reading inputs, checking existence).
public enum FileIO {
    /// Reads a whole file.
    ///
    /// - Throws: `FileSystemError.notFound` or `.operationFailed`.
    public static func read(_ path: String) throws(FileSystemError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw .notFound(path: path) }
            throw .operationFailed(operation: "open", path: path, errno: errno)
        }
        defer { close(fd) }
        var result = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw .operationFailed(operation: "read", path: path, errno: errno) }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// SHA-256 and size of a file, read in 1 MiB chunks so large files are never held whole.
    ///
    /// - Throws: `FileSystemError.notFound` or `.operationFailed`.
    public static func digest(_ path: String) throws(FileSystemError) -> (digest: SHA256Digest, size: UInt64) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw .notFound(path: path) }
            throw .operationFailed(operation: "open", path: path, errno: errno)
        }
        defer { close(fd) }
        var hasher = SHA256Hasher()
        var size: UInt64 = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw .operationFailed(operation: "read", path: path, errno: errno) }
            if n == 0 { break }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            size += UInt64(n)
        }
        return (hasher.finalize(), size)
    }

    /// Whether a regular file or folder exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}
