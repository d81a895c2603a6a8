extension ZipLayoutReader {
    // MARK: Central directory

    /// Reads every central directory record; `shift` is the number of bytes prepended to an archive whose
    /// offsets were not adjusted (as `cat stub archive.zip` makes), which lenient readers silently accept.
    mutating func readCentralDirectory(_ end: EndRecord) -> (entries: [CentralEntry], shift: UInt64)? {
        guard end.entryCount <= UInt64(maxEntries) else {
            note(.tooManyEntries(declared: end.entryCount, limit: maxEntries))
            return nil
        }
        guard end.centralDirectorySize <= maxCentralDirectoryBytes else {
            note(.centralDirectoryOverLimit(size: end.centralDirectorySize, limit: maxCentralDirectoryBytes))
            return nil
        }
        var shift: UInt64 = 0
        let directoryEnd = end.centralDirectoryOffset.plus(end.centralDirectorySize)
        if directoryEnd != end.start {
            if directoryEnd < end.start, end.start - directoryEnd <= file.size,
                LittleEndianBytes(file.read(at: end.start - end.centralDirectorySize, count: 4)).u32(0) == ZipSignature.centralHeader
            {
                shift = end.start - directoryEnd
                note(.prependedBytes(count: shift, declaredOffset: end.centralDirectoryOffset))
            } else {
                note(.centralDirectoryMisplaced(endRecordsStart: end.start, directoryEnd: directoryEnd))
            }
        }
        let start = end.centralDirectoryOffset.plus(shift)
        let bytes = file.read(at: start, count: Int(end.centralDirectorySize))
        guard UInt64(bytes.count) == end.centralDirectorySize else {
            note(.centralDirectoryTruncated)
            return nil
        }
        var entries = [CentralEntry]()
        // No more records than the declared count (within the limit, checked above) or than 46-byte headers fit.
        entries.reserveCapacity(Int(min(end.entryCount, end.centralDirectorySize / 46)))
        var position = 0
        while position < bytes.count {
            guard let (entry, length) = parseCentralRecord(bytes, at: position, base: start, index: entries.count) else { break }
            entries.append(entry)
            position += length
            if entries.count > maxEntries { break }
        }
        if UInt64(entries.count) != end.entryCount {
            note(.entryCountDisagrees(records: entries.count, declared: end.entryCount))
        }
        return (entries, shift)
    }

    private mutating func parseCentralRecord(_ bytes: [UInt8], at position: Int, base: UInt64, index: Int) -> (CentralEntry, Int)? {
        let record = LittleEndianBytes(bytes, at: position)
        guard record.u32(0) == ZipSignature.centralHeader, let nameLength = record.u16(28), let extraLength = record.u16(30),
            let commentLength = record.u16(32), let nameBytes = record.subsequence(46, Int(nameLength)),
            let extra = record.slice(46 + Int(nameLength), Int(extraLength)),
            record.slice(46 + Int(nameLength) + Int(extraLength), Int(commentLength)) != nil
        else {
            note(.malformedCentralRecord(index: index, offset: base + UInt64(position)))
            return nil
        }
        let decoded = String(validating: nameBytes, as: UTF8.self)
        let undecoded = decoded == nil ? Array(nameBytes) : []
        var entry = CentralEntry(
            index: index, recordOffset: base + UInt64(position), versionMadeBy: record.u16(4) ?? 0, flags: record.u16(8) ?? 0,
            method: record.u16(10) ?? 0, crc32: record.u32(16) ?? 0, compressedSize: UInt64(record.u32(20) ?? 0),
            uncompressedSize: UInt64(record.u32(24) ?? 0), localHeaderOffset: UInt64(record.u32(42) ?? 0),
            externalAttributes: record.u32(38) ?? 0, name: decoded ?? EntryNameText.decoded(undecoded),
            undecodedName: undecoded, isValidUTF8: decoded != nil)
        let diskStart = record.u16(34) ?? 0
        checkExtraFields(extra, of: entry, headerName: entry.rawName, in: .central)
        checkEntryComment(length: commentLength, of: entry)
        guard applyZip64Extra(extra, to: &entry, diskStart: diskStart) else { return nil }
        checkDirectoryEntry(of: entry)
        return (entry, 46 + Int(nameLength) + Int(extraLength) + Int(commentLength))
    }

    /// Replaces 0xFFFFFFFF placeholders with the ZIP64 extended information extra field's values (APPNOTE
    /// §4.5.3), which appear in a fixed order and only for the fields that need them.
    private mutating func applyZip64Extra(_ extra: [UInt8], to entry: inout CentralEntry, diskStart: UInt16) -> Bool {
        let needsUncompressed = entry.uncompressedSize == 0xFFFF_FFFF
        let needsCompressed = entry.compressedSize == 0xFFFF_FFFF
        let needsOffset = entry.localHeaderOffset == 0xFFFF_FFFF
        let needed = [needsUncompressed, needsCompressed, needsOffset].filter { $0 }.count * 8 + (diskStart == 0xFFFF ? 4 : 0)
        if let field = Self.extraField(0x0001, in: extra), field.count > needed {
            note(.unneededCentralZip64Field(entry: entry.name, needed: needed, length: field.count))
        }
        guard needsUncompressed || needsCompressed || needsOffset || diskStart == 0xFFFF else {
            if diskStart != 0 {
                note(.entryOnOtherDisk(entry: entry.name, disk: diskStart))
            }
            return true
        }
        guard let field = Self.extraField(0x0001, in: extra) else {
            note(.missingZip64ExtraField(entry: entry.name))
            return false
        }
        let values = LittleEndianBytes(field)
        var cursor = 0
        func next() -> UInt64? {
            defer { cursor += 8 }
            return values.u64(cursor)
        }
        if needsUncompressed {
            guard let v = next() else { return zip64Short(entry) }
            entry.uncompressedSize = v
        }
        if needsCompressed {
            guard let v = next() else { return zip64Short(entry) }
            entry.compressedSize = v
        }
        if needsOffset {
            guard let v = next() else { return zip64Short(entry) }
            entry.localHeaderOffset = v
        }
        return true
    }

    /// A directory entry carries no data, and an entry's Unix file type agrees with its name.
    ///
    /// A directory entry (name ending in `/`) has no content (APPNOTE §4.3.8 describes file data only for files):
    /// bytes stored under one are extracted by no installer, and readers disagree on whether it is a file. The
    /// Unix file type, when the entry has one, should agree with the name: every Python installer goes by the
    /// trailing `/`, while extractors that honour the mode may make a folder of a file or the reverse.
    private mutating func checkDirectoryEntry(of entry: CentralEntry) {
        let isDirectoryName = entry.rawName.withBytes { $0.last == UInt8(ascii: "/") }
        if let mode = entry.unixMode {
            let type = mode & 0o170000
            let contradiction: ZipAnomaly.KindContradiction? =
                if type == 0o040000, !isDirectoryName {
                    .directoryModeOnFileName
                } else if type == 0o100000, isDirectoryName {
                    .fileModeOnDirectoryName
                } else { nil }
            if let contradiction {
                note(.entryKindMismatch(entry: entry.name, mode: mode, contradiction: contradiction))
            }
        }
        guard isDirectoryName else { return }
        // A deflated empty directory has a two-byte empty stream; stored, nothing at all.
        guard entry.uncompressedSize > 0 || (entry.method == 0 && entry.compressedSize > 0) else { return }
        note(
            .directoryWithData(entry: entry.name, uncompressedSize: entry.uncompressedSize, compressedSize: entry.compressedSize))
    }

    private mutating func zip64Short(_ entry: CentralEntry) -> Bool {
        note(.zip64ExtraFieldTooShort(entry: entry.name))
        return false
    }

    /// The data of extra field `id`, if present and well-formed.
    static func extraField(_ id: UInt16, in extra: [UInt8]) -> [UInt8]? {
        let fields = LittleEndianBytes(extra)
        var position = 0
        while let header = fields.u16(position), let length = fields.u16(position + 2) {
            guard let data = fields.slice(position + 4, Int(length)) else { return nil }
            if header == id { return data }
            position += 4 + Int(length)
        }
        return nil
    }
}
