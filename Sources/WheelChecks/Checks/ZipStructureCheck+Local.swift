extension ZipStructureCheck {
    // MARK: Local headers

    /// PW129 for a local header: a ZIP64 field beside sizes that are not 0xFFFFFFFF must not appear (APPNOTE
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
        findings.append(
            Finding(
                .unneededZip64Field, entry: entry.name,
                "the local header's ZIP64 extra field gives other sizes than the header, whose sizes are not 0xFFFFFFFF",
                expected: "\(local.uncompressedSize) and \(local.compressedSize) bytes, or no ZIP64 field",
                actual: "\(values.u64(0).map(String.init) ?? "-") and \(values.u64(8).map(String.init) ?? "-") bytes",
                hint: "readers that apply ZIP64 values unconditionally read other sizes; rebuild the wheel"))
    }

    /// Reads the local header a central record points at and compares the two (APPNOTE §4.3.7, §4.4): a
    /// reader that streams local headers (pip's old unpackers, `unzip -` and many scanners) must see the
    /// same name, method, flags, CRC and sizes as one that trusts the central directory.
    mutating func readLocalHeader(for entry: CentralEntry, shift: UInt64) -> LocalHeader? {
        let offset = entry.localHeaderOffset.plus(shift)
        let fixed = LittleEndianBytes(window.read(at: offset, count: 30))
        guard fixed.u32(0) == ZipSignature.localHeader, let nameLength = fixed.u16(26), let extraLength = fixed.u16(28) else {
            findings.append(
                Finding(
                    .missingLocalHeader, entry: entry.name, "no local file header where the central directory points",
                    actual: "offset \(hexOffset(offset))", hint: "the archive is damaged or crafted; do not install it"))
            return nil
        }
        let variable = window.read(at: offset + 30, count: Int(nameLength) + Int(extraLength))
        guard variable.count == Int(nameLength) + Int(extraLength) else {
            findings.append(Finding(.missingLocalHeader, entry: entry.name, "the local file header runs past the end of the file"))
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
            findings.append(
                Finding(
                    .localNameMismatch, entry: entry.name, "the local header names a different file",
                    expected: entry.name, actual: String(decoding: local.rawName, as: UTF8.self),
                    hint: "readers that stream local headers extract another file; do not install this wheel"))
        }
        if local.method != entry.method {
            findings.append(
                Finding(
                    .localMethodMismatch, entry: entry.name, "local and central compression methods differ",
                    expected: "\(entry.method)", actual: "\(local.method)"))
        }
        if local.flags & ZipFlags.comparedBits != entry.flags & ZipFlags.comparedBits {
            findings.append(
                Finding(
                    .localFlagsMismatch, entry: entry.name, "local and central general-purpose flags differ",
                    expected: hexOffset(UInt64(entry.flags)), actual: hexOffset(UInt64(local.flags))))
        }
        // With a data descriptor the local fields may be zero; the descriptor then carries the values.
        let deferred = local.flags & ZipFlags.dataDescriptor != 0
        if !(deferred && local.crc32 == 0), local.crc32 != entry.crc32 {
            findings.append(
                Finding(
                    .localCRCMismatch, entry: entry.name, "local and central CRC-32 differ",
                    expected: hex32(entry.crc32), actual: hex32(local.crc32)))
        }
        let sizesDeferred = deferred && local.compressedSize == 0 && local.uncompressedSize == 0
        if !sizesDeferred, local.compressedSize != entry.compressedSize || local.uncompressedSize != entry.uncompressedSize {
            findings.append(
                Finding(
                    .localSizeMismatch, entry: entry.name, "local and central sizes differ",
                    expected: "\(entry.compressedSize) compressed, \(entry.uncompressedSize) uncompressed",
                    actual: "\(local.compressedSize) compressed, \(local.uncompressedSize) uncompressed"))
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
            findings.append(Finding(.localSizeMismatch, entry: entry.name, "the data descriptor runs past the end of the file"))
            return 0
        }
        if crc != entry.crc32 {
            findings.append(
                Finding(
                    .localCRCMismatch, entry: entry.name, "the data descriptor's CRC-32 differs from the central record",
                    expected: hex32(entry.crc32), actual: hex32(crc)))
        }
        if compressed != entry.compressedSize || uncompressed != entry.uncompressedSize {
            findings.append(
                Finding(
                    .localSizeMismatch, entry: entry.name, "the data descriptor's sizes differ from the central record",
                    expected: "\(entry.compressedSize) compressed, \(entry.uncompressedSize) uncompressed",
                    actual: "\(compressed) compressed, \(uncompressed) uncompressed"))
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
                findings.append(
                    Finding(
                        .overlappingEntries, entry: name, "the entry's bytes overlap another entry",
                        actual: "overlaps \(layout.entries[other].name)",
                        hint: "overlapping entries are a zip-bomb technique; do not install this wheel"))
            } else if span.start > covered {
                reportGap(from: covered, to: span.start, isPrefix: coveringIndex == nil && shift == 0)
            }
            if span.end > covered {
                covered = span.end
                coveringIndex = span.index
            }
        }
        if covered > directoryStart, let last = coveringIndex {
            findings.append(
                Finding(
                    .overlappingEntries, entry: layout.entries[last].name, "the entry's bytes run into the central directory",
                    expected: "end at or before \(hexOffset(directoryStart))", actual: "ends at \(hexOffset(covered))"))
        } else if covered < directoryStart {
            reportGap(from: covered, to: directoryStart, isPrefix: coveringIndex == nil && shift == 0)
        }
    }

    private mutating func reportGap(from start: UInt64, to end: UInt64, isPrefix: Bool) {
        if isPrefix {
            findings.append(
                Finding(
                    .bytesBeforeFirstEntry, "\(end - start) bytes come before the first entry",
                    expected: "first entry at offset 0", actual: "first entry at \(hexOffset(end))",
                    hint: "a prepended stub or archive can make zip readers disagree; rebuild the wheel"))
        } else if start != 0 || end != 0 {
            findings.append(
                Finding(
                    .unusedBytes, "\(end - start) bytes between entries belong to no entry",
                    actual: "\(hexOffset(start))..<\(hexOffset(end))"))
        }
        let signature = LittleEndianBytes(file.read(at: start, count: 4)).u32(0) ?? 0
        if !isPrefix, signature & 0xFFFF == 0x4B50, signature != ZipSignature.localHeader {
            // "PK" and a record type no wheel holds (archive extra data, digital signature, or unknown): a reader
            // that walks records back to back stops here or reads it as something else.
            findings.append(
                Finding(
                    .unknownRecordSignature, "a zip record that is not a local file header sits between entries",
                    expected: "a local file header or the central directory",
                    actual: "signature \(hex32(signature)) at \(hexOffset(start))",
                    hint: "PyPI refuses unknown record signatures; rebuild the wheel"))
        }
        if let hidden = scanForLocalHeader(from: start, to: end) {
            findings.append(
                Finding(
                    .orphanLocalHeader, "a local file header that the central directory does not list",
                    actual: "at \(hexOffset(hidden))",
                    hint: "readers that stream local headers see an extra file; do not install this wheel"))
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
                findings.append(
                    Finding(
                        .duplicateName, entry: entry.name, "the name appears more than once in the central directory",
                        actual: "entries \(first) and \(index)", hint: "installers pick different copies; do not install this wheel"))
            } else {
                seen[entry.rawName] = index
            }
            let localFlags = layout.locals[index]?.flags ?? 0
            if (entry.flags | localFlags) & ZipFlags.dataDescriptor != 0 {
                // Streaming readers must find the end of the data without knowing its size; the index refuses it.
                findings.append(
                    Finding(
                        .dataDescriptor, entry: entry.name, "the entry's sizes and CRC follow its data (data descriptor)",
                        expected: "sizes and CRC in the local header", hint: "PyPI refuses data descriptors; rebuild with a seekable writer"
                    ))
            }
            if (entry.flags | localFlags) & (ZipFlags.encrypted | ZipFlags.strongEncryption) != 0 {
                findings.append(
                    Finding(
                        .encryptedEntry, entry: entry.name, "the entry is encrypted",
                        hint: "wheels cannot be encrypted; installers cannot read this entry"))
            } else if !AcceptedCompression.methods.keys.contains(entry.method) {
                findings.append(
                    Finding(
                        .unsupportedCompression, entry: entry.name, "unsupported compression method",
                        expected: "0 (stored) or 8 (deflate)",
                        actual: "\(entry.method)" + (AcceptedCompression.names[entry.method].map { " (\($0))" } ?? ""),
                        hint: "rebuild the wheel with deflate; not every installer can read other methods"))
            }
        }
    }
}

/// The compression methods a wheel may use, and names for the ones it may not.
enum AcceptedCompression {
    /// Stored and deflate: what every wheel builder writes and every installer (pip through zipfile, uv, installer, libzip) reads.
    ///
    /// Python's zipfile also knows bzip2 and lzma, but uv and others do not.
    static let methods: [UInt16: String] = [0: "stored", 8: "deflate"]
    /// Names of other methods, for messages (APPNOTE §4.4.5).
    static let names: [UInt16: String] = [
        1: "shrink", 6: "implode", 9: "deflate64", 12: "bzip2", 14: "lzma", 93: "zstandard", 95: "xz", 98: "ppmd", 99: "AES",
    ]
}

func hex32(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
