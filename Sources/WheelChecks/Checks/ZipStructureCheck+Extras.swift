extension ZipStructureCheck {
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
    static let singleExtraFields: [UInt16: String] = [0x0001: "ZIP64 extended information", 0x7075: "Info-ZIP Unicode Path"]

    /// Checks one header's extra field block (APPNOTE §4.5.1): it splits into whole `id, length, data`
    /// fields, the ZIP64 and Unicode Path fields appear at most once, a local ZIP64 field has a length the
    /// index accepts and agrees with the 0xFFFFFFFF placeholders, and a Unicode Path field is UTF-8 and names
    /// the same file as the header.
    mutating func checkExtraFields(_ extra: [UInt8], of entry: CentralEntry, headerName: RawName, in source: ExtraSource) {
        let place = if case .local = source { "local header" } else { "central record" }
        let fields = LittleEndianBytes(extra)
        var position = 0
        var seen = Set<UInt16>()
        var zip64Length: Int?
        while position < extra.count {
            guard let id = fields.u16(position), let length = fields.u16(position + 2), let data = fields.slice(position + 4, Int(length))
            else {
                findings.append(
                    Finding(
                        .malformedExtraField, entry: entry.name, "the \(place)'s extra field does not split into whole fields",
                        expected: "id, length, data repeated to the end",
                        actual: "\(extra.count - position) bytes left at byte \(position)",
                        hint: "readers parse such extra fields differently; rebuild the wheel"))
                break
            }
            if !seen.insert(id).inserted, let label = Self.singleExtraFields[id] {
                findings.append(
                    Finding(
                        .duplicateExtraField, entry: entry.name, "the \(place) has two \(label) extra fields",
                        actual: "0x" + String(id, radix: 16), hint: "readers take different copies; rebuild the wheel"))
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
        var problem: String?
        switch length {
        case nil:
            if deferred.compressed || deferred.uncompressed { problem = "the local sizes defer to a ZIP64 extra field that is missing" }
        case .some(let length) where ![0, 8, 16, 24, 28].contains(length):
            problem = "the local ZIP64 extra field has \(length) bytes"
        case .some(0) where deferred.compressed || deferred.uncompressed:
            problem = "the local ZIP64 extra field is empty but the sizes defer to it"
        case .some(8) where method != 0:
            problem = "the local ZIP64 extra field holds one size for a compressed entry"
        default:
            break
        }
        guard let problem else { return }
        findings.append(
            Finding(
                .malformedExtraField, entry: entry.name, problem, expected: "both sizes (16 bytes) when either header size is 0xFFFFFFFF",
                hint: "readers take different sizes for this entry; rebuild the wheel"))
    }

    /// The Info-ZIP Unicode Path field (APPNOTE §4.6.9: version 1, CRC-32 of the header name, UTF-8 name)
    /// replaces the header's name in readers that honour it, so it must be UTF-8 and name the same file.
    private mutating func checkUnicodePath(_ data: [UInt8], of entry: CentralEntry, headerName: RawName, place: String) {
        guard data.count >= 5 else {
            findings.append(
                Finding(.malformedExtraField, entry: entry.name, "the \(place)'s Unicode Path extra field is shorter than 5 bytes"))
            return
        }
        let name = Array(data[5...])
        let message: String?
        if String(validating: name, as: UTF8.self) == nil {
            message = "the \(place)'s Unicode Path extra field is not valid UTF-8"
        } else if name.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            message = "the \(place)'s Unicode Path extra field contains a control character"
        } else if RawName(bytes: name) != headerName {
            message = "the \(place)'s Unicode Path extra field names another file than the header"
        } else {
            message = nil
        }
        guard let message else { return }
        findings.append(
            Finding(
                .unicodePathMismatch, entry: entry.name, message, expected: headerName.withBytes { String(decoding: $0, as: UTF8.self) },
                actual: String(decoding: name, as: UTF8.self), hint: "readers that honour the field extract another file; rebuild the wheel"
            ))
    }

    /// A comment on a central record is legal zip but carries nothing a wheel needs; the index refuses it.
    mutating func checkEntryComment(length: UInt16, of entry: CentralEntry) {
        guard length > 0 else { return }
        findings.append(
            Finding(
                .centralDirectoryComment, entry: entry.name, "the central directory record has a file comment",
                expected: "no comment", actual: "\(length) bytes", hint: "PyPI refuses such wheels; rebuild without comments"))
    }
}
