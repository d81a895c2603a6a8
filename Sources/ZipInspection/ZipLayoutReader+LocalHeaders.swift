extension ZipLayoutReader {
    // MARK: Local headers

    /// For a local header: a ZIP64 field beside sizes that are not 0xFFFFFFFF must not appear (APPNOTE
    /// §4.5.3); writers that add one anyway (protobuf's wheels) repeat the header's sizes, which no reader can
    /// misread, so only a field whose sizes differ from the header's is refused: readers that apply it
    /// unconditionally and readers that apply it only behind 0xFFFFFFFF read different entries.
    private mutating func checkUnusedLocalZip64(_ extra: [UInt8], _ local: LocalHeader, of entry: CentralEntry) {
        guard local.compressedSize != 0xFFFF_FFFF, local.uncompressedSize != 0xFFFF_FFFF,
            let field = Self.extraField(0x0001, in: extra), !field.isEmpty
        else { return }
        let values = LittleEndianBytes(field)
        let agrees =
            values.u64(0).map { $0 == local.uncompressedSize } != false && values.u64(8).map { $0 == local.compressedSize } != false
        guard !agrees else { return }
        note(
            .unneededLocalZip64Field(
                entry: entry.name, headerUncompressed: local.uncompressedSize, headerCompressed: local.compressedSize,
                fieldUncompressed: values.u64(0), fieldCompressed: values.u64(8)))
    }

    /// Reads the local header a central record points at and compares the two (APPNOTE §4.3.7, §4.4): a
    /// reader that streams local headers (pip's old unpackers, `unzip -` and many scanners) must see the
    /// same name, method, flags, CRC and sizes as one that trusts the central directory.
    mutating func readLocalHeader(for entry: CentralEntry, shift: UInt64) -> LocalHeader? {
        let offset = entry.localHeaderOffset.plus(shift)
        let fixed = LittleEndianBytes(window.read(at: offset, count: 30))
        guard fixed.u32(0) == ZipSignature.localHeader, let nameLength = fixed.u16(26), let extraLength = fixed.u16(28) else {
            note(.missingLocalHeader(entry: entry.name, offset: offset))
            return nil
        }
        let variable = window.read(at: offset + 30, count: Int(nameLength) + Int(extraLength))
        guard variable.count == Int(nameLength) + Int(extraLength) else {
            note(.localHeaderTruncated(entry: entry.name))
            return nil
        }
        let rawName = Array(variable[0..<Int(nameLength)])
        let extra = Array(variable[Int(nameLength)...])
        var local = LocalHeader(
            offset: offset, flags: fixed.u16(6) ?? 0, method: fixed.u16(8) ?? 0, crc32: fixed.u32(14) ?? 0,
            compressedSize: UInt64(fixed.u32(18) ?? 0), uncompressedSize: UInt64(fixed.u32(22) ?? 0), rawName: rawName,
            dataOffset: offset + 30 + UInt64(nameLength) + UInt64(extraLength), end: 0)
        checkExtraFields(
            extra, of: entry, headerName: RawName(bytes: rawName),
            in: .local(
                method: local.method, compressedDeferred: local.compressedSize == 0xFFFF_FFFF,
                uncompressedDeferred: local.uncompressedSize == 0xFFFF_FFFF))
        checkUnusedLocalZip64(extra, local, of: entry)
        if local.compressedSize == 0xFFFF_FFFF || local.uncompressedSize == 0xFFFF_FFFF,
            let wide = Self.extraField(0x0001, in: extra).map({ LittleEndianBytes($0) })
        {
            // In a local header the ZIP64 field holds both sizes, uncompressed first (APPNOTE §4.5.3).
            local.uncompressedSize = wide.u64(0) ?? local.uncompressedSize
            local.compressedSize = wide.u64(8) ?? local.compressedSize
        }
        compareHeaders(entry, local)
        // Only the comparison needs the local name; the layout is kept for every entry until the end.
        local.rawName = []
        var descriptorLength: UInt64 = 0
        let dataEnd = local.dataOffset.plus(entry.compressedSize)
        if local.flags & ZipFlags.dataDescriptor != 0 {
            descriptorLength = checkDataDescriptor(entry, at: dataEnd, isZip64: Self.extraField(0x0001, in: extra) != nil)
        }
        local.end = dataEnd.plus(descriptorLength)
        return local
    }

    private mutating func compareHeaders(_ entry: CentralEntry, _ local: LocalHeader) {
        if RawName(bytes: local.rawName) != entry.rawName {
            note(.localNameMismatch(entry: entry.name, localName: local.rawName))
        }
        if local.method != entry.method {
            note(.localMethodMismatch(entry: entry.name, central: entry.method, local: local.method))
        }
        if local.flags & ZipFlags.comparedBits != entry.flags & ZipFlags.comparedBits {
            note(.localFlagsMismatch(entry: entry.name, central: entry.flags, local: local.flags))
        }
        // With a data descriptor the local fields may be zero; the descriptor then carries the values.
        let deferred = local.flags & ZipFlags.dataDescriptor != 0
        if !(deferred && local.crc32 == 0), local.crc32 != entry.crc32 {
            note(.localCRCMismatch(entry: entry.name, central: entry.crc32, local: local.crc32))
        }
        let sizesDeferred = deferred && local.compressedSize == 0 && local.uncompressedSize == 0
        if !sizesDeferred, local.compressedSize != entry.compressedSize || local.uncompressedSize != entry.uncompressedSize {
            note(
                .localSizeMismatch(
                    entry: entry.name, centralCompressed: entry.compressedSize, centralUncompressed: entry.uncompressedSize,
                    localCompressed: local.compressedSize, localUncompressed: local.uncompressedSize))
        }
    }

    /// Compares the data descriptor that follows the entry's data (APPNOTE §4.3.9; the signature is optional)
    /// with the central record; returns the descriptor's length.
    private mutating func checkDataDescriptor(_ entry: CentralEntry, at offset: UInt64, isZip64: Bool) -> UInt64 {
        let bytes = LittleEndianBytes(window.read(at: offset, count: 24))
        let hasSignature = bytes.u32(0) == ZipSignature.dataDescriptor
        let base = hasSignature ? 4 : 0
        let wide = isZip64 || entry.compressedSize >= 0xFFFF_FFFF || entry.uncompressedSize >= 0xFFFF_FFFF
        let crc = bytes.u32(base)
        let compressed = wide ? bytes.u64(base + 4) : bytes.u32(base + 4).map(UInt64.init)
        let uncompressed = wide ? bytes.u64(base + 12) : bytes.u32(base + 8).map(UInt64.init)
        guard let crc, let compressed, let uncompressed else {
            note(.dataDescriptorTruncated(entry: entry.name))
            return 0
        }
        if crc != entry.crc32 {
            note(.dataDescriptorCRCMismatch(entry: entry.name, central: entry.crc32, descriptor: crc))
        }
        if compressed != entry.compressedSize || uncompressed != entry.uncompressedSize {
            note(
                .dataDescriptorSizeMismatch(
                    entry: entry.name, centralCompressed: entry.compressedSize, centralUncompressed: entry.uncompressedSize,
                    descriptorCompressed: compressed, descriptorUncompressed: uncompressed))
        }
        return UInt64(base + (wide ? 20 : 12))
    }

    // MARK: Spans, gaps and overlaps

    /// Every byte of a wheel belongs to exactly one entry, the central directory or the end records.
    ///
    /// Overlaps are how non-recursive zip bombs and double-extraction tricks work; bytes outside any entry can hide a second archive that
    /// another reader finds.
    mutating func checkSpans(_ layout: ZipLayout, shift: UInt64) {
        let directoryStart = layout.end.centralDirectoryOffset.plus(shift)
        let spans = layout.locals.enumerated().compactMap { index, local in local.map { (index: index, start: $0.offset, end: $0.end) } }
            .sorted { ($0.start, $0.index) < ($1.start, $1.index) }
        var covered: UInt64 = 0
        var coveringIndex: Int?
        for span in spans {
            let name = layout.entries[span.index].name
            if let other = coveringIndex, span.start < covered {
                note(.overlappingEntries(entry: name, other: layout.entries[other].name))
            } else if span.start > covered {
                reportGap(from: covered, to: span.start, isPrefix: coveringIndex == nil && shift == 0)
            }
            if span.end > covered {
                covered = span.end
                coveringIndex = span.index
            }
        }
        if covered > directoryStart, let last = coveringIndex {
            note(
                .entryRunsIntoCentralDirectory(entry: layout.entries[last].name, directoryStart: directoryStart, end: covered))
        } else if covered < directoryStart {
            reportGap(from: covered, to: directoryStart, isPrefix: coveringIndex == nil && shift == 0)
        }
    }

    private mutating func reportGap(from start: UInt64, to end: UInt64, isPrefix: Bool) {
        if isPrefix {
            note(.bytesBeforeFirstEntry(count: end - start, firstEntryOffset: end))
        } else if start != 0 || end != 0 {
            note(.unusedBytes(start: start, end: end))
        }
        let signature = LittleEndianBytes(file.read(at: start, count: 4)).u32(0) ?? 0
        if !isPrefix, signature & 0xFFFF == 0x4B50, signature != ZipSignature.localHeader {
            // "PK" and a record type no wheel holds (archive extra data, digital signature, or unknown): a reader
            // that walks records back to back stops here or reads it as something else.
            note(.unknownRecordSignature(signature: signature, offset: start))
        }
        if let hidden = scanForLocalHeader(from: start, to: end) {
            note(.orphanLocalHeader(offset: hidden))
        }
    }

    /// Finds a local header signature in `[start, end)`, reading 1 MiB windows.
    private func scanForLocalHeader(from start: UInt64, to end: UInt64) -> UInt64? {
        var position = start
        while position < end {
            let count = Int(min(end - position, 1 << 20) + 3)
            let window = file.read(at: position, count: count)
            let fields = LittleEndianBytes(window)
            var index = 0
            while index + 4 <= window.count, position + UInt64(index) < end {
                if fields.u32(index) == ZipSignature.localHeader { return position + UInt64(index) }
                index += 1
            }
            guard !window.isEmpty else { return nil }
            position += UInt64(min(window.count, 1 << 20))
        }
        return nil
    }

    // MARK: Per-entry flags

    /// Duplicate names, encryption and compression methods, from the central records (and local flags).
    mutating func checkEntryFlags(_ layout: ZipLayout) {
        var seen = [RawName: Int](minimumCapacity: layout.entries.count)
        for (index, entry) in layout.entries.enumerated() {
            if let first = seen[entry.rawName] {
                note(.duplicateName(entry: entry.name, first: first, index: index))
            } else {
                seen[entry.rawName] = index
            }
            let localFlags = layout.locals[index]?.flags ?? 0
            if (entry.flags | localFlags) & ZipFlags.dataDescriptor != 0 {
                // Streaming readers must find the end of the data without knowing its size; the index refuses it.
                note(.dataDescriptor(entry: entry.name))
            }
            if (entry.flags | localFlags) & (ZipFlags.encrypted | ZipFlags.strongEncryption) != 0 {
                note(.encryptedEntry(entry: entry.name))
            } else if !AcceptedCompression.methods.keys.contains(entry.method) {
                note(.unsupportedCompression(entry: entry.name, method: entry.method))
            }
        }
    }
}
