import ArgumentParser
import PurewheelPipeline

/// `--cache-dir` and `--pip`, shared by every command that downloads upstream wheels (`build`,
/// `verify-provenance`), so that they find pip and the cache the same way.
struct FetchOptions: ParsableArguments {
    @Option(name: .customLong("cache-dir"), help: "Download cache (default: $PUREWHEEL_CACHE_DIR, else $XDG_CACHE_HOME/purewheel, else ~/.cache/purewheel).")
    var cacheDirectory: String?

    @Option(name: .customLong("pip"), help: "The pip command to download with (default: $PUREWHEEL_PIP, else pip3 or pip on PATH).")
    var pip: String?

    /// The pip fetcher these options and `environment` choose: the cache folder from `--cache-dir`,
    /// `$PUREWHEEL_CACHE_DIR`, `$XDG_CACHE_HOME/purewheel` or `~/.cache/purewheel`; the pip command from
    /// `--pip`, `$PUREWHEEL_PIP`, or `pip3` / `pip` on PATH.
    func fetcher(_ environment: CommandEnvironment) -> PipFetcher {
        let variables = environment.variables
        let cache = cacheDirectory ?? variables["PUREWHEEL_CACHE_DIR"]
            ?? variables["XDG_CACHE_HOME"].map { "\($0)/purewheel" }
            ?? "\(variables["HOME"] ?? ".")/.cache/purewheel"
        let command: [String]?
        if let explicit = pip ?? variables["PUREWHEEL_PIP"] {
            command = explicit.split(separator: " ").map(String.init)
        } else {
            command = environment.findExecutable(["pip3", "pip"]).map { [$0] }
        }
        return PipFetcher(pipCommand: command, cacheDirectory: cache)
    }
}
