/// Zip record signatures (APPNOTE.TXT 6.3.10 §4.3).
package enum ZipSignature {
    package static let localHeader: UInt32 = 0x0403_4B50
    package static let centralHeader: UInt32 = 0x0201_4B50
    package static let endRecord: UInt32 = 0x0605_4B50
    package static let zip64EndRecord: UInt32 = 0x0606_4B50
    package static let zip64Locator: UInt32 = 0x0706_4B50
    package static let dataDescriptor: UInt32 = 0x0807_4B50
}

/// General-purpose flag bits that matter to a reader (APPNOTE §4.4.4).
package enum ZipFlags {
    package static let encrypted: UInt16 = 1 << 0
    package static let dataDescriptor: UInt16 = 1 << 3
    package static let strongEncryption: UInt16 = 1 << 6
    package static let utf8Name: UInt16 = 1 << 11
    package static let maskedCentralDirectory: UInt16 = 1 << 13
    /// Bits 1 and 2 only describe the deflate level used; they may differ harmlessly.
    package static let comparedBits: UInt16 = ~UInt16(0b110)
}

/// The end of central directory record, merged with its ZIP64 counterpart when there is one.
struct EndRecord: Sendable, Hashable {
    /// Offset of the classic end record.
    var offset: UInt64
    /// Offset of the ZIP64 end record, when the archive has one.
    var zip64Offset: UInt64?
    /// Number of entries the archive declares.
    var entryCount: UInt64
    /// Declared size of the central directory.
    var centralDirectorySize: UInt64
    /// Declared offset of the central directory.
    var centralDirectoryOffset: UInt64
    /// Length of the archive comment.
    var commentLength: Int

    /// Where the end records begin: nothing but them may follow the central directory.
    var start: UInt64 { zip64Offset ?? offset }
}

/// One central directory record, with ZIP64 values already applied.
package struct CentralEntry: Sendable, Hashable {
    package var index: Int
    package var recordOffset: UInt64
    package var versionMadeBy: UInt16
    package var flags: UInt16
    package var method: UInt16
    package var crc32: UInt32
    package var compressedSize: UInt64
    package var uncompressedSize: UInt64
    package var localHeaderOffset: UInt64
    package var externalAttributes: UInt32
    /// The name as UTF-8 (replacement characters where the bytes are not UTF-8).
    package var name: String
    /// The name's bytes when they are not valid UTF-8; otherwise empty, as `name.utf8` is those bytes, so each name is held once.
    package var undecodedName: [UInt8]
    package var isValidUTF8: Bool

    /// The name's bytes as stored.
    package var rawName: RawName { RawName(name: name, undecoded: undecodedName, isValidUTF8: isValidUTF8) }

    /// The Unix mode, when the entry was made on Unix (upper half of the external attributes).
    package var unixMode: UInt32? { versionMadeBy >> 8 == 3 ? externalAttributes >> 16 : nil }
}

/// One local file header, and where the entry's bytes end (data descriptor included).
struct LocalHeader: Sendable, Hashable {
    var offset: UInt64
    var flags: UInt16
    var method: UInt16
    var crc32: UInt32
    var compressedSize: UInt64
    var uncompressedSize: UInt64
    var rawName: [UInt8]
    var dataOffset: UInt64
    /// One past the last byte of the entry: data plus data descriptor.
    var end: UInt64
}

/// What the raw parser learned about an archive's layout.
package struct ZipLayout: Sendable {
    var fileSize: UInt64
    var end: EndRecord
    package var entries: [CentralEntry]
    /// The local header of each entry, `nil` where none was found.
    var locals: [LocalHeader?]
}

/// Saturating arithmetic: hostile offsets and sizes must never trap.
extension UInt64 {
    package func plus(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}

/// Bytes as a short hexadecimal dump for messages.
package func hexOffset(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
