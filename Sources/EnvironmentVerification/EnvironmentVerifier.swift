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

    /// Each hashing thread reads through a buffer of this size: memory stays `workerCount` buffers, whatever the files.
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
    /// - Returns: a report per `.dist-info` folder (sorted by name), then the site-packages folder's own report.
    /// - Throws: `EnvironmentVerificationError.sitePackagesMissing`, `.notAFolder` or `.unreadableFolder` when the
    ///   folder itself cannot be verified.
    public func verify(_ site: SitePackages) throws(EnvironmentVerificationError) -> [CheckReport] {
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
        let realPrefix = layout.realPrefix
        let inspections = plans.map(\.inspection)
        let realFolders = FileInspection.realFolders(of: inspections.compactMap { $0 })
        let outcomes = BoundedParallelMap.map(inspections, width: workerCount, bufferSize: Self.chunkSize) { inspection, buffer in
            inspection.map { inspection in
                inspection.inspect(
                    realPrefix: realPrefix, realFolder: realFolders[InstalledPath.split(inspection.path).folder], buffer: buffer)
            }
        }
        var findingsByDistribution = distributions.map { $0.refusal.map { [$0] } ?? [] }
        for (plan, outcome) in zip(plans, outcomes) {
            findingsByDistribution[plan.distribution] += plan.findings(for: outcome, allowed: allowedStartupCode)
        }
        siteFindings += UnownedFiles(layout: layout, ownership: ownership, allowed: allowedStartupCode).findings()
        var reports = [CheckReport]()
        for (distribution, findings) in zip(distributions, findingsByDistribution) {
            reports.append(CheckReport(path: layout.displayPath + "/" + distribution.name, findings: findings))
        }
        reports.append(CheckReport(path: layout.displayPath, findings: siteFindings.sorted { ($0.entry ?? "") < ($1.entry ?? "") }))
        return reports
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
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) where !line.contains("\0") {
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
