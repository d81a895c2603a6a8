import ArgumentParser
import FoundationEssentials
import PurewheelBasics
import WheelChecks
import ZipIO

/// `purewheel check`: verify wheel files and report every finding, for people, as JSON, as GitHub
/// annotations or as SARIF.
///
/// Exit status: 0 when no wheel has an error-severity finding, 1 otherwise (warnings never fail). An
/// unreadable or missing file is a report with its own code (PW100, PW101), not a crash, and such codes
/// are reported whatever `--select` and `--ignore` say. 64 for an unknown code or option, 66 for a folder
/// without wheels, 78 for an invalid `[tool.purewheel.check]` configuration.
struct CheckCommand: EnvironmentCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the integrity of wheel files.",
        discussion: """
            Reads the zip structure defensively, verifies every RECORD hash and size, checks WHEEL and METADATA \
            against the file name, and looks for native code in pure wheels. Codes are listed in docs/codes.md.
            A folder stands for every *.whl in it. Settings come from [tool.purewheel.check] in the nearest \
            pyproject.toml (current folder upward, up to the repository root or your home; a file another user owns \
            is ignored, with a warning); options given here win. The report names the file applied.
            Exit status: 0 when no error-severity finding, 1 otherwise; 64 for a bad command line or an unknown \
            code, 66 for a folder without wheels, 78 for an invalid configuration.
            """
    )

    /// How the report is printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, github, sarif, jsonl
    }

    @Argument(help: "Wheel files, or folders whose *.whl files are checked.")
    var wheels: [String]

    @Option(
        help:
            "Output format: text, json (docs/check-json.md), jsonl (a line per wheel as it is done), github (workflow annotations) or sarif (SARIF 2.1.0)."
    )
    var format: Format = .text

    @Option(help: ArgumentHelp("Check only shard K of N, chosen by file name (1 ≤ K ≤ N); merge with merge-reports.", valueName: "K/N"))
    var shard: CheckShard?

    @Option(help: ArgumentHelp("Report only these codes or code prefixes, e.g. PW4 (repeatable, or comma-separated).", valueName: "code"))
    var select: [String] = []

    @Option(help: ArgumentHelp("Never report these codes or code prefixes (repeatable, or comma-separated).", valueName: "code"))
    var ignore: [String] = []

    @Option(help: "Rule profile: default, or pypi (every rule the index enforces on upload is an error).")
    var profile: CheckProfile?

    @Option(help: ArgumentHelp("Most entries a wheel may have (default \(ResourceLimits().maxEntries)).", valueName: "n"))
    var maxEntries: Int?

    @Option(help: ArgumentHelp("Largest uncompressed size of one entry, in bytes (default 4 GiB).", valueName: "bytes"))
    var maxEntrySize: UInt64?

    @Option(help: ArgumentHelp("Largest total uncompressed size, in bytes (default 16 GiB).", valueName: "bytes"))
    var maxTotalSize: UInt64?

    @Option(help: ArgumentHelp("Largest compression ratio of an entry of 16 MiB or more (default 200).", valueName: "n"))
    var maxRatio: UInt64?

    @Option(
        help: ArgumentHelp(
            "Allow the .pth file with this sha256 to run code at interpreter start (repeatable; PW803 names it).", valueName: "sha256"))
    var allowStartupCode: [String] = []

    @Option(help: ArgumentHelp("Read settings from this pyproject.toml instead of searching for one.", valueName: "file"))
    var config: String?

    @Flag(help: "Ignore any pyproject.toml configuration.")
    var noConfig = false

    @Option(
        help: ArgumentHelp(
            "With '-', the file name of the wheel read from standard input (required: its name, version and tags are checked).",
            valueName: "name"))
    var stdinFilename: String?

    func validate() throws {
        for code in Self.split(select) + Self.split(ignore) where !FindingCode.isSelector(code) {
            throw ValidationError("unknown finding code '\(code)': codes are listed in docs/codes.md; a prefix such as PW4 names a family")
        }
        for digest in allowStartupCode where SHA256Digest(hex: digest.lowercased()) == nil {
            throw ValidationError("--allow-startup-code takes a sha256 digest as 64 hex digits, not '\(digest)'")
        }
        if maxEntries.map({ $0 <= 0 }) ?? false || [maxEntrySize, maxTotalSize, maxRatio].contains(0) {
            throw ValidationError("limits must be positive")
        }
        if config != nil && noConfig { throw ValidationError("--config and --no-config exclude each other") }
        if wheels.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input ('-') can be given once") }
        if wheels.contains("-") && stdinFilename == nil {
            throw ValidationError("'-' reads a wheel from standard input: give its file name with --stdin-filename (it is checked too)")
        }
        if shard != nil && wheels.contains("-") { throw ValidationError("--shard chooses files by name: it does not take '-'") }
        if let name = stdinFilename, name.contains("/") || name.isEmpty {
            throw ValidationError("--stdin-filename is a file name, without '/'")
        }
    }

    func perform(in environment: CommandEnvironment) throws(CommandError) -> Int32 {
        let (settings, configuration) = try CommandError.wrapping(CommandError.checkConfiguration) {
            () throws(CheckConfigurationError) in
            try loadSettings(in: environment)
        }
        let selected = Self.split(select)
        let ignored = Self.split(ignore)
        var limits = ResourceLimits()
        limits.maxEntries = maxEntries ?? settings.maxEntries ?? limits.maxEntries
        limits.maxEntrySize = maxEntrySize ?? settings.maxEntrySize ?? limits.maxEntrySize
        limits.maxTotalSize = maxTotalSize ?? settings.maxTotalSize ?? limits.maxTotalSize
        limits.maxCompressionRatio = maxRatio ?? settings.maxRatio ?? limits.maxCompressionRatio
        let filter = FindingFilter(
            options: CheckOptions(
                select: selected.isEmpty ? settings.select : selected, ignore: ignored.isEmpty ? settings.ignore ?? [] : ignored),
            perFileIgnores: settings.perFileIgnores)
        // The checker reports everything; `filter` then decides per wheel, so that per-file ignores apply and
        // an unreadable file is never hidden by a selection.
        let allowed =
            allowStartupCode.isEmpty ? settings.allowStartupCode ?? [] : allowStartupCode.compactMap { SHA256Digest(hex: $0.lowercased()) }
        let checker = WheelChecker(
            options: CheckOptions(limits: limits, profile: profile ?? settings.profile ?? .default, allowedStartupCode: Set(allowed)))
        let fromInput = try CommandError.wrapping(CommandError.fileSystem) { () throws(FileSystemError) in
            try wheels.contains("-")
                ? StandardInputWheel.spool(
                    from: environment.inputDescriptor, filename: stdinFilename ?? "-", limit: limits.maxTotalSize,
                    variables: environment.variables) : nil
        }
        defer { if case .spooled(let wheel) = fromInput { wheel.remove() } }
        var inputs = [Input]()
        for argument in wheels {
            if argument == "-", let fromInput {
                inputs.append(.standardInput(fromInput))
                continue
            }
            let paths = try CommandError.wrapping(CommandError.noWheels) { () throws(CheckInputs.NoWheelsError) in
                try CheckInputs.expand([argument])
            }
            inputs += paths.map(Input.file).filter { shard?.contains(path: $0.path) ?? true }
        }
        let run = CheckJSONLines.RunLine(
            configuration: configuration,
            settings: .init(
                profile: checker.options.profile, select: filter.options.select, ignore: filter.options.ignore, limits: limits,
                allowStartupCode: allowed.map(\.hex)), shard: shard)
        var stream = CheckReportStream(format: format, configuration: configuration, run: run, write: environment.writeOut)
        // Only each wheel's few release fields are kept, to compare the wheels of one release once all are checked.
        var releases = [CheckReport]()
        check(inputs, with: checker, filter: filter, in: environment) { report in
            if let facts = report.releaseFacts { releases.append(CheckReport(path: report.path, findings: [], releaseFacts: facts)) }
            stream.add(report)
        }
        let disagreements = checker.releaseFindings(releases)
        for wheel in releases {
            guard let findings = disagreements[wheel.path] else { continue }
            // A second part for the same wheel: its own part was written before its siblings were read.
            let report = filter.apply(CheckReport(path: wheel.path, findings: findings))
            if !report.findings.isEmpty { stream.add(report) }
        }
        stream.finish()
        return stream.hasErrors ? ExitCodes.code(for: .findings) : ExitCodes.success
    }

    /// A wheel to check: a file, or the one read from standard input.
    private enum Input {
        case file(String)
        case standardInput(StandardInputWheel.Outcome)

        /// The file's path; standard input has none.
        var path: String { if case .file(let path) = self { path } else { "-" } }
    }

    /// The configuration in force and the file it comes from.
    ///
    /// `--config`, else the nearest trusted `pyproject.toml` with a `[tool.purewheel]` table, else none (`--no-config`
    /// too). Each file passed over for its owner is named on standard error.
    private func loadSettings(in environment: CommandEnvironment) throws(CheckConfigurationError) -> (CheckSettings, String?) {
        if noConfig { return (CheckSettings(), nil) }
        if let config { return (try CheckConfigurationLoader.load(path: config) ?? CheckSettings(), config) }
        let discovery = try CheckConfigurationLoader.discover(
            from: environment.workingDirectory, search: ConfigurationSearch.process(variables: environment.variables))
        for file in discovery.ignored {
            environment.writeError(
                "warning: \(TerminalText.escape(file.path)): not applied: the file belongs to another user (uid \(file.owner))\n"
                    + "  hint: only your own or root's pyproject.toml configures check; name it with --config to use it anyway\n")
        }
        return (discovery.applied?.settings ?? CheckSettings(), discovery.applied?.path)
    }

    /// Checks the wheels, several at once (`CheckParallelism`), and hands each report, filtered, to `report` in input
    /// order as soon as it and those before it are done, with a progress line when `CheckProgress.isWanted`.
    private func check(
        _ inputs: [Input], with checker: WheelChecker, filter: FindingFilter, in environment: CommandEnvironment,
        report: (CheckReport) -> Void
    ) {
        var progress: CheckProgress?
        if CheckProgress.isWanted(
            errorIsTerminal: environment.errorIsTerminal, isTextFormat: format == .text, variables: environment.variables)
        {
            progress = CheckProgress(write: environment.writeError) { path in
                // Only for the progress totals; the checker reports whatever this open would find.
                try? ZipReader.withArchive(atPath: path) { reader throws(ZipError) in reader.entries.map(\.compressedSize) }
            }
            progress?.start()
        }
        defer { progress?.stop() }
        let jobs = inputs.map(CheckJob.init)
        // The line names the wheel the report waits for, which is the earliest still being checked.
        let begin = { (index: Int) in
            guard index < jobs.count, let path = jobs[index].path else { return }
            progress?.begin(wheel: path, index: index, count: jobs.count)
        }
        begin(0)
        let parallelism = CheckParallelism.current
        OrderedParallelMap.forEach(jobs.count, width: parallelism.width(for: jobs.count)) { index in
            parallelism.willCheck?(index)
            return jobs[index].run(checker, filter)
        } emit: { index, done in
            begin(index + 1)
            report(done)
        }
    }

    /// One input's work, made of values that can go to another thread.
    private enum CheckJob: Sendable {
        /// Check the file at `path`; the report names it `shownAs` when set.
        case check(path: String, shownAs: String?)
        /// Nothing to read: the report is known.
        case known(CheckReport)

        init(_ input: Input) {
            switch input {
            case .file(let path): self = .check(path: path, shownAs: nil)
            // Filtered under the given file name, which per-file ignores match, then shown as '-'.
            case .standardInput(.spooled(let wheel)): self = .check(path: wheel.path, shownAs: "-")
            case .standardInput(.overLimit(let limit)):
                self = .known(
                    CheckReport(
                        path: "-",
                        findings: [
                            Finding(
                                code: .unreadableFile, severity: .error,
                                message: "standard input holds more than the total size limit; reading stopped there",
                                expected: "at most \(limit) bytes", actual: "more than \(limit) bytes",
                                hint: "check the file by its path, or raise --max-total-size")
                        ]))
            }
        }

        /// The file the progress line names, if any.
        var path: String? {
            if case .check(let path, _) = self { return path }
            return nil
        }

        func run(_ checker: WheelChecker, _ filter: FindingFilter) -> CheckReport {
            switch self {
            case .check(let path, let shownAs):
                let report = filter.apply(checker.check(path: path))
                return shownAs.map { CheckReport(path: $0, findings: report.findings) } ?? report
            case .known(let report): return report
            }
        }
    }

    /// `--select A,B --select C` → `[A, B, C]`, upper-cased.
    static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace().uppercased() }.filter { !$0.isEmpty }
    }
}

extension CheckProfile: ExpressibleByArgument {}
