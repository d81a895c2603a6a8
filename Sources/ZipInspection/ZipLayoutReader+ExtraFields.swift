extension ZipLayoutReader {
    // MARK: Extra fields and comments

    /// Where an extra field block comes from, with what the ZIP64 rules need of that header.
    enum ExtraSource {
        /// A local header: its method and whether each 32-bit size is the 0xFFFFFFFF placeholder.
        case local(method: UInt16, compressedDeferred: Bool, uncompressedDeferred: Bool)
        /// A central directory record (its ZIP64 field is applied and checked when the record is parsed).
        case central
    }

    /// Extra field IDs whose repetition makes readers disagree: which ZIP64 sizes or which Unicode name counts
    /// (the two warehouse refuses to see twice).
    static let singleExtraFields: Set<UInt16> = [0x0001, 0x7075]

    /// Checks one header's extra field block (APPNOTE §4.5.1): it splits into whole `id, length, data`
    /// fields, the ZIP64 and Unicode Path fields appear at most once, a local ZIP64 field has a length the
    /// index accepts and agrees with the 0xFFFFFFFF placeholders, and a Unicode Path field is UTF-8 and names
    /// the same file as the header.
    mutating func checkExtraFields(_ extra: [UInt8], of entry: CentralEntry, headerName: RawName, in source: ExtraSource) {
        let place: ZipAnomaly.Header = if case .local = source { .local } else { .central }
        let fields = LittleEndianBytes(extra)
        var position = 0
        var seen = Set<UInt16>()
        var zip64Length: Int?
        while position < extra.count {
            guard let id = fields.u16(position), let length = fields.u16(position + 2), let data = fields.slice(position + 4, Int(length))
            else {
                note(
                    .extraFieldsDoNotSplit(entry: entry.name, header: place, remaining: extra.count - position, position: position))
                break
            }
            if !seen.insert(id).inserted, Self.singleExtraFields.contains(id) {
                note(.duplicateExtraField(entry: entry.name, header: place, id: id))
            }
            if id == 0x0001, zip64Length == nil { zip64Length = data.count }
            if id == 0x7075 { checkUnicodePath(data, of: entry, headerName: headerName, place: place) }
            position += 4 + Int(length)
        }
        if case .local(let method, let compressedDeferred, let uncompressedDeferred) = source {
            checkLocalZip64(length: zip64Length, method: method, deferred: (compressedDeferred, uncompressedDeferred), of: entry)
        }
    }

    /// A local ZIP64 field holds both sizes when either is deferred to it (APPNOTE §4.5.3); the index accepts
    /// only the lengths 0, 8, 16, 24 and 28, no empty field for a deferred compressed size, and an 8-byte
    /// field (one size) only for a stored entry, whose two sizes are equal.
    private mutating func checkLocalZip64(
        length: Int?, method: UInt16, deferred: (compressed: Bool, uncompressed: Bool), of entry: CentralEntry
    ) {
        var problem: ZipAnomaly.LocalZip64Problem?
        switch length {
        case nil:
            if deferred.compressed || deferred.uncompressed { problem = .missing }
        case .some(let length) where ![0, 8, 16, 24, 28].contains(length):
            problem = .length(length)
        case .some(0) where deferred.compressed || deferred.uncompressed:
            problem = .emptyButDeferred
        case .some(8) where method != 0:
            problem = .oneSizeForCompressedEntry
        default:
            break
        }
        guard let problem else { return }
        note(.malformedLocalZip64Field(entry: entry.name, problem: problem))
    }

    /// The Info-ZIP Unicode Path field (APPNOTE §4.6.9: version 1, CRC-32 of the header name, UTF-8 name)
    /// replaces the header's name in readers that honour it, so it must be UTF-8 and name the same file.
    private mutating func checkUnicodePath(_ data: [UInt8], of entry: CentralEntry, headerName: RawName, place: ZipAnomaly.Header) {
        guard data.count >= 5 else {
            note(.unicodePathTooShort(entry: entry.name, header: place))
            return
        }
        let name = Array(data[5...])
        let problem: ZipAnomaly.UnicodePathProblem?
        if String(validating: name, as: UTF8.self) == nil {
            problem = .notUTF8
        } else if name.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            problem = .controlCharacter
        } else if RawName(bytes: name) != headerName {
            problem = .namesAnotherFile
        } else {
            problem = nil
        }
        guard let problem else { return }
        note(
            .unicodePathMismatch(
                entry: entry.name, header: place, problem: problem, headerName: headerName.withBytes { Array($0) }, pathName: name))
    }

    /// A comment on a central record is legal zip but carries nothing a wheel needs; the index refuses it.
    mutating func checkEntryComment(length: UInt16, of entry: CentralEntry) {
        guard length > 0 else { return }
        note(.entryComment(entry: entry.name, length: length))
    }
}
