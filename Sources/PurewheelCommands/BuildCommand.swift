import ArgumentParser
import Foundation
import PurewheelBasics
import PurewheelPipeline
import RecipeFormat

/// `purewheel build`: convert upstream wheels as a recipe says.
struct BuildCommand: EnvironmentCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build pure py3-none-any wheels from upstream wheels, following a recipe.",
        discussion: """
            With --version, the recipe's pinned wheel for the canonical platform is downloaded with \
            'pip download' (your pip configuration applies) into the cache folder. With --wheel, local files of \
            any platform are used. Every input is checked against its sha256 pin before it is read. All outputs \
            are built first and published only if every input succeeded; inputs that produce the same output \
            name must produce the same bytes. Each wheel is published with its provenance statement, \
            <wheel>.intoto.json (see 'purewheel verify-provenance').
            """
    )

    @Argument(help: "The recipe (TOML).")
    var recipe: String

    @Option(name: .customLong("version"), help: "An upstream version to download and build (repeatable).")
    var versions: [String] = []

    @Flag(name: .customLong("all-versions"), help: "Build every version the recipe pins.")
    var allVersions = false

    @Option(name: .customLong("wheel"), help: "A local upstream wheel to build (repeatable).")
    var wheels: [String] = []

    @Option(name: .customLong("out"), help: "Output folder.")
    var outputDirectory = "dist"

    @OptionGroup var download: DownloadOptions

    @Flag(name: .customLong("allow-unpinned"), help: "Accept local --wheel files the recipe does not pin (the summary says so).")
    var allowUnpinned = false

    @Flag(name: .customLong("dry-run"), help: "Show what would be dropped, patched and injected; write nothing.")
    var dryRun = false

    func validate() throws {
        guard !versions.isEmpty || !wheels.isEmpty || allVersions else {
            throw ValidationError("give --version, --all-versions or --wheel")
        }
    }

    func execute(in environment: CommandEnvironment) throws -> Int32 {
        let loaded = try RecipeLoader.load(path: recipe)
        let context = StageContext(
            recipe: loaded, fetcher: download.fetcher(in: environment), sourceDateEpoch: try sourceDateEpoch(environment),
            generator: "purewheel \(PurewheelVersion.current)"
        )
        var requests = wheels.sorted { ($0 as NSString).lastPathComponent < ($1 as NSString).lastPathComponent }
            .map { FetchRequest.localFile(path: $0, allowUnpinned: allowUnpinned) }
        let chosenVersions = allVersions ? loaded.versions.map(\.version) : versions
        requests = chosenVersions.map(FetchRequest.version) + requests
        let builder = BatchBuilder(
            pipeline: Pipeline(context: context), outputDirectory: outputDirectory, dryRun: dryRun,
            recordedRecipePath: environment.portablePath(recipe)
        )
        let results = try builder.build(requests)
        for result in results {
            environment.writeOut(BuildSummary(result: result, dryRun: dryRun).render())
        }
        return ExitCodes.success
    }

    private func sourceDateEpoch(_ environment: CommandEnvironment) throws -> Int64? {
        guard let text = environment.variables["SOURCE_DATE_EPOCH"], !text.isEmpty else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw ValidationError("SOURCE_DATE_EPOCH must be a non-negative integer, got '\(text)'")
        }
        return value
    }
}
