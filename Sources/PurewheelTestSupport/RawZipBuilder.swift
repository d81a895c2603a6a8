/// Writes zip archives byte by byte, for hostile and unusual fixtures that libzip will not produce:
/// duplicate names, overlapping entries, bytes before or after the archive, a second end record in the
/// comment, data descriptors, ZIP64 records, encryption flags, symlink modes, other methods, CRC errors and
/// local headers that disagree with the central directory.
///
/// Deflate entries are encoded with stored deflate blocks (RFC 1951 §3.2.4), which every inflater accepts,
/// so no compressor is needed; `compressedPayload` can carry real compressed bytes instead.
public struct RawZipBuilder: Sendable {
    /// One archive member and the ways to misdescribe it.
    public struct Entry: Sendable {
        /// Name bytes as written in both headers (unless `localName` differs).
        public var name: [UInt8]
        /// The uncompressed content.
        public var data: [UInt8]
        /// Compression method written in the headers: 0 stored, 8 deflate; anything else stores `data` raw.
        public var method: UInt16 = 0
        /// General-purpose flags (UTF-8 names by default).
        public var flags: UInt16 = 0x0800
        /// Unix mode for the external attributes; `nil` writes an MS-DOS entry.
        public var unixMode: UInt32? = 0o100644
        /// Writes sizes and CRC after the data instead of in the local header (flag bit 3).
        public var usesDataDescriptor = false
        /// Writes the optional data descriptor signature.
        public var descriptorHasSignature = true
        /// Writes ZIP64 extra fields with 0xFFFFFFFF placeholders for sizes and offset.
        public var isZip64 = false
        /// Raw bytes written as the compressed data instead of encoding `data`.
        public var compressedPayload: [UInt8]?
        /// Whether the central directory lists the entry (its local header is written either way).
        public var isInCentralDirectory = true
        /// Make the central record point at another entry's local header (by index) instead of its own.
        public var sharesLocalHeaderWith: Int?
        /// Make the central record point at this offset, where there may be no local header at all.
        public var localHeaderOffset: Int?

        /// Local header overrides.
        public var localName: [UInt8]?
        /// The local header's compression method, instead of the entry's.
        public var localMethod: UInt16?
        /// The local header's general-purpose flags, instead of the entry's.
        public var localFlags: UInt16?
        /// The local header's CRC-32, instead of the data's.
        public var localCRC: UInt32?
        /// The local header's uncompressed size, instead of the data's.
        public var localUncompressedSize: UInt32?
        /// Central record overrides.
        public var centralCRC: UInt32?
        /// Declared uncompressed size in both headers (and the descriptor), whatever the data is.
        public var declaredUncompressedSize: UInt64?
        /// Data descriptor override.
        public var descriptorCRC: UInt32?
        /// Extra field bytes appended to the local header's extra field (after any ZIP64 field).
        public var localExtra: [UInt8] = []
        /// Extra field bytes appended to the central record's extra field (after any ZIP64 field).
        public var centralExtra: [UInt8] = []
        /// Replaces the local ZIP64 extra field's data (the sizes stay 0xFFFFFFFF in the header).
        public var localZip64Data: [UInt8]?
        /// The central record's file comment.
        public var centralComment: [UInt8] = []

        /// A stored entry.
        public init(_ name: String, _ text: String, method: UInt16 = 0) {
            self.init(name, bytes: Array(text.utf8), method: method)
        }

        /// An entry with binary content.
        public init(_ name: String, bytes: [UInt8], method: UInt16 = 0) {
            self.name = Array(name.utf8)
            self.data = bytes
            self.method = method
        }
    }

    /// Entries in archive order.
    public var entries: [Entry]
    /// Bytes before the first local header.
    public var prefix: [UInt8] = []
    /// Whether offsets count the prefix (as `zip -A` does) or not (as `cat stub a.zip` leaves them).
    public var offsetsIncludePrefix = true
    /// Bytes written after the local header and data of the entry at the given index.
    public var gaps: [Int: [UInt8]] = [:]
    /// The archive comment.
    public var comment: [UInt8] = []
    /// Bytes after the end record.
    public var trailing: [UInt8] = []
    /// Writes ZIP64 end record and locator even if nothing needs them.
    public var writesZip64EndRecord = false
    /// Bytes of the ZIP64 end record's extensible data sector (its size field counts them).
    public var zip64ExtensibleData: [UInt8] = []
    /// End record overrides.
    public var endEntryCount: UInt16?
    /// The end record's central directory offset, instead of the real one.
    public var endCentralDirectoryOffset: UInt32?

    /// Creates a builder.
    public init(entries: [Entry]) { self.entries = entries }

    /// The archive bytes.
    public func bytes() -> [UInt8] {
        var out = prefix
        let base = offsetsIncludePrefix ? 0 : prefix.count
        var localOffsets = [Int]()
        var payloads = [[UInt8]]()
        for (index, entry) in entries.enumerated() {
            localOffsets.append(out.count - base)
            let payload = entry.compressedPayload ?? Self.encode(entry.data, method: entry.method)
            payloads.append(payload)
            out += localHeader(entry, payload: payload)
            out += payload
            if entry.usesDataDescriptor { out += descriptor(entry, payload: payload) }
            out += gaps[index] ?? []
        }
        let directoryOffset = out.count - base
        var count = 0
        for (index, entry) in entries.enumerated() where entry.isInCentralDirectory {
            let offset = entry.localHeaderOffset ?? localOffsets[entry.sharesLocalHeaderWith ?? index]
            out += centralRecord(entry, payload: payloads[index], localOffset: offset)
            count += 1
        }
        let directorySize = out.count - base - directoryOffset
        let needsZip64 = writesZip64EndRecord || entries.contains { $0.isZip64 }
        if needsZip64 {
            let recordOffset = out.count - base
            out += le32(0x0606_4B50) + le64(44 + UInt64(zip64ExtensibleData.count)) + le16(45) + le16(45) + le32(0) + le32(0)
            out += le64(UInt64(count)) + le64(UInt64(count)) + le64(UInt64(directorySize)) + le64(UInt64(directoryOffset))
            out += zip64ExtensibleData
            out += le32(0x0706_4B50) + le32(0) + le64(UInt64(recordOffset)) + le32(1)
        }
        let shortCount = endEntryCount ?? (needsZip64 ? 0xFFFF : UInt16(count))
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(shortCount) + le16(shortCount)
        out += le32(needsZip64 ? 0xFFFF_FFFF : UInt32(directorySize))
        out += le32(endCentralDirectoryOffset ?? (needsZip64 ? 0xFFFF_FFFF : UInt32(directoryOffset)))
        out += le16(UInt16(comment.count)) + comment
        return out + trailing
    }

    private func localHeader(_ entry: Entry, payload: [UInt8]) -> [UInt8] {
        let crc = CRC32.checksum(entry.data)
        let size = entry.declaredUncompressedSize ?? UInt64(entry.data.count)
        let deferred = entry.usesDataDescriptor
        var header = le32(0x0403_4B50) + le16(entry.isZip64 ? 45 : 20) + le16(entry.localFlags ?? flags(entry))
        header += le16(entry.localMethod ?? entry.method) + le16(0) + le16(0x21)
        header += le32(entry.localCRC ?? (deferred ? 0 : crc))
        var extra = [UInt8]()
        if entry.isZip64 {
            header += le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF)
            let data = entry.localZip64Data ?? (le64(deferred ? 0 : size) + le64(deferred ? 0 : UInt64(payload.count)))
            extra = le16(1) + le16(UInt16(data.count)) + data
        } else {
            header += le32(deferred ? 0 : UInt32(payload.count))
            header += le32(entry.localUncompressedSize ?? (deferred ? 0 : UInt32(truncatingIfNeeded: size)))
        }
        extra += entry.localExtra
        let name = entry.localName ?? entry.name
        return header + le16(UInt16(name.count)) + le16(UInt16(extra.count)) + name + extra
    }

    private func descriptor(_ entry: Entry, payload: [UInt8]) -> [UInt8] {
        let size = entry.declaredUncompressedSize ?? UInt64(entry.data.count)
        var out = entry.descriptorHasSignature ? le32(0x0807_4B50) : []
        out += le32(entry.descriptorCRC ?? CRC32.checksum(entry.data))
        if entry.isZip64 {
            out += le64(UInt64(payload.count)) + le64(size)
        } else {
            out += le32(UInt32(payload.count)) + le32(UInt32(truncatingIfNeeded: size))
        }
        return out
    }

    private func centralRecord(_ entry: Entry, payload: [UInt8], localOffset: Int) -> [UInt8] {
        let size = entry.declaredUncompressedSize ?? UInt64(entry.data.count)
        let madeBy: UInt16 = entry.unixMode == nil ? 20 : (3 << 8 | 20)
        var record = le32(0x0201_4B50) + le16(madeBy) + le16(entry.isZip64 ? 45 : 20) + le16(flags(entry))
        record += le16(entry.method) + le16(0) + le16(0x21) + le32(entry.centralCRC ?? CRC32.checksum(entry.data))
        var extra = [UInt8]()
        if entry.isZip64 {
            record += le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF)
            extra = le16(1) + le16(24) + le64(size) + le64(UInt64(payload.count)) + le64(UInt64(localOffset))
        } else {
            record += le32(UInt32(payload.count)) + le32(UInt32(truncatingIfNeeded: size))
        }
        extra += entry.centralExtra
        record += le16(UInt16(entry.name.count)) + le16(UInt16(extra.count)) + le16(UInt16(entry.centralComment.count)) + le16(0) + le16(0)
        record += le32((entry.unixMode ?? 0) << 16)
        record += le32(entry.isZip64 ? 0xFFFF_FFFF : UInt32(localOffset))
        return record + entry.name + extra + entry.centralComment
    }

    private func flags(_ entry: Entry) -> UInt16 { entry.flags | (entry.usesDataDescriptor ? 0x0008 : 0) }

    /// Deflate as stored blocks of at most 65,535 bytes; other methods keep the bytes as they are.
    public static func encode(_ data: [UInt8], method: UInt16) -> [UInt8] {
        guard method == 8 else { return data }
        var out = [UInt8]()
        var index = 0
        repeat {
            let count = min(65_535, data.count - index)
            let isFinal = index + count == data.count
            out.append(isFinal ? 1 : 0)
            out += le16(UInt16(count)) + le16(~UInt16(count))
            out += data[index..<index + count]
            index += count
        } while index < data.count
        return out
    }
}

func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
func le32(_ value: UInt32) -> [UInt8] { le16(UInt16(value & 0xFFFF)) + le16(UInt16(value >> 16)) }
func le64(_ value: UInt64) -> [UInt8] { le32(UInt32(value & 0xFFFF_FFFF)) + le32(UInt32(value >> 32)) }

/// CRC-32 (ISO-HDLC, as zip uses), table-driven.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
