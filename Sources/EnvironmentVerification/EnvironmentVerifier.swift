import PurewheelBasics
import WheelChecks
import WheelModel

/// Verifying an installed Python environment against the RECORDs its installers wrote (`purewheel verify-env`).
///
/// Entry points: `SitePackages` (a folder and the prefix its RECORD paths must stay in) and
/// `EnvironmentVerifier.verify(_:)`, which returns `check`-style reports with PW9xx findings: one per `.dist-info`
/// folder, then one for the site-packages folder (files nobody owns, `.egg-info` distributions). Read-only: nothing
/// is written, no link out of the prefix is followed, and nothing but a regular file is ever opened.
public struct EnvironmentVerifier: Sendable {
    /// How many threads hash files at once.
    public var workerCount: Int
    /// SHA-256 digests of `.pth` files the user has reviewed and allows (PW914, PW916).
    public var allowedStartupCode: Set<SHA256Digest>

    /// A file is read through a buffer of at most this size: memory stays `workerCount` buffers, whatever the files.
    static let chunkSize = 1 << 20

    /// Creates a verifier.
    ///
    /// - Parameters:
    ///   - workerCount: threads that hash files at once (at least 1).
    ///   - allowedStartupCode: digests of `.pth` files whose startup code is allowed.
    public init(workerCount: Int = 2, allowedStartupCode: Set<SHA256Digest> = []) {
        self.workerCount = max(1, workerCount)
        self.allowedStartupCode = allowedStartupCode
    }

    /// Verifies one site-packages folder.
    ///
    /// - Parameters:
    ///   - site: the folder and its prefix.
    ///   - progress: called on the calling thread after each listed file is looked at, in RECORD order.
    /// - Returns: a report per `.dist-info` folder (sorted by name), then the site-packages folder's own report.
    /// - Throws: `EnvironmentVerificationError.sitePackagesMissing`, `.notAFolder` or `.unreadableFolder` when the
    ///   folder itself cannot be verified.
    public func verify(
        _ site: SitePackages, progress: (VerificationProgress) -> Void = { _ in }
    ) throws(EnvironmentVerificationError) -> [CheckReport] {
        let layout = try Layout(site)
        var distributions = [Distribution]()
        var siteFindings = [Finding]()
        var ownership = Ownership()
        for entry in layout.entries where entry.isUTF8 {
            if entry.name.hasSuffix(".dist-info"), layout.kind(of: entry) == .directory {
                let folder = layout.realPath + "/" + entry.name
                switch InstalledRecord.read(distInfo: folder, name: entry.name) {
                case .success(let rows): distributions.append(Distribution(name: entry.name, rows: rows))
                case .failure(let refusal): distributions.append(Distribution(name: entry.name, rows: [], refusal: refusal.finding))
                }
            } else if entry.name.hasSuffix(".egg-info") {
                siteFindings.append(eggInfoFinding(entry.name))
                ownership.claim(eggInfo: entry.name, isFolder: layout.kind(of: entry) == .directory, in: layout.realPath)
            }
        }
        var plans = [PlannedRow]()
        for (index, distribution) in distributions.enumerated() {
            for row in distribution.rows {
                let plan = PlannedRow(row: row, distribution: index, distInfo: distribution.name, layout: layout)
                if let relative = plan.ownedPath { ownership.files.insert(relative) }
                plans.append(plan)
            }
        }
        // The walk comes first: what it lists as regular files is then opened without resolving a path again.
        let walk = UnownedFiles(layout: layout, ownership: ownership, allowed: allowedStartupCode).walk()
        siteFindings += walk.findings
        let locations = locations(of: plans, walked: walk.regularFiles)
        let realPrefix = layout.realPrefix
        var findingsByDistribution = distributions.map { $0.refusal.map { [$0] } ?? [] }
        var done = VerificationProgress(files: plans.count, bytes: plans.reduce(0) { $0 &+ ($1.row.size ?? 0) })
        let batches = Self.batches(of: plans)
        // The window only holds small outcomes, so it is wide: a large file holds up the emitting, not the other
        // workers.
        OrderedParallelMap.forEach(batches.count, width: workerCount, window: max(2 * workerCount, 4096)) { [plans] batch in
            batches[batch].map { index in plans[index].inspection.map { $0.inspect(realPrefix: realPrefix, location: locations[index]) } }
        } emit: { batch, outcomes in
            for (index, outcome) in zip(batches[batch], outcomes) {
                let plan = plans[index]
                findingsByDistribution[plan.distribution] += plan.findings(for: outcome, allowed: allowedStartupCode)
                done.bytesDone &+= plan.row.size ?? 0
            }
            done.filesDone += outcomes.count
            progress(done)
        }
        var reports = [CheckReport]()
        for (distribution, findings) in zip(distributions, findingsByDistribution) {
            reports.append(CheckReport(path: layout.displayPath + "/" + distribution.name, findings: findings))
        }
        reports.append(CheckReport(path: layout.displayPath, findings: siteFindings.sorted { ($0.entry ?? "") < ($1.entry ?? "") }))
        return reports
    }

    /// The rows in consecutive runs of at most `batchFiles` files and `batchBytes` listed bytes: the workers take a
    /// run at a time, so the hand-over between threads is paid per run, not per small file.
    private static func batches(of plans: [PlannedRow]) -> [Range<Int>] {
        var batches = [Range<Int>]()
        var start = 0
        var bytes: UInt64 = 0
        for (index, plan) in plans.enumerated() {
            bytes &+= plan.row.size ?? 0
            if index + 1 - start == batchFiles || bytes >= batchBytes || index + 1 == plans.count {
                batches.append(start..<index + 1)
                start = index + 1
                bytes = 0
            }
        }
        return batches
    }

    /// The most files in a batch.
    static let batchFiles = 64
    /// A batch ends once its listed sizes reach this.
    static let batchBytes: UInt64 = 4 << 20

    /// Where each row's file is: seen by the walk, or in a folder whose real path is resolved here, once per folder.
    private func locations(of plans: [PlannedRow], walked: Set<String>) -> [FileInspection.Location] {
        var realFolders = [String: Result<String, FileSystemProbe.Failure>]()
        return plans.map { plan in
            guard let inspection = plan.inspection else { return .inFolder(nil) }
            if let relative = plan.ownedPath, walked.contains(relative) { return .walkedRegularFile }
            let folder = InstalledPath.split(inspection.path).folder
            if realFolders[folder] == nil { realFolders[folder] = FileSystemProbe.realPath(folder) }
            return .inFolder(realFolders[folder])
        }
    }

    private func eggInfoFinding(_ name: String) -> Finding {
        .environment(
            .eggInfoUnverifiable, entry: name, "a legacy .egg-info distribution: no RECORD with hashes, so none of its files is verified",
            hint: "reinstall it from a wheel (pip install --force-reinstall) to record hashes, or verify it with its own package manager")
    }

    /// One `.dist-info` folder: its rows, or the finding that says why it has none.
    private struct Distribution {
        let name: String
        let rows: [Record.Row]
        var refusal: Finding?
    }
}

/// How far `EnvironmentVerifier.verify` has come in one site-packages folder.
public struct VerificationProgress: Sendable, Hashable {
    /// Listed files looked at.
    public var filesDone = 0
    /// Listed files in all.
    public let files: Int
    /// The sizes RECORD lists for the files looked at.
    public var bytesDone: UInt64 = 0
    /// The sizes RECORD lists, summed.
    public let bytes: UInt64

    /// Progress at the start.
    public init(files: Int, bytes: UInt64) {
        self.files = files
        self.bytes = bytes
    }
}

/// The files a RECORD or an `.egg-info` accounts for, by path relative to the real site-packages folder.
struct Ownership {
    /// Files listed (resolved on the text of their rows).
    var files = Set<String>()
    /// `.egg-info` folders: everything in them belongs to them.
    var folders = Set<String>()

    /// Claims an `.egg-info` folder and what its `installed-files.txt` lists (as pip wrote it for `setup.py install`);
    /// a single `.egg-info` file (distutils) claims itself.
    mutating func claim(eggInfo name: String, isFolder: Bool, in realSitePackages: String) {
        guard isFolder else {
            files.insert(name)
            return
        }
        folders.insert(name)
        let folder = realSitePackages + "/" + name
        let listPath = folder + "/installed-files.txt"
        guard case .success(let status) = FileSystemProbe.status(listPath), status.kind == .regular,
            status.size <= UInt64(InstalledRecord.sizeLimit),
            case .success(let bytes) = InstalledRecord.readWhole(listPath, entry: name + "/installed-files.txt", status: status)
        else { return }
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) where !line.utf8.contains(0) {
            let resolved = InstalledPath.resolve(String(line), in: folder)
            if let relative = InstalledPath.relative(resolved, to: realSitePackages) { files.insert(relative) }
        }
    }

    /// Whether the file at `relative` (under site-packages) is listed, or lies inside an `.egg-info` folder.
    func owns(_ relative: String) -> Bool {
        if files.contains(relative) { return true }
        if let top = relative.split(separator: "/").first, folders.contains(String(top)) { return true }
        return false
    }

    /// Whether `relative` is a byte-code cache (`__pycache__/name.TAG.pyc`) of a listed source.
    func ownsSource(ofCache relative: String) -> Bool {
        InstalledPath.cachedSource(of: relative).map(files.contains) ?? false
    }
}
