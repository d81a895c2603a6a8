import PurewheelBasics
import Synchronization
import WheelModel
import ZipIO
import ZipInspection

/// Options for a check run.
public struct CheckOptions: Sendable, Hashable {
    /// Only these codes (or code prefixes) are reported, when set.
    public var select: [String]?
    /// These codes (or code prefixes) are never reported.
    public var ignore: [String]
    /// Limits against zip bombs and oversized archives.
    public var limits: ResourceLimits
    /// How many threads stream entries of a large wheel (each with its own zip handle).
    public var workerCount: Int
    /// Which rules are errors (docs/check.md, "Profiles").
    public var profile: CheckProfile
    /// SHA-256 digests of `.pth` files whose startup code the user has reviewed and allows (PW803).
    public var allowedStartupCode: Set<SHA256Digest>

    /// Default options: everything selected, nothing ignored, default limits, two workers, default profile.
    public init(
        select: [String]? = nil, ignore: [String] = [], limits: ResourceLimits = ResourceLimits(), workerCount: Int = 2,
        profile: CheckProfile = .default, allowedStartupCode: Set<SHA256Digest> = []
    ) {
        self.select = select
        self.ignore = ignore
        self.limits = limits
        self.workerCount = workerCount
        self.profile = profile
        self.allowedStartupCode = allowedStartupCode
    }

    /// Whether a finding with `code` is reported: selected (by exact code or prefix such as `PW4`) and not ignored.
    ///
    /// Ignoring wins over selecting, as in ruff.
    public func reports(_ code: FindingCode) -> Bool {
        let selected = select.map { selectors in selectors.contains { code.isNamed(by: $0) } } ?? true
        return selected && !ignore.contains { code.isNamed(by: $0) }
    }
}

/// Checks the integrity of a wheel file on disk.
///
/// Shared by `purewheel check` and the build's verification.
///
/// Every rule runs and every finding is collected; nothing stops at the first problem. The zip structure is
/// parsed by purewheel itself (bounded memory, `pread` at offsets), contents are read at the offsets it verified
/// on up to two threads, libzip opens the archive as a second opinion, and findings come out sorted by code, then
/// in archive order.
public struct WheelChecker: Sendable {
    /// The options in force.
    public let options: CheckOptions

    /// Creates a checker.
    public init(options: CheckOptions = CheckOptions()) {
        self.options = options
    }

    /// Checks the wheel at `path`.
    ///
    /// Never throws: an unreadable file is itself a finding.
    public func check(path: String) -> CheckReport { check(.file(path: path)) }

    /// The smallest file whose libzip open runs on a thread of its own beside the structure parse.
    static let parallelOpenThreshold: UInt64 = 256 << 10

    /// Checks the wheel in `source`; a wheel already read whole is checked in memory, byte for byte what was read.
    ///
    /// Never throws: an unreadable file is itself a finding.
    public func check(_ source: ArchiveSource) -> CheckReport {
        var facts: ReleaseFacts?
        let findings = collect(source, facts: &facts)
        // Stable by code; each check already emits in archive order, so the whole order is deterministic.
        let ordered = findings.enumerated().sorted { ($0.element.code, $0.offset) < ($1.element.code, $1.offset) }.map(\.element)
        return CheckReport(
            path: source.label, findings: ordered.filter { options.reports($0.code) }.map(options.profile.adjust), releaseFacts: facts)
    }

    /// The steps of one check: open the file; parse its structure, plan what may be read and scan it, while libzip
    /// opens the archive as a second opinion; then the rules, over everything the steps learned.
    private func collect(_ source: ArchiveSource, facts: inout ReleaseFacts?) -> [Finding] {
        let path = source.label
        let filename = try? WheelFilename(parsing: String(path.split(separator: "/").last ?? Substring(path)), allowingVariant: true)
        let file: RandomAccessFile
        do {
            file = try Self.open(source)
        } catch {
            return [Finding(.unreadableFile, "cannot read the file: \(error.reason)", hint: "check the path and permissions")]
        }
        // libzip's consistency-checked open runs beside purewheel's own parse and the content scan that follows it:
        // libzip reads every local header again and lists every entry, which takes longer than the parse on wheels
        // of many small files, so the scan does not wait for it. A wheel smaller than the threshold is read whole by
        // either in less time than starting a thread takes, which a folder of thousands of small wheels pays per wheel.
        let parallel = options.workerCount > 1 && file.size >= Self.parallelOpenThreshold
        let (read, libzip) = concurrently(parallel: parallel) {
            parsePlanAndScan(file)
        } _: { [self] in
            openWithLibzip(source)
        }
        var findings = read.findings
        guard let contents = read.contents else {
            let named = WheelSnapshot(path: path, filename: filename, entries: [], contentsAvailable: false, smallFiles: [:], scans: [:])
            return findings + MetadataCheck().run(named).filter { $0.code == .invalidFilename }
        }
        if let cause = libzip.failure {
            findings.append(
                Finding(
                    .zipReaderRefused, "the zip reader refused the archive, so no content was verified: \(cause)",
                    hint: "the findings above say why; do not install this wheel"))
        }
        var wheel = WheelSnapshot(
            path: path, filename: filename, entries: contents.entries, contentsAvailable: libzip.failure == nil,
            smallFiles: libzip.smallFiles, scans: [:])
        findings += contents.plan.findings
        findings += IndexArchiveCheck.run(
            entries: contents.entries, fileSize: file.size, head: file.read(at: 0, count: IndexArchiveCheck.tarBlock))
        if wheel.contentsAvailable { wheel.scans = rescan(contents, of: wheel, in: file) }
        facts = Self.releaseFacts(of: wheel)
        return findings + runRules(on: wheel, parallel: parallel)
    }

    /// What the parse, plan and scan steps learned: the structure's findings and, unless the check stops there, the
    /// entries, their resource plan and their contents.
    private struct ArchiveRead {
        var findings: [Finding]
        var contents: Contents?
    }

    /// The entries of an archive purewheel's reader laid out, and what was read of them.
    private struct Contents {
        let entries: [WheelEntry]
        let plan: ResourceCheck.Plan
        /// `nil` when the resource plan reads nothing, like `scans`.
        let work: ContentWork?
        let scans: ScanTable?
    }

    /// Parses the structure, plans what may be read within the limits, and scans it, all before libzip's open has
    /// read the small metadata files; the contents are `nil` where the check stops at the structure.
    ///
    /// The scan asks for SHA-256 only: a RECORD or SBOM that names another algorithm (rare) is known once libzip has
    /// read it, and `rescan` then reads the contents again.
    private func parsePlanAndScan(_ file: RandomAccessFile) -> ArchiveRead {
        // Parse.
        let (structureFindings, parsed) = ZipStructureCheck.run(file, limits: options.limits)
        if structureFindings.contains(where: Self.stopsTheCheck) { return ArchiveRead(findings: structureFindings) }
        guard let layout = parsed else {
            // An archive purewheel's reader cannot lay out is not read by any other means.
            let refusal = Finding(
                .zipReaderRefused, "purewheel's zip reader cannot lay out the archive, so no content was verified",
                hint: "the findings above say why; do not install this wheel")
            return ArchiveRead(findings: structureFindings + [refusal])
        }
        // Plan.
        let entries = layout.entries.map(WheelEntry.init)
        let plan = ResourceCheck(limits: options.limits).plan(entries)
        guard !plan.skipAll else {
            return ArchiveRead(findings: structureFindings, contents: Contents(entries: entries, plan: plan, work: nil, scans: nil))
        }
        // Scan.
        let work = ContentWork(layout: layout, readable: Self.readable(entries, skipping: plan.skipped).map(\.index))
        // Every central record and local header, larger than the jobs, need not stay for the scan.
        _ = consume layout
        let scans = work.scan(file, workerCount: options.workerCount)
        return ArchiveRead(findings: structureFindings, contents: Contents(entries: entries, plan: plan, work: work, scans: scans))
    }

    /// The scan's results, read again with the hashes besides SHA-256 that RECORD or an SBOM asks for, if any.
    private func rescan(_ contents: Contents, of wheel: WheelSnapshot, in file: RandomAccessFile) -> ScanTable {
        guard let work = contents.work else { return [:] }
        let strong = Self.strongAlgorithms(of: wheel)
        guard !strong.isEmpty else { return contents.scans ?? [:] }
        return work.scan(file, workerCount: options.workerCount, strong: Self.byIndex(strong, in: contents.entries))
    }

    /// A rule: the findings it has for one wheel.
    typealias Rule = @Sendable (WheelSnapshot) -> [Finding]

    /// Every rule, in the order their findings are joined (the final sort by code keeps that order for ties).
    private var rules: [Rule] {
        let resources = ResourceCheck(limits: options.limits)
        let startupCode = StartupCodeCheck(allowed: options.allowedStartupCode)
        return [
            Self.contentFindings, { PathCheck().run($0) }, { resources.run($0) }, { RecordCheck().run($0) },
            { WheelInfoCheck().run($0) }, TagRules.run, { MetadataCheck().run($0) }, { PurityCheck().run($0) },
            { HygieneCheck().run($0) }, { startupCode.run($0) }, { SBOMCheck().run($0) },
        ]
    }

    /// Runs every rule and joins their findings in the rules' order.
    ///
    /// The rules are independent of each other; with `parallel`, this thread and one more each take the next rule
    /// until none is left, each rule's findings going to its own slot.
    private func runRules(on wheel: WheelSnapshot, parallel: Bool) -> [Finding] {
        let run = RuleRun(rules: rules)
        _ = concurrently(parallel: parallel) {
            run.takeRules(on: wheel)
        } _: {
            run.takeRules(on: wheel)
        }
        return run.findings
    }

    /// PW646 and PW647 across checked wheels, selected and with severities as for every other finding.
    ///
    /// - Parameter reports: the reports of the wheels checked together, in input order.
    /// - Returns: the findings by wheel path, for the wheels that differ from the first of their release.
    public func releaseFindings(_ reports: [CheckReport]) -> [String: [Finding]] {
        let facts = reports.compactMap { report in report.releaseFacts.map { (path: report.path, facts: $0) } }
        return ReleaseConsistency.findings(facts).mapValues { $0.filter { options.reports($0.code) }.map(options.profile.adjust) }
            .filter { !$0.value.isEmpty }
    }

    /// What the wheel says about its release, for comparing it with the other wheels of a folder.
    static func releaseFacts(of wheel: WheelSnapshot) -> ReleaseFacts? {
        guard let filename = wheel.filename, let distInfo = wheel.distInfo,
            let bytes = wheel.smallFile("\(distInfo)/METADATA"),
            let headers = try? HeaderFields(parsing: String(decoding: bytes, as: UTF8.self), file: "METADATA")
        else { return nil }
        let licenses = "\(distInfo)/licenses/"
        let licenseFiles = wheel.entries.filter { !$0.isDirectory && $0.name.hasPrefix(licenses) }.map {
            String($0.name.dropFirst(licenses.count))
        }
        return ReleaseFacts(filename: filename, metadata: headers, licenseFiles: licenseFiles)
    }

    /// Findings after which nothing else is checked: not a zip, or a central directory over the limits.
    private static func stopsTheCheck(_ finding: Finding) -> Bool {
        [.notAZipArchive, .tooManyEntries, .centralDirectoryOverLimit].contains(finding.code)
    }

    /// libzip's consistency-checked open: a second opinion on the archive, and the small metadata files read whole.
    private func openWithLibzip(_ source: ArchiveSource) -> (smallFiles: [String: [UInt8]], failure: String?) {
        do throws(ZipError) {
            // libzip's open checks every entry all the same; only the few files read here are described.
            let smallFiles = try ZipReader.withArchive(source, listingOnly: Self.isSmallMetadataFile) { reader in
                readSmallFiles(of: reader)
            }
            return (smallFiles, nil)
        } catch {
            return ([:], error.message)
        }
    }

    /// The small metadata files among the reader's entries, read whole, by name.
    private func readSmallFiles(of reader: ZipReader) -> [String: [UInt8]] {
        var smallFiles = [String: [UInt8]]()
        for entry in reader.entries
        where Self.isSmallMetadataFile(entry.name) && entry.uncompressedSize <= options.limits.maxMetadataFileSize {
            // A file that fails to read here fails in the scan too, where it is reported (PW119).
            if let bytes = try? reader.read(entry, limit: options.limits.maxMetadataFileSize) { smallFiles[entry.name] = bytes }
        }
        return smallFiles
    }

    private static let smallMetadataNames = ["RECORD", "WHEEL", "METADATA", "top_level.txt", "entry_points.txt", "variant.json"]
    private static let smallMetadataSuffixes = smallMetadataNames.map { Array("/\($0)".utf8) }

    /// RECORD, WHEEL, METADATA, top_level.txt, entry_points.txt and variant.json directly inside a top-level `.dist-info`
    /// folder, `.pth` files that install into site-packages (their lines are inspected for startup code) and the SBOMs in
    /// `.dist-info/sboms/` (PEP 770; their claims are compared with the files).
    static func isSmallMetadataFile(_ name: String) -> Bool {
        if StartupCodeCheck.isInstalledIntoSitePackages(name) || SBOMCheck.isSBOMFile(name) { return true }
        // Cheap refusal first (this runs for every entry): the name must end in `/` and one of the six file names, byte for byte.
        let utf8 = name.utf8
        guard Self.smallMetadataSuffixes.contains(where: { utf8.count >= $0.count && utf8.suffix($0.count).elementsEqual($0) }) else {
            return false
        }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0].hasSuffix(".dist-info")
            && smallMetadataNames.contains(String(parts[1]))
    }

    /// The entries that may be read: not skipped by the resource plan, not encrypted, compressed by an accepted method.
    ///
    /// Lazy: a copy of every entry would cost as much memory as the entry list itself.
    private static func readable(_ entries: [WheelEntry], skipping skipped: Set<Int>) -> some Sequence<WheelEntry> {
        entries.lazy.filter { entry in
            !skipped.contains(entry.index) && !entry.isEncrypted && AcceptedCompression.methods.keys.contains(entry.method)
        }
    }

    /// Opens the wheel in `source` for reading at offsets: the file at a path, or bytes already read (which cannot fail).
    private static func open(_ source: ArchiveSource) throws(RandomAccessFile.OpenFailure) -> RandomAccessFile {
        switch source {
        case .file(let path): try RandomAccessFile.open(path: path)
        case .memory(let bytes, _): RandomAccessFile(bytes: bytes)
        }
    }

    /// `strong` by entry index, for every entry of each name.
    private static func byIndex(_ strong: [String: StrongAlgorithms], in entries: [WheelEntry]) -> [Int: StrongAlgorithms] {
        var byIndex = [Int: StrongAlgorithms]()
        for entry in entries { if let algorithms = strong[entry.name] { byIndex[entry.index] = algorithms } }
        return byIndex
    }

    /// The hashes besides SHA-256 that the wheel's RECORD and SBOMs ask for, by entry name; empty for almost every wheel.
    static func strongAlgorithms(of wheel: WheelSnapshot) -> [String: StrongAlgorithms] {
        var strong = SBOMCheck.strongAlgorithms(in: wheel.smallFiles)
        for directory in wheel.distInfoDirectories {
            // Parsing RECORD costs as much as reading a wheel of small files; do it only when it asks for more.
            if let bytes = wheel.smallFile("\(directory)/RECORD"), mentionsStrongHash(bytes) {
                strong.merge(RecordCheck.strongAlgorithms(in: RecordCheck.parse(bytes, name: "").rows)) { $0.union($1) }
            }
        }
        return strong
    }

    /// Whether RECORD may use another algorithm than SHA-256 that purewheel computes (`sha384=`, `sha3_256=`,
    /// `blake2b=`, ...), found by a byte search for the names' common starts.
    static func mentionsStrongHash(_ record: [UInt8]) -> Bool {
        let needles = [Array("sha384=".utf8), Array("sha512=".utf8), Array("sha3_".utf8), Array("blake2".utf8)]
        guard record.count >= 5 else { return false }
        for start in 0...(record.count - 5) where record[start] == UInt8(ascii: "s") || record[start] == UInt8(ascii: "b") {
            for needle in needles where record.count - start >= needle.count && record[start..<start + needle.count].elementsEqual(needle) {
                return true
            }
        }
        return false
    }

    /// PW119: entries that could not be read to the end (CRC error, corrupt or short compressed data); PW131:
    /// entries whose deflate stream ended before their compressed size did.
    static func contentFindings(_ wheel: WheelSnapshot) -> [Finding] {
        wheel.entries.compactMap { entry in
            switch wheel.scans[entry.index]?.failure {
            case .unreadable(let cause):
                return Finding(
                    .corruptEntryData, entry: entry.name, "the entry cannot be read to its end: \(cause)",
                    hint: "the wheel is damaged; download it again")
            case .bytesAfterStream(let count):
                return Finding(
                    .bytesAfterDeflateStream, entry: entry.name,
                    "\(count) bytes of the entry's compressed size follow the end of its deflate stream",
                    expected: "the stream ends at the entry's compressed size", actual: "\(count) bytes left",
                    hint: "no reader extracts those bytes, but they travel with the wheel; rebuild it")
            default:
                return nil
            }
        }
    }
}

/// The rules of one check being taken by two threads.
private final class RuleRun: Sendable {
    private struct State {
        var next = 0
        var results: [[Finding]?]
    }

    private let rules: [WheelChecker.Rule]
    private let state: Mutex<State>

    init(rules: [WheelChecker.Rule]) {
        self.rules = rules
        state = Mutex(State(results: Array(repeating: nil, count: rules.count)))
    }

    /// Runs the next rule not yet taken, until none is left.
    func takeRules(on wheel: WheelSnapshot) {
        while true {
            let index = state.withLock { state in
                defer { state.next += 1 }
                return state.next
            }
            guard index < rules.count else { return }
            let found = rules[index](wheel)
            state.withLock { $0.results[index] = found }
        }
    }

    /// Every rule's findings, in the rules' order.
    var findings: [Finding] { state.withLock { $0.results.flatMap { $0 ?? [] } } }
}
