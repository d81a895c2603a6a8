/// PW1xx: reads the zip structure itself — end records, central directory, local headers — defensively and
/// independently of libzip, so a hostile archive yields precise findings rather than one "cannot open".
///
/// The rules follow APPNOTE.TXT 6.3.10 and the parser-confusion cases uv hardened against in 2025 and PyPI
/// refuses on upload since 2025: any byte that two zip readers could interpret differently is an error.
/// Memory stays bounded: only the tail, the central directory (capped by `ResourceLimits`) and one local
/// header at a time are read; gaps are scanned in 1 MiB windows.
struct ZipStructureCheck {
    let file: RandomAccessFile
    /// Local headers and data descriptors are read through this, in offset order for a normal wheel.
    let window: ReadWindow
    let limits: ResourceLimits
    var findings: [Finding] = []

    init(file: RandomAccessFile, limits: ResourceLimits) {
        self.file = file
        self.window = ReadWindow(file: file)
        self.limits = limits
    }

    /// Parses the archive, recording findings; returns the layout when the central directory could be read.
    mutating func run() -> ZipLayout? {
        guard let end = readEndRecords() else { return nil }
        guard let (entries, shift) = readCentralDirectory(end) else { return nil }
        let locals = entries.map { readLocalHeader(for: $0, shift: shift) }
        let layout = ZipLayout(fileSize: file.size, end: end, entries: entries, locals: locals)
        checkSpans(layout, shift: shift)
        checkEntryFlags(layout)
        return layout
    }

    // MARK: End records

    private mutating func readEndRecords() -> EndRecord? {
        let tailLength = Int(min(file.size, 22 + 0xFFFF))
        let tailStart = file.size - UInt64(tailLength)
        let tail = file.read(at: tailStart, count: tailLength)
        let fields = LittleEndianBytes(tail)
        var candidates = [Int]()
        var position = tail.count - 22
        while position >= 0 {
            if fields.u32(position) == ZipSignature.endRecord { candidates.append(position) }
            position -= 1
        }
        guard !candidates.isEmpty else {
            findings.append(
                Finding(
                    .notAZipArchive, "no end of central directory record: not a zip archive, or truncated",
                    actual: "\(file.size) bytes", hint: "download the wheel again; a wheel is a zip archive"))
            return nil
        }
        // Prefer a record whose comment ends exactly at the end of the file, as a strict reader must; of
        // several, the outermost one, whose comment holds the others (Python's zipfile takes the innermost).
        let consistent = candidates.filter { $0 + 22 + Int(fields.u16($0 + 20) ?? 0) == tail.count }
        let chosen = consistent.last ?? candidates.first { $0 + 22 + Int(fields.u16($0 + 20) ?? 0) < tail.count }
        guard let chosen else {
            findings.append(
                Finding(
                    .notAZipArchive, "the end record's comment runs past the end of the file: the archive is truncated",
                    hint: "download the wheel again"))
            return nil
        }
        let commentLength = Int(fields.u16(chosen + 20) ?? 0)
        let recordEnd = chosen + 22 + commentLength
        if recordEnd < tail.count {
            findings.append(
                Finding(
                    .bytesAfterEndRecord, "\(tail.count - recordEnd) bytes follow the end of central directory record",
                    expected: "end of file at \(hexOffset(tailStart + UInt64(recordEnd)))", actual: "\(file.size) bytes",
                    hint: "zip readers disagree on where such an archive ends; rebuild the wheel"))
        }
        reportHiddenRecords(in: tail, from: chosen + 22, tailStart: tailStart)
        return readEndRecordFields(LittleEndianBytes(tail, at: chosen), offset: tailStart + UInt64(chosen), commentLength: commentLength)
    }

    /// Any zip record signature after the end record (in its comment or trailing bytes) can make another
    /// reader see a different archive: uv and PyPI refuse these, most installers follow them.
    private mutating func reportHiddenRecords(in tail: [UInt8], from start: Int, tailStart: UInt64) {
        let fields = LittleEndianBytes(tail)
        let hidden: [UInt32: String] = [
            ZipSignature.endRecord: "end of central directory record", ZipSignature.zip64EndRecord: "ZIP64 end record",
            ZipSignature.zip64Locator: "ZIP64 locator", ZipSignature.centralHeader: "central directory header",
            ZipSignature.localHeader: "local file header",
        ]
        var position = start
        while position + 4 <= tail.count {
            if let signature = fields.u32(position), let kind = hidden[signature] {
                findings.append(
                    Finding(
                        .hiddenEndRecord, "a \(kind) signature hides after the end record (in the comment or trailing bytes)",
                        actual: "at \(hexOffset(tailStart + UInt64(position)))",
                        hint: "another zip reader may see a different set of files; do not install this wheel"))
                return
            }
            position += 1
        }
    }

    private mutating func readEndRecordFields(_ record: LittleEndianBytes, offset: UInt64, commentLength: Int) -> EndRecord? {
        let disk = record.u16(4) ?? 0
        let centralDisk = record.u16(6) ?? 0
        let onDisk = UInt64(record.u16(8) ?? 0)
        let total = UInt64(record.u16(10) ?? 0)
        let size = UInt64(record.u32(12) ?? 0)
        let start = UInt64(record.u32(16) ?? 0)
        var end = EndRecord(
            offset: offset, zip64Offset: nil, entryCount: total, centralDirectorySize: size,
            centralDirectoryOffset: start, commentLength: commentLength)
        if disk != 0 || centralDisk != 0 {
            findings.append(
                Finding(
                    .multiDiskArchive, "the end record names disk \(disk) (central directory on disk \(centralDisk))",
                    expected: "0", actual: "\(disk)", hint: "split archives are not wheels"))
            return nil
        }
        if onDisk != total {
            findings.append(
                Finding(
                    .endRecordMismatch, "the end record's two entry counts disagree",
                    expected: "\(total)", actual: "\(onDisk)"))
        }
        let locatorOffset = offset >= 20 ? offset - 20 : nil
        let locator = locatorOffset.map { LittleEndianBytes(file.read(at: $0, count: 20)) }
        if let locator, locator.u32(0) == ZipSignature.zip64Locator {
            guard applyZip64(locator: locator, locatorOffset: offset - 20, to: &end, classic: (total, size, start)) else { return nil }
        } else if total == 0xFFFF || size == 0xFFFF_FFFF || start == 0xFFFF_FFFF {
            findings.append(
                Finding(
                    .malformedCentralDirectory, "the end record defers to a ZIP64 end record that is missing",
                    hint: "the archive is truncated or damaged; download it again"))
            return nil
        }
        return end
    }

    private mutating func applyZip64(
        locator: LittleEndianBytes, locatorOffset: UInt64, to end: inout EndRecord, classic: (UInt64, UInt64, UInt64)
    ) -> Bool {
        let recordOffset = locator.u64(8) ?? 0
        let record = LittleEndianBytes(file.read(at: recordOffset, count: 56))
        guard record.u32(0) == ZipSignature.zip64EndRecord, let declaredLength = record.u64(4),
            let onDisk = record.u64(24), let total = record.u64(32), let size = record.u64(40), let start = record.u64(48)
        else {
            findings.append(
                Finding(
                    .malformedCentralDirectory, "the ZIP64 locator points at no ZIP64 end record",
                    actual: "offset \(hexOffset(recordOffset))", hint: "the archive is damaged; download it again"))
            return false
        }
        if (locator.u32(4) ?? 0) != 0 || (locator.u32(16) ?? 1) > 1 || (record.u32(16) ?? 0) != 0 || (record.u32(20) ?? 0) != 0 {
            findings.append(Finding(.multiDiskArchive, "the ZIP64 records name another disk", hint: "split archives are not wheels"))
            return false
        }
        if recordOffset.plus(12).plus(declaredLength) != locatorOffset {
            findings.append(
                Finding(
                    .endRecordMismatch, "the ZIP64 end record does not end where its locator begins",
                    expected: hexOffset(locatorOffset), actual: hexOffset(recordOffset.plus(12).plus(declaredLength))))
        }
        if declaredLength > 44, recordOffset.plus(12).plus(declaredLength) == locatorOffset {
            // Version 1 of the record is 44 bytes after its size field; more is the extensible data sector
            // (APPNOTE §4.3.14.2), which no wheel writer uses and the index refuses.
            findings.append(
                Finding(
                    .zip64ExtensibleData, "the ZIP64 end record has an extensible data sector", expected: "size 44",
                    actual: "size \(declaredLength)", hint: "PyPI refuses ZIP64 extensible data; rebuild the wheel"))
        }
        if onDisk != total {
            findings.append(
                Finding(
                    .endRecordMismatch, "the ZIP64 end record's two entry counts disagree",
                    expected: "\(total)", actual: "\(onDisk)"))
        }
        // A classic field that is not the 0xFF.. placeholder must agree with its ZIP64 value.
        let pairs: [(String, UInt64, UInt64, UInt64)] = [
            ("entry count", classic.0, 0xFFFF, total), ("central directory size", classic.1, 0xFFFF_FFFF, size),
            ("central directory offset", classic.2, 0xFFFF_FFFF, start),
        ]
        for (label, value, placeholder, wide) in pairs where value != placeholder && value != wide {
            findings.append(
                Finding(
                    .endRecordMismatch, "the end record and the ZIP64 end record disagree on the \(label)",
                    expected: "\(wide)", actual: "\(value)"))
        }
        end.zip64Offset = recordOffset
        end.entryCount = total
        end.centralDirectorySize = size
        end.centralDirectoryOffset = start
        return true
    }
}
