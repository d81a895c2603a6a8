import Glibc
import SystemPackage

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
        // swift-system wraps no `mkdir`.
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
            try FileIO.sync(temporaryPath, isFolder: false)
            try FileIO.rename(temporaryPath, to: destination)
        } catch {
            discard()
            throw error
        }
        rmdir(temporaryFolder)
        guard syncsFolder else { return }
        let (folder, _) = AtomicFile.split(destination)
        // The rename is durable only once the folder itself is synced.
        try FileIO.sync(folder.isEmpty ? "." : folder, isFolder: true)
    }

    /// Removes the temporary file and folder (and anything a library left beside it there).
    public func discard() {
        // Best effort, on a path that already failed: what is left is one hidden folder, and the caller reports the
        // failure that brought it here.
        do { try FileIO.removeTree(temporaryFolder) } catch {}
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
        try write { (path: String) throws(FileSystemError) in _ = try AtomicFile.create(path, holding: bytes) }
    }

    /// Creates `path`, which must not exist, holding `bytes`, and hashes them; nothing is synced.
    static func create(_ path: String, holding bytes: [UInt8]) throws(FileSystemError) -> (digest: SHA256Digest, size: UInt64) {
        let descriptor: FileDescriptor
        do {
            descriptor = try Errno.typed {
                try FileDescriptor.open(
                    FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                    permissions: [.ownerReadWrite, .groupRead, .otherRead])
            }
        } catch {
            throw .operationFailed(operation: "create", path: path, errno: error)
        }
        do {
            // `writeAll` returns only once the kernel has taken every byte, so these are the bytes the file holds.
            _ = try Errno.typed { try descriptor.closeAfter { try descriptor.writeAll(bytes) } }
        } catch {
            throw .operationFailed(operation: "write", path: path, errno: error)
        }
        var hasher = SHA256Hasher()
        bytes.withUnsafeBytes { hasher.update($0) }
        return (hasher.finalize(), UInt64(bytes.count))
    }

    private static func split(_ path: String) -> (folder: String, name: String) {
        let path = FilePath(path)
        return (path.removingLastComponent().string, path.lastComponent?.string ?? "")
    }
}
