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

    /// The real paths of the folders that hold listed files, resolved once each: thousands of files share a few
    /// hundred folders, and `realpath` costs a `readlink` per path segment.
    static func realFolders(of inspections: [FileInspection]) -> [String: Result<String, FileSystemProbe.Failure>] {
        var folders = [String: Result<String, FileSystemProbe.Failure>]()
        for inspection in inspections {
            let folder = InstalledPath.split(inspection.path).folder
            if folders[folder] == nil { folders[folder] = FileSystemProbe.realPath(folder) }
        }
        return folders
    }

    /// Looks at the file: never follows a link out of `realPrefix`, never opens what is not a regular file.
    ///
    /// - Parameters:
    ///   - realPrefix: the environment's prefix with every symbolic link resolved.
    ///   - realFolder: `realpath` of the folder part of `path`, as `realFolders(of:)` gives it.
    ///   - buffer: scratch space for reading, owned by the calling worker.
    func inspect(
        realPrefix: String, realFolder folderResolution: Result<String, FileSystemProbe.Failure>?,
        buffer: UnsafeMutableRawBufferPointer
    ) -> Outcome {
        let (folder, name) = InstalledPath.split(path)
        let realFolder: String
        switch folderResolution ?? FileSystemProbe.realPath(folder) {
        case .success(let resolved): realFolder = resolved
        case .failure(let failure): return failure.meansAbsent ? .missing(detail: nil) : .unreadable(failure.errno)
        }
        guard InstalledPath.isWithin(realFolder, realPrefix) else { return .leavesPrefix(target: realFolder + "/" + name) }
        var target = realFolder == "/" ? "/" + name : realFolder + "/" + name
        var status: FileStatus
        switch FileSystemProbe.status(target) {
        case .success(let found): status = found
        case .failure(let failure): return failure.meansAbsent ? .missing(detail: nil) : .unreadable(failure.errno)
        }
        if status.kind == .symbolicLink {
            // An installer writes no symbolic links; one that stays inside the environment (a link-mode install)
            // is judged by what it points to.
            switch FileSystemProbe.realPath(target) {
            case .success(let resolved): target = resolved
            case .failure(let failure):
                return failure.meansAbsent ? .missing(detail: "a symbolic link to nothing") : .unreadable(failure.errno)
            }
            guard InstalledPath.isWithin(target, realPrefix) else { return .leavesPrefix(target: target) }
            switch FileSystemProbe.status(target) {
            case .success(let found): status = found
            case .failure(let failure): return failure.meansAbsent ? .missing(detail: nil) : .unreadable(failure.errno)
            }
        }
        guard status.kind == .regular else { return .notRegular(status.kind) }
        if let size, status.size != size { return .sizeMismatch(actual: status.size) }
        guard case .digest(let algorithm, let expected) = expectation else {
            return keepsContent ? read(target, status: status, algorithm: nil, expected: [], buffer: buffer) : .verified(content: nil)
        }
        return read(target, status: status, algorithm: algorithm, expected: expected, buffer: buffer)
    }

    /// Streams the file through the digest in chunks of `buffer`'s size; compares size and digest.
    private func read(
        _ path: String, status: FileStatus, algorithm: DigestAlgorithm?, expected: [UInt8], buffer: UnsafeMutableRawBufferPointer
    ) -> Outcome {
        let outcome = FileSystemProbe.withRegularFile(path, expected: status) { file in
            stream(file, algorithm: algorithm, expected: expected, buffer: buffer)
        }
        switch outcome {
        case .success(let outcome): return outcome
        case .failure(.failed(let failure)): return failure.meansAbsent ? .missing(detail: nil) : .unreadable(failure.errno)
        case .failure(.changed(let kind)): return kind == .regular ? .missing(detail: "replaced while it was checked") : .notRegular(kind)
        }
    }

    private func stream(
        _ file: FileReader, algorithm: DigestAlgorithm?, expected: [UInt8], buffer: UnsafeMutableRawBufferPointer
    ) -> Outcome {
        let digester = algorithm.map(StreamingDigest.init)
        var content: [UInt8]? = keepsContent ? [] : nil
        var total: UInt64 = 0
        // With a listed size, one byte more than it is enough to know the file differs: a file grown to any size costs
        // no more than that.
        let limit = size.map { $0 &+ 1 } ?? UInt64.max
        while total < limit {
            let count: Int
            switch file.readChunk(into: buffer) {
            case .success(let read): count = read
            case .failure(let failure): return .unreadable(failure.errno)
            }
            if count == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            digester?.update(chunk)
            if content != nil {
                if (content?.count ?? 0) + count <= Self.keptContentLimit { content?.append(contentsOf: chunk) } else { content = nil }
            }
            total += UInt64(count)
        }
        if let size, total != size { return .sizeMismatch(actual: total) }
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
