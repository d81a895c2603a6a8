/// Something in a zip archive's structure that two zip readers could read differently, or that no reader can read.
///
/// `ZipLayoutReader` reports these in the order it meets them: end records, central directory (record by record),
/// local headers (entry by entry), then the spans between entries and each entry's flags. Entry names are the
/// names as `check` shows them (`EntryNameText`); offsets are file offsets.
package enum ZipAnomaly: Sendable, Hashable {
    /// Which header an extra field block or a mismatch was found in.
    package enum Header: Sendable, Hashable {
        case local
        case central
    }

    /// A field of the end record that the ZIP64 end record may widen.
    package enum EndRecordField: Sendable, Hashable {
        case entryCount
        case centralDirectorySize
        case centralDirectoryOffset
    }

    /// How an entry's Unix file type contradicts its name.
    package enum KindContradiction: Sendable, Hashable {
        /// The mode says directory; the name does not end in `/`.
        case directoryModeOnFileName
        /// The name ends in `/`; the mode says regular file.
        case fileModeOnDirectoryName
    }

    /// What is wrong with a local header's ZIP64 extra field.
    package enum LocalZip64Problem: Sendable, Hashable {
        /// A size defers to the field, and there is none.
        case missing
        /// A length the index does not accept.
        case length(Int)
        /// Empty, while a size defers to it.
        case emptyButDeferred
        /// One size (8 bytes) for a compressed entry.
        case oneSizeForCompressedEntry
    }

    /// What is wrong with an Info-ZIP Unicode Path extra field.
    package enum UnicodePathProblem: Sendable, Hashable {
        case notUTF8
        case controlCharacter
        case namesAnotherFile
    }

    /// The end records: where the archive says its central directory is.
    case endRecords(EndRecords)
    /// The central directory and its records.
    case centralDirectory(CentralDirectory)
    /// Extra field blocks, local or central.
    case extraFields(ExtraFields)
    /// Local headers and data descriptors, compared with their central records.
    case localHeaders(LocalHeaders)
    /// The file's bytes: every byte belongs to one entry, the central directory or the end records.
    case spans(Spans)
    /// Each entry's flags, method and name among the others.
    case entries(Entries)

    /// The end records: where the archive says its central directory is.
    package enum EndRecords: Sendable, Hashable {
        /// No end of central directory record in the file's tail.
        case noEndRecord(fileSize: UInt64)
        /// The only end records have comments that run past the end of the file.
        case endRecordCommentTruncated
        /// Bytes follow the end record's comment.
        case bytesAfterEndRecord(count: Int, recordEnd: UInt64, fileSize: UInt64)
        /// A record signature (`ZipSignature`) after the end record, in its comment or trailing bytes.
        case hiddenRecord(signature: UInt32, offset: UInt64)
        /// The end record names another disk.
        case multiDisk(disk: UInt16, centralDirectoryDisk: UInt16)
        /// The end record's entry counts (this disk, total) disagree.
        case endRecordCountsDisagree(total: UInt64, onDisk: UInt64)
        /// The end record defers to a ZIP64 end record that is not there.
        case missingZip64EndRecord
        /// The ZIP64 locator points at no ZIP64 end record.
        case zip64LocatorPointsNowhere(recordOffset: UInt64)
        /// The ZIP64 records name another disk.
        case zip64RecordsNameAnotherDisk
        /// The ZIP64 end record does not end where its locator begins.
        case zip64EndRecordMisplaced(locatorOffset: UInt64, recordEnd: UInt64)
        /// The ZIP64 end record has an extensible data sector (`size` past its size field).
        case zip64ExtensibleData(size: UInt64)
        /// The ZIP64 end record's entry counts disagree.
        case zip64EndRecordCountsDisagree(total: UInt64, onDisk: UInt64)
        /// A classic end record field that is not the placeholder disagrees with its ZIP64 value.
        case endRecordsDisagree(field: EndRecordField, classic: UInt64, zip64: UInt64)
    }

    /// The central directory and its records.
    package enum CentralDirectory: Sendable, Hashable {
        /// More entries declared than the limit; nothing further is read.
        case tooManyEntries(declared: UInt64, limit: Int)
        /// A central directory larger than the limit; nothing further is read.
        case centralDirectoryOverLimit(size: UInt64, limit: UInt64)
        /// `count` bytes were prepended to the archive without adjusting its offsets.
        case prependedBytes(count: UInt64, declaredOffset: UInt64)
        /// The central directory does not end where the end records begin.
        case centralDirectoryMisplaced(endRecordsStart: UInt64, directoryEnd: UInt64)
        /// The central directory runs past the end of the file.
        case centralDirectoryTruncated
        /// The number of central records differs from the declared count.
        case entryCountDisagrees(records: Int, declared: UInt64)
        /// Central record `index` is malformed or truncated; no record after it is read.
        case malformedCentralRecord(index: Int, offset: UInt64)
        /// A central ZIP64 extra field holds more than the placeholder fields need.
        case unneededCentralZip64Field(entry: String, needed: Int, length: Int)
        /// An entry starts on another disk.
        case entryOnOtherDisk(entry: String, disk: UInt16)
        /// Sizes or offset defer to a ZIP64 extra field that is missing.
        case missingZip64ExtraField(entry: String)
        /// The ZIP64 extra field is too short for the placeholder fields.
        case zip64ExtraFieldTooShort(entry: String)
        /// The Unix file type contradicts the name.
        case entryKindMismatch(entry: String, mode: UInt32, contradiction: KindContradiction)
        /// A directory entry carries data.
        case directoryWithData(entry: String, uncompressedSize: UInt64, compressedSize: UInt64)
        /// A central record has a file comment of `length` bytes.
        case entryComment(entry: String, length: UInt16)
    }

    /// Extra field blocks, local or central.
    package enum ExtraFields: Sendable, Hashable {
        /// An extra field block does not split into whole fields: `remaining` bytes left at byte `position`.
        case extraFieldsDoNotSplit(entry: String, header: Header, remaining: Int, position: Int)
        /// A ZIP64 (0x0001) or Unicode Path (0x7075) extra field appears twice.
        case duplicateExtraField(entry: String, header: Header, id: UInt16)
        /// A local ZIP64 extra field the index would refuse.
        case malformedLocalZip64Field(entry: String, problem: LocalZip64Problem)
        /// A Unicode Path extra field shorter than its fixed part.
        case unicodePathTooShort(entry: String, header: Header)
        /// A Unicode Path extra field that is not the header's name as clean UTF-8.
        case unicodePathMismatch(entry: String, header: Header, problem: UnicodePathProblem, headerName: [UInt8], pathName: [UInt8])
    }

    /// Local headers and data descriptors, compared with their central records.
    package enum LocalHeaders: Sendable, Hashable {
        /// A local ZIP64 field beside sizes that are not 0xFFFFFFFF, giving other sizes than the header.
        case unneededLocalZip64Field(
            entry: String, headerUncompressed: UInt64, headerCompressed: UInt64, fieldUncompressed: UInt64?, fieldCompressed: UInt64?)
        /// No local header where the central record points.
        case missingLocalHeader(entry: String, offset: UInt64)
        /// The local header runs past the end of the file.
        case localHeaderTruncated(entry: String)
        /// The local header names another file (`localName` as stored).
        case localNameMismatch(entry: String, localName: [UInt8])
        /// Local and central compression methods differ.
        case localMethodMismatch(entry: String, central: UInt16, local: UInt16)
        /// Local and central general-purpose flags differ in a bit that matters.
        case localFlagsMismatch(entry: String, central: UInt16, local: UInt16)
        /// Local and central CRC-32 differ.
        case localCRCMismatch(entry: String, central: UInt32, local: UInt32)
        /// Local and central sizes differ.
        case localSizeMismatch(
            entry: String, centralCompressed: UInt64, centralUncompressed: UInt64, localCompressed: UInt64, localUncompressed: UInt64)
        /// The data descriptor runs past the end of the file.
        case dataDescriptorTruncated(entry: String)
        /// The data descriptor's CRC-32 differs from the central record's.
        case dataDescriptorCRCMismatch(entry: String, central: UInt32, descriptor: UInt32)
        /// The data descriptor's sizes differ from the central record's.
        case dataDescriptorSizeMismatch(
            entry: String, centralCompressed: UInt64, centralUncompressed: UInt64, descriptorCompressed: UInt64,
            descriptorUncompressed: UInt64)
    }

    /// The file's bytes: every byte belongs to one entry, the central directory or the end records.
    package enum Spans: Sendable, Hashable {
        /// The entry's bytes overlap those of `other`.
        case overlappingEntries(entry: String, other: String)
        /// The entry's bytes run into the central directory.
        case entryRunsIntoCentralDirectory(entry: String, directoryStart: UInt64, end: UInt64)
        /// Bytes before the first entry.
        case bytesBeforeFirstEntry(count: UInt64, firstEntryOffset: UInt64)
        /// Bytes between entries that belong to none.
        case unusedBytes(start: UInt64, end: UInt64)
        /// A zip record other than a local header starts a gap.
        case unknownRecordSignature(signature: UInt32, offset: UInt64)
        /// A local header in a gap, which the central directory does not list.
        case orphanLocalHeader(offset: UInt64)
    }

    /// Each entry's flags, method and name among the others.
    package enum Entries: Sendable, Hashable {
        /// The name was already used by entry `first`.
        case duplicateName(entry: String, first: Int, index: Int)
        /// The entry's sizes and CRC follow its data.
        case dataDescriptor(entry: String)
        /// The entry is encrypted.
        case encryptedEntry(entry: String)
        /// The entry is compressed by a method this reader does not inflate.
        case unsupportedCompression(entry: String, method: UInt16)
    }
}
