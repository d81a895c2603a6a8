import ZipInspection

/// PW1xx: the zip structure as purewheel's own reader lays it out (`ZipLayoutReader`), independently of libzip.
///
/// The reader notes every byte that two zip readers could interpret differently (APPNOTE.TXT 6.3.10, the
/// parser-confusion cases uv hardened against in 2025 and PyPI refuses on upload since 2025); each of its anomalies
/// is a finding here, in the order the reader met them.
enum ZipStructureCheck {
    /// Reads the structure of `file`; returns the findings, and the layout when the central directory could be read.
    static func run(_ file: RandomAccessFile, limits: ResourceLimits) -> (findings: [Finding], layout: ZipLayout?) {
        var reader = ZipLayoutReader(
            file: file, maxEntries: limits.maxEntries, maxCentralDirectoryBytes: limits.maxCentralDirectoryBytes)
        let layout = reader.read()
        return (reader.anomalies.map(finding), layout)
    }

    /// The finding for one anomaly.
    static func finding(for anomaly: ZipAnomaly) -> Finding {
        switch anomaly {
        case .endRecords(let anomaly): finding(for: anomaly)
        case .centralDirectory(let anomaly): finding(for: anomaly)
        case .extraFields(let anomaly): finding(for: anomaly)
        case .localHeaders(let anomaly): finding(for: anomaly)
        case .spans(let anomaly): finding(for: anomaly)
        case .entries(let anomaly): finding(for: anomaly)
        }
    }

    private static func finding(for anomaly: ZipAnomaly.EndRecords) -> Finding {
        switch anomaly {
        case .noEndRecord(let fileSize):
            return Finding(
                .notAZipArchive, "no end of central directory record: not a zip archive, or truncated",
                actual: "\(fileSize) bytes", hint: "download the wheel again; a wheel is a zip archive")
        case .endRecordCommentTruncated:
            return Finding(
                .notAZipArchive, "the end record's comment runs past the end of the file: the archive is truncated",
                hint: "download the wheel again")
        case .bytesAfterEndRecord(let count, let recordEnd, let fileSize):
            return Finding(
                .bytesAfterEndRecord, "\(count) bytes follow the end of central directory record",
                expected: "end of file at \(hexOffset(recordEnd))", actual: "\(fileSize) bytes",
                hint: "zip readers disagree on where such an archive ends; rebuild the wheel")
        case .hiddenRecord(let signature, let offset):
            return Finding(
                .hiddenEndRecord,
                "a \(recordKinds[signature] ?? hex32(signature)) signature hides after the end record (in the comment or trailing bytes)",
                actual: "at \(hexOffset(offset))", hint: "another zip reader may see a different set of files; do not install this wheel")
        case .multiDisk(let disk, let centralDirectoryDisk):
            return Finding(
                .multiDiskArchive, "the end record names disk \(disk) (central directory on disk \(centralDirectoryDisk))",
                expected: "0", actual: "\(disk)", hint: "split archives are not wheels")
        case .endRecordCountsDisagree(let total, let onDisk):
            return Finding(.endRecordMismatch, "the end record's two entry counts disagree", expected: "\(total)", actual: "\(onDisk)")
        case .missingZip64EndRecord:
            return Finding(
                .malformedCentralDirectory, "the end record defers to a ZIP64 end record that is missing",
                hint: "the archive is truncated or damaged; download it again")
        case .zip64LocatorPointsNowhere(let recordOffset):
            return Finding(
                .malformedCentralDirectory, "the ZIP64 locator points at no ZIP64 end record",
                actual: "offset \(hexOffset(recordOffset))", hint: "the archive is damaged; download it again")
        case .zip64RecordsNameAnotherDisk:
            return Finding(.multiDiskArchive, "the ZIP64 records name another disk", hint: "split archives are not wheels")
        case .zip64EndRecordMisplaced(let locatorOffset, let recordEnd):
            return Finding(
                .endRecordMismatch, "the ZIP64 end record does not end where its locator begins",
                expected: hexOffset(locatorOffset), actual: hexOffset(recordEnd))
        case .zip64ExtensibleData(let size):
            return Finding(
                .zip64ExtensibleData, "the ZIP64 end record has an extensible data sector", expected: "size 44",
                actual: "size \(size)", hint: "PyPI refuses ZIP64 extensible data; rebuild the wheel")
        case .zip64EndRecordCountsDisagree(let total, let onDisk):
            return Finding(
                .endRecordMismatch, "the ZIP64 end record's two entry counts disagree", expected: "\(total)", actual: "\(onDisk)")
        case .endRecordsDisagree(let field, let classic, let zip64):
            let label =
                switch field {
                case .entryCount: "entry count"
                case .centralDirectorySize: "central directory size"
                case .centralDirectoryOffset: "central directory offset"
                }
            return Finding(
                .endRecordMismatch, "the end record and the ZIP64 end record disagree on the \(label)",
                expected: "\(zip64)", actual: "\(classic)")
        }
    }

    private static func finding(for anomaly: ZipAnomaly.CentralDirectory) -> Finding {
        switch anomaly {
        case .tooManyEntries(let declared, let limit):
            return Finding(
                .tooManyEntries, "the archive declares more entries than the limit", expected: "at most \(limit)",
                actual: "\(declared)", hint: "raise --max-entries if this wheel is trusted")
        case .centralDirectoryOverLimit(let size, let limit):
            return Finding(
                .centralDirectoryOverLimit, "the central directory is larger than the limit", expected: "at most \(limit) bytes",
                actual: "\(size) bytes")
        case .prependedBytes(let count, let declaredOffset):
            return Finding(
                .bytesBeforeFirstEntry, "\(count) bytes were prepended to the archive without adjusting its offsets",
                expected: "central directory at \(hexOffset(declaredOffset))",
                actual: "central directory at \(hexOffset(declaredOffset + count))",
                hint: "zip readers disagree on such archives; rebuild the wheel")
        case .centralDirectoryMisplaced(let endRecordsStart, let directoryEnd):
            return Finding(
                .endRecordMismatch, "the central directory does not end where the end record begins",
                expected: hexOffset(endRecordsStart), actual: hexOffset(directoryEnd))
        case .centralDirectoryTruncated:
            return Finding(
                .malformedCentralDirectory, "the central directory runs past the end of the file",
                hint: "the archive is truncated; download it again")
        case .entryCountDisagrees(let records, let declared):
            return Finding(
                .endRecordMismatch, "the end record's entry count disagrees with the central directory",
                expected: "\(records) records in the central directory", actual: "\(declared) declared",
                hint: "zip readers that trust the count see a different set of files")
        case .malformedCentralRecord(let index, let offset):
            return Finding(
                .malformedCentralDirectory, "central directory record \(index) is malformed or truncated",
                actual: "at \(hexOffset(offset))", hint: "the archive is damaged; download it again")
        case .unneededCentralZip64Field(let entry, let needed, let length):
            return Finding(
                .unneededZip64Field, entry: entry,
                "the central record's ZIP64 extra field holds values for fields that are not 0xFFFFFFFF",
                expected: "\(needed) bytes", actual: "\(length) bytes",
                hint: "readers that take ZIP64 values by position read other sizes or offsets; rebuild the wheel")
        case .entryOnOtherDisk(let entry, let disk):
            return Finding(.multiDiskArchive, entry: entry, "the entry starts on disk \(disk)", hint: "split archives are not wheels")
        case .missingZip64ExtraField(let entry):
            return Finding(.malformedExtraField, entry: entry, "the entry lacks the ZIP64 extra field its sizes defer to")
        case .zip64ExtraFieldTooShort(let entry):
            return Finding(
                .malformedExtraField, entry: entry, "the entry's ZIP64 extra field is too short for the 0xFFFFFFFF fields",
                hint: "readers take different sizes or offsets for this entry; rebuild the wheel")
        case .entryKindMismatch(let entry, let mode, let contradiction):
            let message =
                switch contradiction {
                case .directoryModeOnFileName: "the entry's Unix mode says directory, but its name does not end in `/`"
                case .fileModeOnDirectoryName: "the entry's name ends in `/`, but its Unix mode says regular file"
                }
            return Finding(
                .entryKindMismatch, entry: entry, message, actual: "mode " + String(mode, radix: 8),
                hint: "extractors that go by the name and those that go by the mode create different things; rebuild the wheel")
        case .directoryWithData(let entry, let uncompressedSize, let compressedSize):
            return Finding(
                .directoryWithData, entry: entry, "the directory entry carries data", expected: "0 bytes",
                actual: "\(uncompressedSize) bytes (\(compressedSize) compressed)",
                hint: "no installer extracts data stored under a directory name; rebuild the wheel")
        case .entryComment(let entry, let length):
            return Finding(
                .centralDirectoryComment, entry: entry, "the central directory record has a file comment", expected: "no comment",
                actual: "\(length) bytes", hint: "PyPI refuses such wheels; rebuild without comments")
        }
    }

    private static func finding(for anomaly: ZipAnomaly.ExtraFields) -> Finding {
        switch anomaly {
        case .extraFieldsDoNotSplit(let entry, let header, let remaining, let position):
            return Finding(
                .malformedExtraField, entry: entry, "the \(place(header))'s extra field does not split into whole fields",
                expected: "id, length, data repeated to the end", actual: "\(remaining) bytes left at byte \(position)",
                hint: "readers parse such extra fields differently; rebuild the wheel")
        case .duplicateExtraField(let entry, let header, let id):
            let label = id == 0x0001 ? "ZIP64 extended information" : "Info-ZIP Unicode Path"
            return Finding(
                .duplicateExtraField, entry: entry, "the \(place(header)) has two \(label) extra fields",
                actual: "0x" + String(id, radix: 16), hint: "readers take different copies; rebuild the wheel")
        case .malformedLocalZip64Field(let entry, let problem):
            let message =
                switch problem {
                case .missing: "the local sizes defer to a ZIP64 extra field that is missing"
                case .length(let length): "the local ZIP64 extra field has \(length) bytes"
                case .emptyButDeferred: "the local ZIP64 extra field is empty but the sizes defer to it"
                case .oneSizeForCompressedEntry: "the local ZIP64 extra field holds one size for a compressed entry"
                }
            return Finding(
                .malformedExtraField, entry: entry, message, expected: "both sizes (16 bytes) when either header size is 0xFFFFFFFF",
                hint: "readers take different sizes for this entry; rebuild the wheel")
        case .unicodePathTooShort(let entry, let header):
            return Finding(.malformedExtraField, entry: entry, "the \(place(header))'s Unicode Path extra field is shorter than 5 bytes")
        case .unicodePathMismatch(let entry, let header, let problem, let headerName, let pathName):
            let what =
                switch problem {
                case .notUTF8: "is not valid UTF-8"
                case .controlCharacter: "contains a control character"
                case .namesAnotherFile: "names another file than the header"
                }
            return Finding(
                .unicodePathMismatch, entry: entry, "the \(place(header))'s Unicode Path extra field \(what)",
                expected: String(decoding: headerName, as: UTF8.self), actual: String(decoding: pathName, as: UTF8.self),
                hint: "readers that honour the field extract another file; rebuild the wheel")
        }
    }

    private static func finding(for anomaly: ZipAnomaly.LocalHeaders) -> Finding {
        switch anomaly {
        case .unneededLocalZip64Field(let entry, let headerUncompressed, let headerCompressed, let fieldUncompressed, let fieldCompressed):
            return Finding(
                .unneededZip64Field, entry: entry,
                "the local header's ZIP64 extra field gives other sizes than the header, whose sizes are not 0xFFFFFFFF",
                expected: "\(headerUncompressed) and \(headerCompressed) bytes, or no ZIP64 field",
                actual: "\(fieldUncompressed.map(String.init) ?? "-") and \(fieldCompressed.map(String.init) ?? "-") bytes",
                hint: "readers that apply ZIP64 values unconditionally read other sizes; rebuild the wheel")
        case .missingLocalHeader(let entry, let offset):
            return Finding(
                .missingLocalHeader, entry: entry, "no local file header where the central directory points",
                actual: "offset \(hexOffset(offset))", hint: "the archive is damaged or crafted; do not install it")
        case .localHeaderTruncated(let entry):
            return Finding(.missingLocalHeader, entry: entry, "the local file header runs past the end of the file")
        case .localNameMismatch(let entry, let localName):
            return Finding(
                .localNameMismatch, entry: entry, "the local header names a different file", expected: entry,
                actual: String(decoding: localName, as: UTF8.self),
                hint: "readers that stream local headers extract another file; do not install this wheel")
        case .localMethodMismatch(let entry, let central, let local):
            return Finding(
                .localMethodMismatch, entry: entry, "local and central compression methods differ", expected: "\(central)",
                actual: "\(local)")
        case .localFlagsMismatch(let entry, let central, let local):
            return Finding(
                .localFlagsMismatch, entry: entry, "local and central general-purpose flags differ",
                expected: hexOffset(UInt64(central)), actual: hexOffset(UInt64(local)))
        case .localCRCMismatch(let entry, let central, let local):
            return Finding(
                .localCRCMismatch, entry: entry, "local and central CRC-32 differ", expected: hex32(central), actual: hex32(local))
        case .localSizeMismatch(let entry, let centralCompressed, let centralUncompressed, let localCompressed, let localUncompressed):
            return Finding(
                .localSizeMismatch, entry: entry, "local and central sizes differ",
                expected: "\(centralCompressed) compressed, \(centralUncompressed) uncompressed",
                actual: "\(localCompressed) compressed, \(localUncompressed) uncompressed")
        case .dataDescriptorTruncated(let entry):
            return Finding(.localSizeMismatch, entry: entry, "the data descriptor runs past the end of the file")
        case .dataDescriptorCRCMismatch(let entry, let central, let descriptor):
            return Finding(
                .localCRCMismatch, entry: entry, "the data descriptor's CRC-32 differs from the central record",
                expected: hex32(central), actual: hex32(descriptor))
        case .dataDescriptorSizeMismatch(
            let entry, let centralCompressed, let centralUncompressed, let descriptorCompressed, let descriptorUncompressed):
            return Finding(
                .localSizeMismatch, entry: entry, "the data descriptor's sizes differ from the central record",
                expected: "\(centralCompressed) compressed, \(centralUncompressed) uncompressed",
                actual: "\(descriptorCompressed) compressed, \(descriptorUncompressed) uncompressed")
        }
    }

    private static func finding(for anomaly: ZipAnomaly.Spans) -> Finding {
        switch anomaly {
        case .overlappingEntries(let entry, let other):
            return Finding(
                .overlappingEntries, entry: entry, "the entry's bytes overlap another entry", actual: "overlaps \(other)",
                hint: "overlapping entries are a zip-bomb technique; do not install this wheel")
        case .entryRunsIntoCentralDirectory(let entry, let directoryStart, let end):
            return Finding(
                .overlappingEntries, entry: entry, "the entry's bytes run into the central directory",
                expected: "end at or before \(hexOffset(directoryStart))", actual: "ends at \(hexOffset(end))")
        case .bytesBeforeFirstEntry(let count, let firstEntryOffset):
            return Finding(
                .bytesBeforeFirstEntry, "\(count) bytes come before the first entry", expected: "first entry at offset 0",
                actual: "first entry at \(hexOffset(firstEntryOffset))",
                hint: "a prepended stub or archive can make zip readers disagree; rebuild the wheel")
        case .unusedBytes(let start, let end):
            return Finding(
                .unusedBytes, "\(end - start) bytes between entries belong to no entry", actual: "\(hexOffset(start))..<\(hexOffset(end))")
        case .unknownRecordSignature(let signature, let offset):
            // "PK" and a record type no wheel holds (archive extra data, digital signature, or unknown): a reader
            // that walks records back to back stops here or reads it as something else.
            return Finding(
                .unknownRecordSignature, "a zip record that is not a local file header sits between entries",
                expected: "a local file header or the central directory", actual: "signature \(hex32(signature)) at \(hexOffset(offset))",
                hint: "PyPI refuses unknown record signatures; rebuild the wheel")
        case .orphanLocalHeader(let offset):
            return Finding(
                .orphanLocalHeader, "a local file header that the central directory does not list", actual: "at \(hexOffset(offset))",
                hint: "readers that stream local headers see an extra file; do not install this wheel")
        }
    }

    private static func finding(for anomaly: ZipAnomaly.Entries) -> Finding {
        switch anomaly {
        case .duplicateName(let entry, let first, let index):
            return Finding(
                .duplicateName, entry: entry, "the name appears more than once in the central directory",
                actual: "entries \(first) and \(index)", hint: "installers pick different copies; do not install this wheel")
        case .dataDescriptor(let entry):
            // Streaming readers must find the end of the data without knowing its size; the index refuses it.
            return Finding(
                .dataDescriptor, entry: entry, "the entry's sizes and CRC follow its data (data descriptor)",
                expected: "sizes and CRC in the local header", hint: "PyPI refuses data descriptors; rebuild with a seekable writer")
        case .encryptedEntry(let entry):
            return Finding(
                .encryptedEntry, entry: entry, "the entry is encrypted",
                hint: "wheels cannot be encrypted; installers cannot read this entry")
        case .unsupportedCompression(let entry, let method):
            return Finding(
                .unsupportedCompression, entry: entry, "unsupported compression method", expected: "0 (stored) or 8 (deflate)",
                actual: "\(method)" + (AcceptedCompression.names[method].map { " (\($0))" } ?? ""),
                hint: "rebuild the wheel with deflate; not every installer can read other methods")
        }
    }

    /// The record kinds an end record may hide, by signature.
    private static let recordKinds: [UInt32: String] = [
        ZipSignature.endRecord: "end of central directory record", ZipSignature.zip64EndRecord: "ZIP64 end record",
        ZipSignature.zip64Locator: "ZIP64 locator", ZipSignature.centralHeader: "central directory header",
        ZipSignature.localHeader: "local file header",
    ]

    private static func place(_ header: ZipAnomaly.Header) -> String {
        switch header {
        case .local: "local header"
        case .central: "central record"
        }
    }
}
