import PurewheelBasics
import WheelChecks
import WheelModel

/// One RECORD row of an installed distribution: what the row alone says (a path out of the prefix, a weak hash), what
/// to look at on disk, and the findings the look gives.
struct PlannedRow: Sendable {
    /// The row as read.
    let row: Record.Row
    /// The index of its distribution.
    let distribution: Int
    /// The `.dist-info` folder's name.
    let distInfo: String
    /// Findings from the row alone.
    private(set) var rowFindings = [Finding]()
    /// What to look at on disk; `nil` when the path must not be touched.
    private(set) var inspection: FileInspection?
    /// The path relative to site-packages, when it lies under it.
    private(set) var ownedPath: String?
    /// Whether the row is a `.pth` file directly in site-packages, one `site` executes lines of.
    private(set) var isStartupFile = false

    /// The hash algorithms weaker than SHA-256 (the binary distribution format requires sha256 or stronger).
    static let weakAlgorithms: Set<String> = ["md5", "sha1", "sha224"]

    init(row: Record.Row, distribution: Int, distInfo: String, layout: Layout) {
        self.row = row
        self.distribution = distribution
        self.distInfo = distInfo
        guard !row.path.isEmpty, !row.path.utf8.contains(0) else {
            rowFindings.append(finding(.installedRecordMalformed, "the row's path is empty or holds a NUL character"))
            return
        }
        let resolved = InstalledPath.resolve(row.path, in: layout.realPath)
        guard InstalledPath.isWithin(resolved, layout.realPrefix) else {
            rowFindings.append(
                finding(
                    .pathLeavesEnvironment, "the path leads out of the environment's prefix; not read",
                    expected: "a path under \(layout.realPrefix)", actual: resolved,
                    hint: "do not uninstall this distribution with a tool that trusts RECORD; reinstall it into a fresh environment"))
            return
        }
        ownedPath = InstalledPath.relative(resolved, to: layout.realPath)
        isStartupFile = ownedPath.map(InstalledPath.isStartupFile) ?? false
        inspection = FileInspection(
            path: resolved, size: row.size, expectation: expectation(resolved: resolved, layout: layout), keepsContent: isStartupFile)
    }

    /// What the row's hash column allows to compare; appends the finding for a hash that cannot be used.
    private mutating func expectation(resolved: String, layout: Layout) -> FileInspection.Expectation {
        guard let hash = row.hash else {
            // RECORD lists itself without a hash (PEP 376), and installers may list byte-code caches without one.
            let unhashed = Record.unhashedFiles.map { layout.realPath + "/" + distInfo + "/" + $0 }
            if !unhashed.contains(resolved) && !resolved.hasSuffix(".pyc") {
                rowFindings.append(
                    finding(
                        .installedRowWithoutHash, "the file is listed without a hash; only its presence was checked",
                        hint: "reinstall the distribution with an installer that records hashes (pip, uv, installer)"))
            }
            return .presence
        }
        if Self.weakAlgorithms.contains(hash.algorithm) {
            rowFindings.append(
                finding(
                    .installedWeakHash, "the row's \(hash.algorithm) hash is too weak to verify the file; only its presence was checked",
                    expected: "sha256 or stronger", actual: hash.algorithm,
                    hint: "reinstall the distribution with an installer that records sha256"))
            return .presence
        }
        guard let algorithm = DigestAlgorithm(rawValue: hash.algorithm) else {
            rowFindings.append(
                finding(
                    .installedUnverifiableHash, "purewheel cannot compute the row's \(hash.algorithm) hash; only its presence was checked",
                    expected: "sha256, sha384 or sha512", actual: hash.algorithm,
                    hint: "reinstall the distribution with an installer that records sha256"))
            return .presence
        }
        guard let digest = hash.digestBytes, digest.count == algorithm.length else {
            rowFindings.append(
                finding(
                    .installedUnverifiableHash, "the row's digest is not \(algorithm.length) bytes of URL-safe base64",
                    actual: hash.description, hint: "reinstall the distribution; RECORD was damaged"))
            return .presence
        }
        return .digest(algorithm, digest)
    }

    /// The row's findings once `outcome` is known (`nil`: nothing was looked at).
    func findings(for outcome: FileInspection.Outcome?, allowed: Set<SHA256Digest>) -> [Finding] {
        guard let outcome else { return rowFindings }
        let reinstall = "reinstall \(distributionName) and find out what changed it: an edit, a bad disk or tampering"
        switch outcome {
        case .verified(let content):
            guard isStartupFile else { return rowFindings }
            guard let content else {
                return rowFindings + [
                    finding(
                        .ownedStartupCode, "the .pth file is larger than 16 MiB, too large to inspect its lines",
                        hint: "find out why \(distributionName) installs it")
                ]
            }
            return rowFindings + startupFindings(content, allowed: allowed)
        case .missing(let detail):
            return rowFindings + [
                finding(
                    .installedFileMissing, "the file RECORD lists is not installed" + (detail.map { ": \($0)" } ?? ""),
                    hint: "reinstall \(distributionName), or uninstall it if it is no longer wanted")
            ]
        case .leavesPrefix(let target):
            return rowFindings + [
                finding(
                    .pathLeavesEnvironment, "a symbolic link leads out of the environment's prefix; not read", actual: target,
                    hint: "replace the link with the file the distribution installs (reinstall it)")
            ]
        case .notRegular(let kind):
            return rowFindings + [
                finding(
                    .notARegularFile, "the path is \(kind.name), not a regular file; not opened", expected: "a regular file",
                    actual: kind.name, hint: "remove it and \(reinstall)")
            ]
        case .unreadable(let errno):
            return rowFindings + [
                finding(.installedFileUnreadable, "cannot read the file: \(errno)", hint: "run verify-env as a user who can read it")
            ]
        case .sizeMismatch(let actual):
            return rowFindings + [
                finding(
                    isStartupFile ? .modifiedStartupFile : .installedSizeMismatch,
                    isStartupFile ? "the .pth file has changed since it was installed" : "the file's size differs from RECORD",
                    expected: row.size.map { "\($0) bytes" }, actual: "\(actual) bytes", hint: reinstall)
            ]
        case .digestMismatch(let actual):
            return rowFindings + [
                finding(
                    isStartupFile ? .modifiedStartupFile : .installedHashMismatch,
                    isStartupFile ? "the .pth file has changed since it was installed" : "the file's hash differs from RECORD",
                    expected: row.hash?.description, actual: actual, hint: reinstall)
            ]
        }
    }

    /// A listed, unchanged `.pth` file whose lines `site` executes: reported, as its code runs in every process.
    private func startupFindings(_ content: [UInt8], allowed: Set<SHA256Digest>) -> [Finding] {
        switch StartupFile.classify(content, allowed: allowed) {
        case .pathsOnly, .known: return []
        case .notUTF8(let digest):
            return [
                finding(
                    .ownedStartupCode, "the .pth file is not UTF-8, so which of its lines site executes depends on the locale",
                    actual: "sha256 \(digest.hex)", hint: "find out why \(distributionName) installs it")
            ]
        case .executes(let line, let text, let digest):
            return [
                finding(
                    .ownedStartupCode, "line \(line) of the .pth file runs at every interpreter start: \(text)",
                    actual: "sha256 \(digest.hex)",
                    hint: "if \(distributionName) is meant to start code in every process, allow the file by its sha256"
                        + " (--allow-startup-code); otherwise uninstall it")
            ]
        }
    }

    /// `name version` from the `.dist-info` folder's name, for hints.
    private var distributionName: String {
        let stem = distInfo.dropLast(".dist-info".count)
        guard let dash = stem.firstIndex(of: "-") else { return String(stem) }
        return "\(stem[..<dash]) \(stem[stem.index(after: dash)...])"
    }

    private func finding(
        _ code: FindingCode, _ message: String, expected: String? = nil, actual: String? = nil, hint: String? = nil
    ) -> Finding {
        .environment(code, entry: row.path, recordLine: row.line, message, expected: expected, actual: actual, hint: hint)
    }
}
