import ArgumentParser
import FoundationEssentials
import Publishing
import PurewheelBasics
import RecipeFormat
import UpstreamIndex
import WheelBuild
import WheelModel

/// `purewheel build`: convert upstream wheels as a recipe says.
struct BuildCommand: EnvironmentCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build pure py3-none-any wheels from upstream wheels, following a recipe.",
        discussion: """
            With --upstream-version, the recipe's pinned wheel for the canonical platform is downloaded with \
            'pip download' (your pip configuration applies) into the cache folder. With --wheel, local files of \
            any platform are used. Every input is checked against its sha256 pin before it is read. All outputs \
            are built first and published only if every input succeeded; inputs that produce the same output \
            name must produce the same bytes. Each wheel is published with its provenance statement, \
            <wheel>.intoto.json (see 'purewheel verify-provenance').
            """
    )

    @Argument(help: "The recipe (TOML).")
    var recipe: String

    @Option(
        name: .customLong("upstream-version"),
        help: ArgumentHelp("An upstream version to download and build (repeatable).", valueName: "version"))
    var versions: [String] = []

    /// An upstream version given as `--version`, refused by `validate` (`ValidationError.upstreamVersionUnderTheToolsName`).
    @Option(name: .customLong("version"), help: .hidden)
    var versionsUnderTheToolsName: [String] = []

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
        guard versionsUnderTheToolsName.isEmpty else { throw ValidationError.upstreamVersionUnderTheToolsName }
        try ValidationError.refuseInvalidVersions(versions, option: "--upstream-version")
        guard !versions.isEmpty || !wheels.isEmpty || allVersions else {
            throw ValidationError("give --upstream-version, --all-versions or --wheel")
        }
    }

    func perform(in environment: CommandEnvironment) throws(CommandError) -> Int32 {
        let loaded: Recipe
        let sourceDateEpoch: Int64?
        let fetcher: PipFetcher
        do throws(RecipeError) { loaded = try RecipeLoader.load(path: recipe) } catch { throw .recipe(error) }
        do throws(EnvironmentError) {
            sourceDateEpoch = try SourceDateEpoch.parse(from: environment.variables)
            fetcher = try download.fetcher(in: environment)
        } catch {
            throw .environment(error)
        }
        let context = StageContext(
            recipe: loaded, fetcher: fetcher, sourceDateEpoch: sourceDateEpoch,
            generator: "purewheel \(PurewheelVersion.current)"
        )
        var requests = wheels.sorted { PathText.lastComponent($0) < PathText.lastComponent($1) }
            .map { FetchRequest.localFile(path: $0, allowUnpinned: allowUnpinned) }
        let chosenVersions = allVersions ? loaded.versions.map(\.version) : PEP440Version.validated(versions)
        requests = chosenVersions.map(FetchRequest.version) + requests
        var publisher = Publisher(pipeline: Pipeline(context: context))
        let progress = BuildProgress(environment: environment)
        publisher.willBuild = { index, count, request in progress.show(index: index, count: count, request: request) }
        defer { progress.finish() }
        guard !dryRun else {
            let planned: [BuildResult]
            do throws(PipelineError) { planned = try publisher.plan(requests) } catch { throw .pipeline(error) }
            for result in planned { environment.writeOut(BuildSummary(planned: result).render()) }
            return ExitCodes.success
        }
        do throws(PublishError) {
            let staging = try StagingArea.create(in: outputDirectory)
            let signals = InterruptionHandler(removing: staging.interruption)
            defer {
                staging.remove()
                signals.stop()
            }
            for published in try publisher.build(requests, in: staging) {
                environment.writeOut(BuildSummary(published).render())
            }
        } catch {
            throw .publish(error)
        }
        return ExitCodes.success
    }
}
