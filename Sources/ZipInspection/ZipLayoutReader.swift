// ZipInspection: purewheel's own zip reader, for checking archives it does not trust.
//
// `ZipLayoutReader` lays an archive out from its bytes (end records, ZIP64, central directory, local headers, data
// descriptors, the spans between entries) with `pread` through `RandomAccessFile`, and reports every structural
// `ZipAnomaly` it meets instead of stopping at the first. `ContentWork.scan` then reads each entry's content at the
// offsets that layout verified: inflated by ISA-L with its CRC-32 in the same pass, hashed (`EntryDigester`: SHA-256
// and the `StrongAlgorithms` RECORD asks for), sniffed for native code, on up to two threads with the largest
// entry pipelined between them (`ChunkPipeline`). It knows nothing of wheels' rules or finding codes.

/// Reads a zip archive's structure itself — end records, central directory, local headers — defensively and
/// independently of libzip, so a hostile archive yields precise anomalies rather than one "cannot open".
///
/// The reading follows APPNOTE.TXT 6.3.10 and notes every parser-confusion case uv hardened against in 2025 and
/// PyPI refuses on upload since 2025: any byte that two zip readers could interpret differently is an anomaly.
/// Memory stays bounded: only the tail, the central directory (capped by `maxCentralDirectoryBytes`) and one local
/// header at a time are read; gaps are scanned in 1 MiB windows.
package struct ZipLayoutReader {
    let file: RandomAccessFile
    /// Local headers and data descriptors are read through this, in offset order for a normal wheel.
    let window: ReadWindow
    /// Past this many declared entries, nothing is read.
    let maxEntries: Int
    /// Past this size of central directory, nothing is read.
    let maxCentralDirectoryBytes: UInt64
    /// What the reading found, in the order it found it.
    package private(set) var anomalies: [ZipAnomaly] = []

    /// A reader of `file` with limits against hostile archives.
    package init(file: RandomAccessFile, maxEntries: Int, maxCentralDirectoryBytes: UInt64) {
        self.file = file
        self.window = ReadWindow(file: file)
        self.maxEntries = maxEntries
        self.maxCentralDirectoryBytes = maxCentralDirectoryBytes
    }

    /// Reads the archive, recording anomalies; returns the layout when the central directory could be read.
    package mutating func read() -> ZipLayout? {
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
            note(.noEndRecord(fileSize: file.size))
            return nil
        }
        // Prefer a record whose comment ends exactly at the end of the file, as a strict reader must; of
        // several, the outermost one, whose comment holds the others (Python's zipfile takes the innermost).
        let consistent = candidates.filter { $0 + 22 + Int(fields.u16($0 + 20) ?? 0) == tail.count }
        let chosen = consistent.last ?? candidates.first { $0 + 22 + Int(fields.u16($0 + 20) ?? 0) < tail.count }
        guard let chosen else {
            note(.endRecordCommentTruncated)
            return nil
        }
        let commentLength = Int(fields.u16(chosen + 20) ?? 0)
        let recordEnd = chosen + 22 + commentLength
        if recordEnd < tail.count {
            note(
                .bytesAfterEndRecord(count: tail.count - recordEnd, recordEnd: tailStart + UInt64(recordEnd), fileSize: file.size))
        }
        reportHiddenRecords(in: tail, from: chosen + 22, tailStart: tailStart)
        return readEndRecordFields(LittleEndianBytes(tail, at: chosen), offset: tailStart + UInt64(chosen), commentLength: commentLength)
    }

    /// Any zip record signature after the end record (in its comment or trailing bytes) can make another
    /// reader see a different archive: uv and PyPI refuse these, most installers follow them.
    private mutating func reportHiddenRecords(in tail: [UInt8], from start: Int, tailStart: UInt64) {
        let fields = LittleEndianBytes(tail)
        let hidden: Set<UInt32> = [
            ZipSignature.endRecord, ZipSignature.zip64EndRecord, ZipSignature.zip64Locator, ZipSignature.centralHeader,
            ZipSignature.localHeader,
        ]
        var position = start
        while position + 4 <= tail.count {
            if let signature = fields.u32(position), hidden.contains(signature) {
                note(.hiddenRecord(signature: signature, offset: tailStart + UInt64(position)))
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
            note(.multiDisk(disk: disk, centralDirectoryDisk: centralDisk))
            return nil
        }
        if onDisk != total {
            note(.endRecordCountsDisagree(total: total, onDisk: onDisk))
        }
        let locatorOffset = offset >= 20 ? offset - 20 : nil
        let locator = locatorOffset.map { LittleEndianBytes(file.read(at: $0, count: 20)) }
        if let locator, locator.u32(0) == ZipSignature.zip64Locator {
            guard applyZip64(locator: locator, locatorOffset: offset - 20, to: &end, classic: (total, size, start)) else { return nil }
        } else if total == 0xFFFF || size == 0xFFFF_FFFF || start == 0xFFFF_FFFF {
            note(.missingZip64EndRecord)
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
            note(.zip64LocatorPointsNowhere(recordOffset: recordOffset))
            return false
        }
        if (locator.u32(4) ?? 0) != 0 || (locator.u32(16) ?? 1) > 1 || (record.u32(16) ?? 0) != 0 || (record.u32(20) ?? 0) != 0 {
            note(.zip64RecordsNameAnotherDisk)
            return false
        }
        if recordOffset.plus(12).plus(declaredLength) != locatorOffset {
            note(.zip64EndRecordMisplaced(locatorOffset: locatorOffset, recordEnd: recordOffset.plus(12).plus(declaredLength)))
        }
        if declaredLength > 44, recordOffset.plus(12).plus(declaredLength) == locatorOffset {
            // Version 1 of the record is 44 bytes after its size field; more is the extensible data sector
            // (APPNOTE §4.3.14.2), which no wheel writer uses and the index refuses.
            note(.zip64ExtensibleData(size: declaredLength))
        }
        if onDisk != total {
            note(.zip64EndRecordCountsDisagree(total: total, onDisk: onDisk))
        }
        // A classic field that is not the 0xFF.. placeholder must agree with its ZIP64 value.
        let pairs: [(ZipAnomaly.EndRecordField, UInt64, UInt64, UInt64)] = [
            (.entryCount, classic.0, 0xFFFF, total), (.centralDirectorySize, classic.1, 0xFFFF_FFFF, size),
            (.centralDirectoryOffset, classic.2, 0xFFFF_FFFF, start),
        ]
        for (field, value, placeholder, wide) in pairs where value != placeholder && value != wide {
            note(.endRecordsDisagree(field: field, classic: value, zip64: wide))
        }
        end.zip64Offset = recordOffset
        end.entryCount = total
        end.centralDirectorySize = size
        end.centralDirectoryOffset = start
        return true
    }
}

extension ZipLayoutReader {
    mutating func note(_ anomaly: ZipAnomaly.EndRecords) { anomalies.append(.endRecords(anomaly)) }
    mutating func note(_ anomaly: ZipAnomaly.CentralDirectory) { anomalies.append(.centralDirectory(anomaly)) }
    mutating func note(_ anomaly: ZipAnomaly.ExtraFields) { anomalies.append(.extraFields(anomaly)) }
    mutating func note(_ anomaly: ZipAnomaly.LocalHeaders) { anomalies.append(.localHeaders(anomaly)) }
    mutating func note(_ anomaly: ZipAnomaly.Spans) { anomalies.append(.spans(anomaly)) }
    mutating func note(_ anomaly: ZipAnomaly.Entries) { anomalies.append(.entries(anomaly)) }
}
