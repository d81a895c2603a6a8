import ZipInspection

/// PW3xx: limits on declared sizes, compression ratio and actual inflated size, so a zip bomb is refused
/// before, or at most one chunk after, it starts to inflate.
struct ResourceCheck {
    let limits: ResourceLimits

    /// The findings on declared sizes, the entries not to read, and whether to read none.
    typealias Plan = (findings: [Finding], skipped: Set<Int>, skipAll: Bool)

    /// Checks declared values before anything is read; returns the findings and the entries not to read.
    func plan(_ entries: [WheelEntry]) -> Plan {
        var findings = [Finding]()
        var skipped = Set<Int>()
        var total: UInt64 = 0
        for entry in entries {
            total = total.plus(entry.uncompressedSize)
            if entry.uncompressedSize > limits.maxEntrySize {
                findings.append(
                    Finding(
                        .declaredSizeOverLimit, entry: entry.name, "the entry declares more bytes than the limit",
                        expected: "at most \(limits.maxEntrySize)", actual: "\(entry.uncompressedSize)",
                        hint: "raise --max-entry-size if this wheel is trusted"))
                skipped.insert(entry.index)
            } else if entry.uncompressedSize >= limits.ratioFloor,
                entry.compressedSize == 0 || entry.uncompressedSize / entry.compressedSize > limits.maxCompressionRatio
            {
                findings.append(
                    Finding(
                        .compressionRatioOverLimit, entry: entry.name, "the entry's compression ratio is above the limit",
                        expected: "at most \(limits.maxCompressionRatio):1",
                        actual:
                            "\(entry.uncompressedSize / max(entry.compressedSize, 1)):1 (\(entry.uncompressedSize) from \(entry.compressedSize) bytes)",
                        hint: "this looks like a zip bomb; raise --max-ratio only if the wheel is trusted"))
                skipped.insert(entry.index)
            }
        }
        let skipAll = total > limits.maxTotalSize
        if skipAll {
            findings.append(
                Finding(
                    .totalSizeOverLimit, "the entries declare more bytes in total than the limit; contents were not read",
                    expected: "at most \(limits.maxTotalSize)", actual: "\(total)", hint: "raise --max-total-size if this wheel is trusted")
            )
        }
        return (findings, skipped, skipAll)
    }

    /// Compares actual inflated sizes with the declared ones.
    func run(_ wheel: WheelSnapshot) -> [Finding] {
        var findings = [Finding]()
        for entry in wheel.entries {
            guard let scan = wheel.scans[entry.index] else { continue }
            switch scan.failure {
            case .exceededDeclaredSize(let read):
                findings.append(
                    Finding(
                        .inflatesBeyondDeclaredSize, entry: entry.name,
                        "the entry inflates to more bytes than it declares; reading stopped",
                        expected: "\(entry.uncompressedSize) bytes", actual: "at least \(read) bytes",
                        hint: "this is a zip bomb or a crafted archive; do not install it"))
            case nil, .bytesAfterStream:
                guard scan.size != entry.uncompressedSize else { continue }
                findings.append(
                    Finding(
                        .inflatesShortOfDeclaredSize, entry: entry.name, "the entry inflates to fewer bytes than it declares",
                        expected: "\(entry.uncompressedSize) bytes", actual: "\(scan.size) bytes"))
            default:
                break
            }
        }
        return findings
    }
}
