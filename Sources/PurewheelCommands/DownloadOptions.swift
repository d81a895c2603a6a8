import ArgumentParser
import PurewheelPipeline

/// The options of every command that reaches an index through pip: which pip, and where downloads are cached.
struct DownloadOptions: ParsableArguments {
    @Option(
        name: .customLong("cache-dir"),
        help: "Download cache (default: $PUREWHEEL_CACHE_DIR, else $XDG_CACHE_HOME/purewheel, else ~/.cache/purewheel).")
    var cacheDirectory: String?

    @Option(name: .customLong("pip"), help: "The pip command to download with (default: $PUREWHEEL_PIP, else pip3 or pip on PATH).")
    var pip: String?

    /// The cache folder: the option, else `$PUREWHEEL_CACHE_DIR`, `$XDG_CACHE_HOME/purewheel`, `~/.cache/purewheel`.
    func cache(in environment: CommandEnvironment) -> String {
        let variables = environment.variables
        return cacheDirectory ?? variables["PUREWHEEL_CACHE_DIR"]
            ?? variables["XDG_CACHE_HOME"].map { "\($0)/purewheel" }
            ?? "\(variables["HOME"] ?? ".")/.cache/purewheel"
    }

    /// The pip command: the option, else `$PUREWHEEL_PIP` (split on spaces), else `pip3` or `pip` on PATH.
    func runner(in environment: CommandEnvironment) -> PipRunner {
        if let explicit = pip ?? environment.variables["PUREWHEEL_PIP"] {
            return PipRunner(command: explicit.split(separator: " ").map(String.init))
        }
        return PipRunner(command: environment.findExecutable(["pip3", "pip"]).map { [$0] })
    }

    /// A fetcher for builds.
    func fetcher(in environment: CommandEnvironment) -> PipFetcher {
        let runner = runner(in: environment)
        return PipFetcher(pipCommand: runner.command, searched: runner.searched, cacheDirectory: cache(in: environment))
    }
}
