import ArgumentParser
import EnvironmentVerification
import FoundationEssentials
import PurewheelBasics
import WheelChecks

/// `purewheel verify-env`: verify an installed environment against the RECORDs its installers wrote, and list the
/// files no RECORD owns.
///
/// Exit status: 0 when no error-severity finding, 1 otherwise; 64 for a bad command line, 65 when the interpreter
/// does not answer, 66 for a missing site-packages folder or interpreter, 74 for a folder that cannot be read, 78 for
/// an invalid `[tool.purewheel.verify-env]` configuration.
struct VerifyEnvCommand: EnvironmentCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-env",
        abstract: "Verify installed distributions against their RECORD files, and list files nobody owns.",
        discussion: """
            For every *.dist-info/RECORD in each site-packages folder: every listed file exists, is a regular file \
            inside the environment and has the listed size and hash. Then every file no RECORD lists is reported; \
            an unlisted .pth file with a line that site executes is an error. Read-only. Without a folder, the \
            site-packages folders of --python (default: python3 on PATH), including its user site when enabled.
            Settings come from [tool.purewheel.verify-env] in the nearest pyproject.toml, found and trusted as for \
            check (current folder upward; a file another user owns is ignored, with a warning); options given here \
            win. The report names the file applied.
            Exit status: 0 when no error-severity finding, 1 otherwise; 64 for a bad command line, 65 when the \
            interpreter does not answer, 66 for a missing folder or interpreter, 74 for an unreadable folder, 78 for \
            an invalid configuration.
            """
    )

    @Argument(help: ArgumentHelp("Site-packages folders to verify (default: those of --python).", valueName: "site-packages"))
    var sitePackages: [String] = []

    @Option(help: ArgumentHelp("The interpreter whose site-packages folders are verified (default: python3 on PATH).", valueName: "exe"))
    var python: String?

    @Option(help: "Output format: text, json, github (workflow annotations) or sarif (SARIF 2.1.0), as for check.")
    var format: CheckCommand.Format = .text

    @Option(help: ArgumentHelp("Report only these codes or code prefixes, e.g. PW9 (repeatable, or comma-separated).", valueName: "code"))
    var select: [String] = []

    @Option(help: ArgumentHelp("Never report these codes or code prefixes (repeatable, or comma-separated).", valueName: "code"))
    var ignore: [String] = []

    @Option(help: ArgumentHelp("Allow a .pth file with startup code by its SHA-256 (repeatable).", valueName: "sha256"))
    var allowStartupCode: [String] = []

    @Option(help: ArgumentHelp("Read settings from this pyproject.toml instead of searching for one.", valueName: "file"))
    var config: String?

    @Flag(help: "Ignore any pyproject.toml configuration.")
    var noConfig = false

    func validate() throws {
        for code in CheckCommand.split(select) + CheckCommand.split(ignore) where !FindingCode.isSelector(code) {
            throw ValidationError("unknown finding code '\(code)': codes are listed in docs/codes.md; a prefix such as PW9 names a family")
        }
        if python != nil && !sitePackages.isEmpty {
            throw ValidationError("give site-packages folders or --python, not both")
        }
        if let bad = allowStartupCode.first(where: { SHA256Digest(hex: $0.lowercased()) == nil }) {
            throw ValidationError("--allow-startup-code '\(bad)' is not a SHA-256 in hexadecimal (64 digits)")
        }
        if config != nil && noConfig { throw ValidationError("--config and --no-config exclude each other") }
    }

    func perform(in environment: CommandEnvironment) throws(CommandError) -> Int32 {
        let (settings, configuration) = try CommandError.wrapping(CommandError.checkConfiguration) {
            () throws(CheckConfigurationError) in
            try loadSettings(in: environment)
        }
        let sites = try CommandError.wrapping(CommandError.environmentVerification) { () throws(EnvironmentVerificationError) in
            sitePackages.isEmpty
                ? try SitePackagesQuery.sitePackages(of: python ?? "python3", in: environment)
                : sitePackages.map { SitePackages(path: $0) }
        }
        let allowed =
            allowStartupCode.isEmpty
            ? settings.allowStartupCode ?? [] : allowStartupCode.compactMap { SHA256Digest(hex: $0.lowercased()) }
        let verifier = EnvironmentVerifier(
            workerCount: ProcessInfo.processInfo.activeProcessorCount, allowedStartupCode: Set(allowed))
        let selected = CheckCommand.split(select)
        let ignored = CheckCommand.split(ignore)
        let filter = FindingFilter(
            options: CheckOptions(
                select: selected.isEmpty ? settings.select : selected, ignore: ignored.isEmpty ? settings.ignore ?? [] : ignored),
            perFileIgnores: [])
        let progress = VerifyEnvProgress(environment: environment, isTextFormat: format == .text)
        var reports = [CheckReport]()
        do {
            // Erased before the report or an error is written, whichever comes.
            defer { progress.finish() }
            for (index, site) in sites.enumerated() {
                reports += try CommandError.wrapping(CommandError.environmentVerification) { () throws(EnvironmentVerificationError) in
                    try verifier.verify(site) { done in progress.show(done, site: index, of: sites.count) }
                }
            }
        }
        reports = reports.map(filter.apply)
        environment.writeOut(Self.render(reports, as: format, configuration: configuration))
        return reports.contains { $0.hasErrors } ? ExitCodes.code(for: .findings) : ExitCodes.success
    }

    /// The configuration in force and the file it comes from.
    ///
    /// `--config`, else the nearest trusted `pyproject.toml` with a `[tool.purewheel]` table, else none (`--no-config`
    /// too). Each file passed over for its owner is named on standard error.
    private func loadSettings(in environment: CommandEnvironment) throws(CheckConfigurationError) -> (VerifyEnvSettings, String?) {
        if noConfig { return (VerifyEnvSettings(), nil) }
        if let config { return (try VerifyEnvConfigurationLoader.load(path: config) ?? VerifyEnvSettings(), config) }
        let discovery = try VerifyEnvConfigurationLoader.discover(
            from: environment.workingDirectory, search: ConfigurationSearch.process(variables: environment.variables))
        for file in discovery.ignored {
            environment.writeError(
                "warning: \(TerminalText.escape(file.path)): not applied: the file belongs to another user (uid \(file.owner))\n"
                    + "  hint: only your own or root's pyproject.toml configures verify-env; name it with --config to use it anyway\n")
        }
        return (discovery.applied?.settings ?? VerifyEnvSettings(), discovery.applied?.path)
    }

    /// The report in `format`, by the renderers `check` uses, naming the configuration file applied.
    static func render(_ reports: [CheckReport], as format: CheckCommand.Format, configuration: String?) -> String {
        var out = ""
        var stream = CheckReportStream(format: format, configuration: configuration) { out += $0 }
        for report in reports { stream.add(report) }
        stream.finish()
        return out
    }
}
