import PurewheelBasics
import WheelModel
import ZipInspection

/// PW4xx, RECORD against the archive.
///
/// RECORD lists every file with a strong hash and its size, and the archive holds exactly those files (binary
/// distribution format, "The .dist-info directory"; PEP 376 RECORD; PEP 427 "signed wheel files").
/// pip never verifies this, so a tampered file installs silently; this check reads every entry to compare.
struct RecordCheck {
    /// The strong algorithms this OpenSSL computes.
    ///
    /// One that Python's hashlib guarantees and this OpenSSL lacks (a FIPS-only build may) leaves the file
    /// unverified, which is an error, so no choice of algorithm lets a file through unchecked.
    static let computable: Set<HashAlgorithm> = Set(HashAlgorithm.allCases.filter { !$0.isWeak && $0.isAvailable })
    /// Signature files that RECORD does not list (PEP 427, "Signed wheel files").
    static let signatureFiles = Record.signatureFiles

    /// Parses RECORD, collecting one finding per bad line instead of stopping at the first.
    static func parse(_ bytes: [UInt8], name: String) -> (rows: [Record.Row], findings: [Finding]) {
        // The form wheel builders write parses in one pass over the bytes; anything else takes the full CSV reader below.
        if let record = Record(parsingSimple: bytes) { return (record.rows, []) }
        guard var text = String(validating: bytes, as: UTF8.self) else {
            return ([], [Finding(.recordMalformed, entry: name, "RECORD is not valid UTF-8")])
        }
        var findings = [Finding]()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Each pass blanks the offending line, so every bad line is reported once; bounded by the line count.
        for _ in 0...lines.count {
            do {
                return (try Record(parsing: text, file: name).rows, findings)
            } catch {
                guard case .invalidRecordRow(_, let line, let reason) = error, line >= 1, line <= lines.count, !lines[line - 1].isEmpty
                else {
                    findings.append(Finding(.recordMalformed, entry: name, error.message))
                    return ([], findings)
                }
                findings.append(
                    Finding(
                        .recordMalformed, entry: name, recordLine: line, "RECORD line \(line) is not a valid row: \(reason)",
                        actual: String(lines[line - 1].prefix(200)), hint: "RECORD is CSV: path,algorithm=digest,size"))
                lines[line - 1] = ""
                text = lines.joined(separator: "\n")
            }
        }
        return ([], findings)
    }

    /// The algorithms besides SHA-256 that RECORD uses per path, so the scanner computes them.
    static func strongAlgorithms(in rows: [Record.Row]) -> [String: StrongAlgorithms] {
        var out = [String: StrongAlgorithms]()
        for row in rows {
            if let algorithm = row.hash.flatMap({ HashAlgorithm(rawValue: $0.algorithm) }),
                HashAlgorithm.strongBesidesSHA256.contains(algorithm)
            {
                out[row.path, default: []].insert(StrongAlgorithms(algorithm))
            }
        }
        return out
    }

    func run(_ wheel: WheelSnapshot) -> [Finding] {
        guard let distInfo = wheel.distInfo else { return [] }
        let recordName = "\(distInfo)/RECORD"
        guard wheel.entry(named: recordName) != nil else {
            return [Finding(.recordMissing, entry: recordName, "the wheel has no RECORD", hint: "rebuild the wheel; RECORD is required")]
        }
        guard wheel.contentsAvailable, let bytes = wheel.smallFile(recordName) else { return [] }
        var findings = [Finding]()
        // Listed paths: those naming an entry are marked at the entry's first position (the same name finds
        // the same position), the others kept by name.
        var listedEntries = [Bool](repeating: false, count: wheel.entries.count)
        var listedElsewhere = Set<String>()
        let signatures = Self.signatureFiles.map { "\(distInfo)/\($0)" }
        var selfListed = false
        func visit(_ row: Record.Row) {
            let position = wheel.position(named: row.path)
            let isFirstListing: Bool
            if let position {
                isFirstListing = !listedEntries[position]
                listedEntries[position] = true
            } else {
                isFirstListing = listedElsewhere.insert(row.path).inserted
            }
            guard isFirstListing else {
                findings.append(
                    Finding(
                        .duplicateRecordRow, entry: row.path, recordLine: row.line, "RECORD lists this path more than once",
                        hint: "tools disagree on which row counts; rebuild the wheel"))
                return
            }
            if row.path == recordName {
                selfListed = true
                if row.hash != nil || row.size != nil {
                    findings.append(
                        Finding(
                            .recordSelfRowHasHash, entry: row.path, recordLine: row.line,
                            "RECORD's own row should have an empty hash and size", expected: "\(recordName),,",
                            actual: "\(row.hash?.description ?? ""),\(row.size.map(String.init) ?? "")"))
                }
                return
            }
            findings += rowFindings(row, entry: position.map { wheel.entries[$0] }, in: wheel, signatures: signatures)
        }
        // The usual form is checked row by row as it is read, never held as a list; anything else takes the full CSV reader.
        var isUsable = true
        if !Record.forEachSimpleRow(in: bytes, visit) {
            let (rows, parseFindings) = Self.parse(bytes, name: recordName)
            findings = parseFindings
            // When RECORD could not be read at all, listing findings would only repeat that.
            isUsable = !rows.isEmpty || parseFindings.isEmpty
            for row in rows { visit(row) }
        }
        if let lineBreak = Self.irregularLineBreak(in: bytes, name: recordName) { findings.append(lineBreak) }
        if isUsable, !selfListed {
            findings.append(
                Finding(
                    .recordNotSelfListed, entry: recordName, "RECORD does not list itself",
                    expected: "a row \(recordName),,", hint: "rebuild the wheel"))
        }
        for (position, entry) in wheel.entries.enumerated()
        where isUsable && !entry.isDirectory && !listedEntries[wheel.firstPosition(of: position)] && entry.name != recordName
            && !signatures.contains(entry.name)
        {
            findings.append(
                Finding(
                    .fileNotInRecord, entry: entry.name, "the file is not listed in RECORD",
                    hint: "an unlisted file is never verified or uninstalled; rebuild the wheel"))
        }
        return findings
    }

    /// PW416: the first line break other than LF or CRLF: a bare CR, or one of the breaks Python's `str.splitlines`
    /// honours besides them (VT, FF, FS, GS, RS, NEL, U+2028, U+2029), which some readers split RECORD at and others
    /// keep inside a row.
    static func irregularLineBreak(in bytes: [UInt8], name: String) -> Finding? {
        var line = 1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            var found: String?
            switch byte {
            case 0x0A: line += 1
            case 0x0D where index + 1 >= bytes.count || bytes[index + 1] != 0x0A: found = "a CR not followed by LF"
            case 0x0B, 0x0C, 0x1C, 0x1D, 0x1E: found = "the control character 0x" + String(byte, radix: 16, uppercase: true)
            case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0x85: found = "U+0085 (NEL)"
            case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                found = bytes[index + 2] == 0xA8 ? "U+2028 (line separator)" : "U+2029 (paragraph separator)"
            default: break
            }
            if let found {
                return Finding(
                    .irregularRecordLineBreak, entry: name, recordLine: line, "RECORD line \(line) contains \(found)",
                    expected: "rows ended by LF or CRLF", hint: "readers split such a RECORD into different rows; rebuild the wheel")
            }
            index += 1
        }
        return nil
    }

    private func rowFindings(_ row: Record.Row, entry: WheelEntry?, in wheel: WheelSnapshot, signatures: [String]) -> [Finding] {
        let isSignature = signatures.contains(row.path)
        guard let entry else {
            return [
                Finding(.recordedFileMissing, entry: row.path, recordLine: row.line, "RECORD lists a file the archive does not contain")
            ]
        }
        guard let hash = row.hash, let size = row.size else {
            if isSignature || entry.isDirectory { return [] }
            return [
                Finding(
                    .rowWithoutHashOrSize, entry: row.path, recordLine: row.line, "the RECORD row has no hash or no size",
                    expected: "sha256=…,<size>", actual: "\(row.hash?.description ?? ""),\(row.size.map(String.init) ?? "")")
            ]
        }
        let name = hash.algorithm
        // Nearly every row says sha256: skip the name lookup for it.
        guard let algorithm = name == "sha256" ? .sha256 : HashAlgorithm(rawValue: name) else {
            return [
                Finding(
                    .unknownHashAlgorithm, entry: row.path, recordLine: row.line, "RECORD uses an unknown hash algorithm",
                    expected: "sha256, sha384, sha512, sha3_256, sha3_384, sha3_512, blake2b or blake2s", actual: name)
            ]
        }
        if algorithm.isWeak {
            return [
                Finding(
                    .weakHashAlgorithm, entry: row.path, recordLine: row.line, "RECORD uses \(name), which the wheel spec forbids",
                    expected: "sha256 or stronger", actual: name, hint: "rebuild the wheel so RECORD uses sha256")
            ]
        }
        guard algorithm == .sha256 || Self.computable.contains(algorithm) else {
            return [
                Finding(
                    .unverifiableHashAlgorithm, entry: row.path, recordLine: row.line,
                    "RECORD uses \(name), which this build's OpenSSL cannot compute, so the file is not verified",
                    actual: name, hint: "rebuild the wheel so RECORD uses sha256")
            ]
        }
        let length = algorithm.digestLength
        guard let digest = hash.digestBytes, digest.count == length else {
            let standard = hash.encodedDigest.contains { $0 == "+" || $0 == "/" }
            return [
                Finding(
                    .malformedDigest, entry: row.path, recordLine: row.line,
                    standard
                        ? "the digest uses the standard base64 alphabet (`+`, `/`), not the URL-safe one RECORD requires"
                        : "the digest is not urlsafe-base64 of a \(name) value", actual: hash.description)
            ]
        }
        let canonical = Base64URL.encode(digest)
        let padding: [Finding] =
            canonical == hash.encodedDigest
            ? []
            : [
                Finding(
                    .nonCanonicalDigest, entry: row.path, recordLine: row.line,
                    hash.encodedDigest.contains("=")
                        ? "the digest carries base64 padding, which RECORD omits" : "the digest's unused low bits are not zero",
                    expected: "\(name)=\(canonical)", actual: hash.description,
                    hint: "tools that compare the encoded text (installer) reject the row; rebuild the wheel")
            ]
        return padding + contentFindings(row, entry: entry, algorithm: algorithm, digest: digest, size: size, in: wheel)
    }

    private func contentFindings(
        _ row: Record.Row, entry: WheelEntry, algorithm: HashAlgorithm, digest: [UInt8], size: UInt64, in wheel: WheelSnapshot
    ) -> [Finding] {
        // Unread entries (limits, unsupported methods, read errors) have their own findings.
        guard let scan = wheel.scans[entry.index], scan.isFullyDecoded else { return [] }
        var findings = [Finding]()
        // SHA-256 digests are compared inline; their bytes are made an array only for a message.
        let mismatched: [UInt8]? =
            if algorithm == .sha256 {
                scan.sha256.flatMap { SHA256Digest(bytes: digest) == $0 ? nil : $0.bytes }
            } else {
                scan.strongDigests[algorithm].flatMap { $0 == digest ? nil : $0 }
            }
        if let actual = mismatched {
            findings.append(
                Finding(
                    .hashMismatch, entry: row.path, recordLine: row.line, "the file's hash does not match RECORD",
                    expected: "\(algorithm.rawValue)=\(Base64URL.encode(digest))",
                    actual: "\(algorithm.rawValue)=\(Base64URL.encode(actual))",
                    hint: "the file was changed after the wheel was built; do not install it"))
        }
        if size != scan.size {
            findings.append(
                Finding(
                    .sizeMismatch, entry: row.path, recordLine: row.line, "the file's size does not match RECORD",
                    expected: "\(size)", actual: "\(scan.size)", hint: "the file was changed after the wheel was built; do not install it"))
        }
        return findings
    }
}
