import ArgumentParser
import PurewheelBasics
import UpstreamIndex

/// The options of every command that reaches an index through pip: which pip, and where downloads are cached.
struct DownloadOptions: ParsableArguments {
    @Option(
        name: .customLong("cache-dir"),
        help: "Download cache (default: $PUREWHEEL_CACHE_DIR, else $XDG_CACHE_HOME/purewheel, else ~/.cache/purewheel).")
    var cacheDirectory: String?

    @Option(
        name: .customLong("pip"),
        help: "The pip executable to download with, one path (default: $PUREWHEEL_PIP, else pip3 or pip on PATH).")
    var pip: String?

    /// The cache folder: the option, else `$PUREWHEEL_CACHE_DIR`, `$XDG_CACHE_HOME/purewheel`, `~/.cache/purewheel`.
    func cache(in environment: CommandEnvironment) -> String {
        let variables = environment.variables
        return cacheDirectory ?? variables["PUREWHEEL_CACHE_DIR"]
            ?? variables["XDG_CACHE_HOME"].map { "\($0)/purewheel" }
            ?? "\(variables["HOME"] ?? ".")/.cache/purewheel"
    }

    /// The pip command: `--pip` as one executable (a path with spaces stays whole), else `$PUREWHEEL_PIP` split into words like a shell
    /// would (`python3 -m pip`, quotes kept together), else `pip3` or `pip` on PATH.
    ///
    /// A command name without a `/` is looked up on PATH here, so a missing one is "pip not found" (exit 66) naming it, exactly as a
    /// missing path is.
    ///
    /// - Throws: `EnvironmentError.invalidVariable` for a `$PUREWHEEL_PIP` with an unclosed quote.
    func runner(in environment: CommandEnvironment) throws(EnvironmentError) -> PipRunner {
        var command: [String]
        if let pip {
            command = [pip]
        } else if let variable = environment.variables["PUREWHEEL_PIP"], !variable.isEmpty {
            guard let words = ShellWords.split(variable), !words.isEmpty else {
                throw .invalidVariable(
                    name: "PUREWHEEL_PIP", value: variable, expected: "a command split like a shell would (a quote is not closed)")
            }
            command = words
        } else {
            return PipRunner(command: environment.findExecutable(["pip3", "pip"]).map { [$0] })
        }
        if !command[0].contains("/") {
            guard let found = environment.findExecutable([command[0]]) else { return PipRunner(command: nil, searched: [command[0]]) }
            command[0] = found
        }
        return PipRunner(command: command)
    }

    /// A fetcher for builds.
    ///
    /// - Throws: `EnvironmentError.invalidVariable` for an unusable `$PUREWHEEL_PIP`.
    func fetcher(in environment: CommandEnvironment) throws(EnvironmentError) -> PipFetcher {
        let runner = try runner(in: environment)
        return PipFetcher(pipCommand: runner.command, searched: runner.searched, cacheDirectory: cache(in: environment))
    }
}
