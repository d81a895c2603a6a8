/// One member of a zip archive as its central directory describes it.
public struct ZipEntry: Sendable, Hashable {
    /// Position in the central directory.
    public let index: Int
    /// The name, decoded as UTF-8 (or CP437 when the archive does not flag UTF-8).
    public let name: String
    /// Uncompressed size the archive declares.
    public let uncompressedSize: UInt64
    /// Compressed size the archive declares.
    public let compressedSize: UInt64
    /// Declared CRC-32 of the uncompressed data.
    public let crc32: UInt32
    /// Compression method number (0 stored, 8 deflate, ...).
    public let compressionMethod: UInt16
    /// Whether the entry is encrypted.
    public let isEncrypted: Bool
    /// The Unix mode in the high half of the external attributes, when the entry was made on Unix.
    public let unixMode: UInt32?

    /// Creates an entry description.
    public init(
        index: Int, name: String, uncompressedSize: UInt64, compressedSize: UInt64, crc32: UInt32,
        compressionMethod: UInt16, isEncrypted: Bool, unixMode: UInt32?
    ) {
        self.index = index
        self.name = name
        self.uncompressedSize = uncompressedSize
        self.compressedSize = compressedSize
        self.crc32 = crc32
        self.compressionMethod = compressionMethod
        self.isEncrypted = isEncrypted
        self.unixMode = unixMode
    }

    /// Directory entries end in `/` by zip convention.
    public var isDirectory: Bool { name.hasSuffix("/") }

    /// Whether any execute bit is set in the Unix mode.
    public var isExecutable: Bool { (unixMode ?? 0) & 0o111 != 0 }

    /// Whether the Unix mode says symbolic link.
    public var isSymlink: Bool { (unixMode ?? 0) & 0o170000 == 0o120000 }

    /// Whether the Unix mode names something other than a regular file, folder or nothing at all.
    public var isSpecialFile: Bool {
        guard let mode = unixMode else { return false }
        let kind = mode & 0o170000
        return kind != 0 && kind != 0o100000 && kind != 0o040000
    }
}

/// Compression methods purewheel writes and accepts.
public enum CompressionMethod: UInt16, Sendable {
    /// No compression.
    case stored = 0
    /// Deflate (RFC 1951).
    case deflate = 8
}
