/// PW212, the install schemes of `.data/`.
///
/// Files under the wheel's `{distribution}-{version}.data/` folder go to an install scheme path named by the
/// next segment, which must be one of `purelib`, `platlib`, `headers`, `scripts` or `data` (binary
/// distribution format, "The .data directory"; the sysconfig install paths). pip fails with "Unknown scheme
/// key" and installer refuses such a wheel; a file directly in `.data/` has no scheme at all.
struct InstallSchemeCheck {
    static let schemes: Set<Substring> = ["purelib", "platlib", "headers", "scripts", "data"]

    func run(_ wheel: WheelSnapshot) -> [Finding] {
        guard let distInfo = wheel.distInfo else { return [] }
        let dataFolder = distInfo.dropLast(".dist-info".count) + ".data"
        var findings = [Finding]()
        let prefix = Array((dataFolder + "/").utf8)
        let isASCIIFolder = prefix.allSatisfy { $0 < 0x80 }
        for entry in wheel.entries where !entry.isDirectory {
            // ASCII names only match an ASCII folder byte for byte; skip the split for everything else.
            if entry.isASCII, isASCIIFolder, !entry.name.utf8.starts(with: prefix) { continue }
            let segments = entry.name.split(separator: "/", omittingEmptySubsequences: false)
            guard segments.count >= 2, segments[0] == dataFolder else { continue }
            if segments.count == 2 || !Self.schemes.contains(segments[1]) {
                findings.append(
                    Finding(
                        .unknownInstallScheme, entry: entry.name, "the file is not under a known install scheme of \(dataFolder)/",
                        expected: "purelib, platlib, headers, scripts or data",
                        actual: segments.count == 2 ? "(none)" : String(segments[1]),
                        hint: "installers refuse unknown schemes; move the file under one of the five"))
            }
        }
        return findings
    }
}
