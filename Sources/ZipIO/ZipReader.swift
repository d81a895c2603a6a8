import PurewheelBasics

/// Where an archive's bytes are: a file on disk, or a file already read whole, whose bytes libzip then reads where
/// they are, so that what is checked is exactly what was read (and, for an upstream wheel, hashed for its pin).
public enum ArchiveSource: Sendable {
    case file(path: String)
    case memory(FileBytes, label: String)

    /// The path, or the label of the bytes, as shown in errors and reports.
    public var label: String {
        switch self {
        case .file(let path): return path
        case .memory(_, let label): return label
        }
    }
}

/// Read access to one zip archive, opened with libzip's consistency checks (local and central headers must
/// agree, no trailing bytes, no duplicate names).
///
/// Use it inside `withArchive`, which closes the archive when the closure returns. Not `Sendable`: one
/// reader belongs to one task.
public final class ZipReader {
    let archive: LibzipArchive
    /// The archive's path, or the label of an in-memory archive, as shown in errors.
    public var label: String { archive.label }
    /// Every entry, in central-directory order; only those accepted when the archive was opened `listingOnly:`.
    public let entries: [ZipEntry]

    /// Describes only the entries whose names `isListed` accepts (every entry by default).
    private init(archive: LibzipArchive, listingOnly isListed: (String) -> Bool = { _ in true }) throws(ZipError) {
        self.archive = archive
        var entries = [ZipEntry]()
        for index in 0..<archive.entryCount where isListed(try archive.name(at: index)) {
            entries.append(try archive.entry(at: index))
        }
        self.entries = entries
    }

    /// Opens the archive at `path` for the duration of `body`.
    ///
    /// - Throws: `ZipError.cannotOpen` for a missing, malformed or inconsistent archive, or the `ZipError`
    ///   `body` throws.
    public static func withArchive<Result>(atPath path: String, _ body: (ZipReader) throws(ZipError) -> Result) throws(ZipError) -> Result {
        try withArchive(.file(path: path), body)
    }

    /// Opens the archive in `source` for the duration of `body`, listing in `entries` only those whose names `isListed` accepts (every
    /// entry by default).
    ///
    /// For a caller that wants a few entries of a large archive: the open checks every entry as usual, but the others are never
    /// described as Swift values (a wheel of 160,000 files would hold about 22 MB of them).
    ///
    /// - Throws: `ZipError.cannotOpen` for a missing, malformed or inconsistent archive, or the `ZipError` `body` throws.
    public static func withArchive<Result>(
        _ source: ArchiveSource, listingOnly isListed: (String) -> Bool = { _ in true },
        _ body: (ZipReader) throws(ZipError) -> Result
    ) throws(ZipError) -> Result {
        try body(ZipReader(archive: LibzipArchive.open(source), listingOnly: isListed))
    }

    /// Opens an archive held in memory for the duration of `body`; `label` names it in errors.
    ///
    /// - Throws: `ZipError.cannotOpen`, or the `ZipError` `body` throws.
    public static func withArchive<Result>(bytes: [UInt8], label: String, _ body: (ZipReader) throws(ZipError) -> Result) throws(ZipError)
        -> Result
    {
        try withArchive(.memory(FileBytes(copying: bytes), label: label), body)
    }

    /// Opens an archive held in memory for as long as the returned reader lives; for owners that lend one open archive to several steps
    /// (the pipeline's `UpstreamArchive`).
    ///
    /// `label` names it in errors.
    ///
    /// - Throws: `ZipError.cannotOpen`.
    package static func open(bytes: FileBytes, label: String) throws(ZipError) -> ZipReader {
        try ZipReader(archive: LibzipArchive.open(borrowing: bytes, label: label))
    }

    /// Reads a whole entry into memory, to the end so the CRC is checked.
    ///
    /// - Parameter limit: refuse entries that declare or produce more than this many bytes.
    /// - Throws: `ZipError.entryTooLarge` or `.cannotReadEntry`.
    public func read(_ entry: ZipEntry, limit: UInt64 = 1 << 31) throws(ZipError) -> [UInt8] {
        guard entry.uncompressedSize <= limit else {
            throw .entryTooLarge(archive: label, entry: entry.name, size: entry.uncompressedSize, limit: limit)
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(entry.uncompressedSize))
        try archive.readEntry(at: entry.index, name: entry.name) { (chunk: UnsafeRawBufferPointer) throws(ZipError) in
            guard UInt64(bytes.count + chunk.count) <= limit else {
                throw .entryTooLarge(archive: label, entry: entry.name, size: UInt64(bytes.count + chunk.count), limit: limit)
            }
            bytes.append(contentsOf: chunk)
        }
        return bytes
    }

    /// The entry's name as the archive stores its bytes: `entry.name` is libzip's decoding (CP437 when the UTF-8 flag is
    /// not set and the bytes are not UTF-8), these are what a reader decodes for itself.
    ///
    /// - Throws: `ZipError.cannotOpen` when libzip cannot name the entry.
    public func rawName(of entry: ZipEntry) throws(ZipError) -> [UInt8] { try archive.rawName(at: entry.index) }

    /// Streams an entry's uncompressed bytes in chunks of at most `chunkSize`, to the end (CRC checked),
    /// without holding the whole entry in memory.
    ///
    /// - Throws: `ZipError.cannotReadEntry`, or what `body` throws (as `ZipError`).
    public func stream(_ entry: ZipEntry, chunkSize: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) throws(ZipError) -> Void)
        throws(ZipError)
    {
        try archive.readEntry(at: entry.index, name: entry.name, chunkSize: chunkSize, body)
    }

    /// Hashes an entry while streaming it.
    ///
    /// - Returns: the SHA-256 digest and the number of uncompressed bytes actually read.
    /// - Throws: `ZipError.cannotReadEntry`.
    public func digest(_ entry: ZipEntry) throws(ZipError) -> (digest: SHA256Digest, size: UInt64) {
        var hasher = SHA256Hasher()
        var size: UInt64 = 0
        try stream(entry) { chunk in
            hasher.update(chunk)
            size += UInt64(chunk.count)
        }
        return (hasher.finalize(), size)
    }
}
