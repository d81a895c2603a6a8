import ZipInspection

/// PW140–PW141: what PyPI's upload validation refuses about the archive as a whole, before it looks at
/// any entry (warehouse `warehouse/forklift/legacy.py` `_is_valid_dist_file`).
struct IndexArchiveCheck {
    /// The index judges the ratio only above this many uncompressed bytes (`COMPRESSION_RATIO_MIN_SIZE`).
    static let ratioFloor: UInt64 = 64 * 1024 * 1024
    /// The most uncompressed bytes per byte of file the index takes (`COMPRESSION_RATIO_THRESHOLD`).
    static let maxRatio: UInt64 = 50
    /// A tar header block.
    static let tarBlock = 512

    /// The findings for a file of `fileSize` bytes whose first bytes are `head` (up to 512) and whose
    /// central directory lists `entries`.
    static func run(entries: [WheelEntry], fileSize: UInt64, head: [UInt8]) -> [Finding] {
        var findings = [Finding]()
        // Declared sizes, summed as the index sums `ZipInfo.file_size`; the content scan has already checked
        // that each entry inflates to what it declares.
        let total = entries.reduce(UInt64(0)) { $0.plus($1.uncompressedSize) }
        // total / size > 50 in exact arithmetic, without a division that rounds.
        if total > ratioFloor, fileSize == 0 || total > fileSize.multipliedReportingOverflow(by: maxRatio).partialValue {
            findings.append(
                Finding(
                    .archiveRatioOverIndexLimit, "the entries inflate to more than 50 times the file's size",
                    expected: "at most 50:1 above 64 MiB", actual: "\(total) bytes from \(fileSize)",
                    hint: "PyPI refuses it as a decompression bomb; split large data out of the wheel"))
        }
        if isTarHeader(head) {
            findings.append(
                Finding(
                    .zipTarPolyglot, "the file's first 512 bytes are also a valid tar header, so it reads as a tar archive too",
                    hint: "tools that try tar first see other files; rebuild the wheel with a standard zip writer"))
        }
        return findings
    }

    /// Whether `block` is a header Python's `tarfile.open` takes as the first member: 512 bytes, not all
    /// zero, numeric fields in octal (or base-256) and a checksum that matches the block's unsigned or signed
    /// byte sum with the checksum field counted as spaces (POSIX ustar; `tarfile.TarInfo.frombuf`).
    static func isTarHeader(_ block: [UInt8]) -> Bool {
        guard block.count >= tarBlock else { return false }
        let header = block.prefix(tarBlock)
        guard header.contains(where: { $0 != 0 }) else { return false }
        // mode, uid, gid, size, mtime, chksum, devmajor, devminor
        let fields = [(100, 8), (108, 8), (116, 8), (124, 12), (136, 12), (148, 8), (329, 8), (337, 8)]
        var values = [Int64]()
        for (offset, length) in fields {
            guard let value = number(header[offset..<offset + length]) else { return false }
            values.append(value)
        }
        let checksum = values[5]
        var unsigned: Int64 = 256
        var signed: Int64 = 256
        for (index, byte) in header.enumerated() where !(148..<156).contains(index) {
            unsigned += Int64(byte)
            signed += Int64(Int8(bitPattern: byte))
        }
        return checksum == unsigned || checksum == signed
    }

    /// A tar numeric field: base-256 when its first byte is 0x80 or 0xFF, otherwise octal digits up to the
    /// first NUL, blanks around them ignored, empty meaning 0; `nil` when it is neither.
    static func number(_ field: ArraySlice<UInt8>) -> Int64? {
        guard let first = field.first else { return nil }
        if first == 0x80 || first == 0xFF {
            var value: Int64 = first == 0xFF ? -1 : 0
            for byte in field.dropFirst() {
                let (shifted, overflow) = value.multipliedReportingOverflow(by: 256)
                guard !overflow else { return nil }
                value = shifted | Int64(byte)
            }
            return value
        }
        let text = field.prefix { $0 != 0 }
        let blanks: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D]
        let digits = text.drop { blanks.contains($0) }.reversed().drop { blanks.contains($0) }.reversed()
        var value: Int64 = 0
        for byte in digits {
            guard (0x30...0x37).contains(byte) else { return nil }
            value = value * 8 + Int64(byte - 0x30)
        }
        return value
    }
}
