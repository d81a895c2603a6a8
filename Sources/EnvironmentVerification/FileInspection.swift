import PurewheelBasics

/// One listed file to look at on disk: where it is, what RECORD says about it, and how much to check.
struct FileInspection: Sendable {
    /// What to compare the file with.
    enum Expectation: Sendable, Hashable {
        /// Only that a regular file is there (RECORD itself, byte-code caches, rows without a usable hash), with the
        /// size when RECORD gives one.
        case presence
        /// A SHA-2 digest of the whole content.
        case digest(DigestAlgorithm, [UInt8])
    }

    /// The path resolved on the text of the row, absolute, inside the prefix.
    let path: String
    /// The size RECORD lists, if any.
    let size: UInt64?
    /// What to compare.
    let expectation: Expectation
    /// Whether to hand back the content (at most `keptContentLimit` bytes), for a `.pth` file whose lines are classified.
    let keepsContent: Bool

    /// The largest content kept for classification; a larger `.pth` file is not kept (and is refused as unreadable).
    static let keptContentLimit = 16 << 20

    /// What was found.
    enum Outcome: Sendable, Hashable {
        /// The file matches; its content when it was asked for and not too large.
        case verified(content: [UInt8]?)
        /// Nothing there; `detail` says what instead (`nil`: plainly absent).
        case missing(detail: String?)
        /// A symbolic link on the way, or the file itself, leads to `target`, outside the prefix.
        case leavesPrefix(target: String)
        /// Something other than a regular file is there.
        case notRegular(FileStatus.Kind)
        /// A system call failed.
        case unreadable(Errno)
        /// The size differs (found from `lstat` or by reading).
        case sizeMismatch(actual: UInt64)
        /// The digest differs; `actual` is RECORD's spelling of what was read.
        case digestMismatch(actual: String)
    }

    /// Looks at the file: never follows a link out of `realPrefix`, never opens what is not a regular file.
    ///
    /// - Parameters:
    ///   - realPrefix: the environment's prefix with every symbolic link resolved.
    ///   - location: where the walk of site-packages saw the file, or the real path of its folder.
    func inspect(realPrefix: String, location: Location) -> Outcome {
        let target: String
        let status: FileStatus?
        switch location {
        case .walkedRegularFile:
            // The walk listed it as a regular file, through folders only: no link on the way to resolve, and the
            // open below refuses anything else that may have replaced it since.
            target = path
            status = nil
        case .inFolder(let folderResolution):
            switch locate(realPrefix: realPrefix, realFolder: folderResolution) {
            case .success(let found):
                target = found.path
                status = found.status
            case .failure(let failure): return failure.outcome
            }
        }
        if let status, let size, status.size != size { return .sizeMismatch(actual: status.size) }
        // Presence alone is known without opening the file, unless a size is to be compared and no `lstat` gave one.
        if case .presence = expectation, !keepsContent, status != nil || size == nil { return .verified(content: nil) }
        let outcome = FileSystemProbe.withRegularFile(target, expected: status) { file, opened in
            read(file, status: opened)
        }
        switch outcome {
        case .success(let outcome): return outcome
        case .failure(.failed(let failure)): return failure.meansAbsent ? .missing(detail: nil) : .unreadable(failure.errno)
        case .failure(.changed(let kind)): return kind == .regular ? .missing(detail: "replaced while it was checked") : .notRegular(kind)
        }
    }

    /// Where a listed file is, as far as `inspect` needs to know before opening it.
    enum Location: Sendable {
        /// The walk of site-packages listed it as a regular file, reached through real folders only.
        case walkedRegularFile
        /// Elsewhere: the real path of its folder (resolved once per folder by the caller), or nil to resolve it here.
        case inFolder(Result<String, FileSystemProbe.Failure>?)
    }

    /// The file's real path and `lstat`, for a file the walk did not see: a symbolic link on the way or at the end
    /// is resolved and must stay inside the prefix.
    private func locate(
        realPrefix: String, realFolder folderResolution: Result<String, FileSystemProbe.Failure>?
    ) -> Result<(path: String, status: FileStatus), OutcomeFailure> {
        let (folder, name) = InstalledPath.split(path)
        let realFolder: String
        switch folderResolution ?? FileSystemProbe.realPath(folder) {
        case .success(let resolved): realFolder = resolved
        case .failure(let failure): return .failure(.init(failure.meansAbsent ? .missing(detail: nil) : .unreadable(failure.errno)))
        }
        guard InstalledPath.isWithin(realFolder, realPrefix) else { return .failure(.init(.leavesPrefix(target: realFolder + "/" + name))) }
        var target = realFolder == "/" ? "/" + name : realFolder + "/" + name
        var status: FileStatus
        switch FileSystemProbe.status(target) {
        case .success(let found): status = found
        case .failure(let failure): return .failure(.init(failure.meansAbsent ? .missing(detail: nil) : .unreadable(failure.errno)))
        }
        if status.kind == .symbolicLink {
            // An installer writes no symbolic links; one that stays inside the environment (a link-mode install)
            // is judged by what it points to.
            switch FileSystemProbe.realPath(target) {
            case .success(let resolved): target = resolved
            case .failure(let failure):
                return .failure(.init(failure.meansAbsent ? .missing(detail: "a symbolic link to nothing") : .unreadable(failure.errno)))
            }
            guard InstalledPath.isWithin(target, realPrefix) else { return .failure(.init(.leavesPrefix(target: target))) }
            switch FileSystemProbe.status(target) {
            case .success(let found): status = found
            case .failure(let failure): return .failure(.init(failure.meansAbsent ? .missing(detail: nil) : .unreadable(failure.errno)))
            }
        }
        guard status.kind == .regular else { return .failure(.init(.notRegular(status.kind))) }
        return .success((target, status))
    }

    /// An outcome known before the file is opened.
    private struct OutcomeFailure: Error {
        let outcome: Outcome
        init(_ outcome: Outcome) { self.outcome = outcome }
    }

    /// Compares the opened file's size with RECORD's, then streams its `status.size` bytes through the digest, in
    /// chunks of at most `EnvironmentVerifier.chunkSize`: a file whose size differs is not read at all.
    private func read(_ file: FileReader, status: FileStatus) -> Outcome {
        if let size, status.size != size { return .sizeMismatch(actual: status.size) }
        let algorithm: DigestAlgorithm?
        let expected: [UInt8]
        switch expectation {
        case .presence:
            guard keepsContent else { return .verified(content: nil) }
            (algorithm, expected) = (nil, [])
        case .digest(let listed, let digest): (algorithm, expected) = (listed, digest)
        }
        // Sized to the file, so the many small files of an environment cost one small allocation and one `read`.
        let buffer = UnsafeMutableRawBufferPointer.allocate(
            byteCount: Int(min(max(status.size, 1), UInt64(EnvironmentVerifier.chunkSize))), alignment: 64)
        defer { buffer.deallocate() }
        let digester = algorithm.map(StreamingDigest.init)
        var content: [UInt8]? = keepsContent && status.size <= UInt64(Self.keptContentLimit) ? [] : nil
        var total: UInt64 = 0
        // The size `fstat` gave is what is compared: bytes appended while reading are not read.
        while total < status.size {
            let count: Int
            switch file.readChunk(
                into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(min(UInt64(buffer.count), status.size - total))]))
            {
            case .success(let read): count = read
            case .failure(let failure): return .unreadable(failure.errno)
            }
            if count == 0 { return .sizeMismatch(actual: total) }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            digester?.update(chunk)
            content?.append(contentsOf: chunk)
            total += UInt64(count)
        }
        guard let algorithm, let digester else { return .verified(content: content) }
        let actual = digester.finalize()
        return actual == expected ? .verified(content: content) : .digestMismatch(actual: algorithm.recordHash(actual))
    }
}

/// The hash algorithms an installed RECORD may use that purewheel computes: SHA-256 and the stronger SHA-2 members.
enum DigestAlgorithm: String, Sendable, Hashable {
    case sha256, sha384, sha512

    /// The digest length in bytes.
    var length: Int {
        switch self {
        case .sha256: return 32
        case .sha384: return 48
        case .sha512: return 64
        }
    }

    /// RECORD's spelling of a digest: `sha256=<urlsafe base64, no padding>`.
    func recordHash(_ digest: [UInt8]) -> String { "\(rawValue)=\(Base64URL.encode(digest))" }
}

/// An incremental digest of one of the `DigestAlgorithm`s, for one file.
///
/// A class, because `SHA256Hasher` is non-copyable and an optional stored property of a class can hold it.
private final class StreamingDigest {
    private var sha256: SHA256Hasher?
    private var strong: StrongDigestHasher?

    init(_ algorithm: DigestAlgorithm) {
        switch algorithm {
        case .sha256: sha256 = SHA256Hasher()
        case .sha384: strong = StrongDigestHasher(.sha384)
        case .sha512: strong = StrongDigestHasher(.sha512)
        }
    }

    func update(_ bytes: UnsafeRawBufferPointer) {
        if strong != nil { strong?.update(bytes) } else { sha256?.update(bytes) }
    }

    func finalize() -> [UInt8] {
        if strong != nil { return strong?.finalize() ?? [] }
        guard let hasher = sha256.take() else { return [] }
        return hasher.finalize().bytes
    }
}
