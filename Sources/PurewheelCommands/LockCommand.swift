import ArgumentParser
import PurewheelBasics
import RecipeFormat
import UpstreamIndex

/// `purewheel lock`: pin the upstream files of new releases in the lock beside the recipe.
struct LockCommand: EnvironmentCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "Pin every upstream file of new releases (name and sha256) in the recipe's lock.",
        discussion: """
            Finds the files of each version through pip (your pip configuration applies), one query per Python \
            version and platform in the recipe's [source], downloads them into the cache, and checks that the \
            recipe builds every new file before anything is pinned. Without --upstream-version, every upstream version \
            that [source] versions admits. An existing pin is never changed: a pinned file whose bytes differ \
            is exit 3 and the lock is left as it was. An index that was not read (pip could not fetch a page, or \
            it lists none of the versions the lock pins) is exit 74. The new pins are merged into the lock as it \
            is on disk when writing, under a lock on .<lock name>.writer beside it, so overlapping runs keep each \
            other's pins; the lock is written atomically, and only when it changes.
            """
    )

    @Argument(help: "The recipe (TOML); its lock is the .lock file beside it.")
    var recipe: String

    @Option(
        name: .customLong("upstream-version"),
        help: ArgumentHelp(
            "An upstream version to lock (repeatable; default: every version the recipe builds).", valueName: "version"))
    var versions: [String] = []

    /// An upstream version given as `--version`, refused by `validate` (`ValidationError.upstreamVersionUnderTheToolsName`).
    @Option(name: .customLong("version"), help: .hidden)
    var versionsUnderTheToolsName: [String] = []

    @OptionGroup var download: DownloadOptions

    func validate() throws {
        guard versionsUnderTheToolsName.isEmpty else { throw ValidationError.upstreamVersionUnderTheToolsName }
    }

    func perform(in environment: CommandEnvironment) throws(CommandError) -> Int32 {
        let loaded = try CommandError.wrapping(CommandError.recipe) { () throws(RecipeError) in try RecipeLoader.load(path: recipe) }
        let runner = try CommandError.wrapping(CommandError.environment) { () throws(EnvironmentError) in
            try download.runner(in: environment)
        }
        let locker = Locker(
            recipe: loaded, index: PipIndex(pip: runner), cacheDirectory: download.cache(in: environment),
            generator: "purewheel \(PurewheelVersion.current)"
        )
        let outcome = try CommandError.wrapping(CommandError.release) { () throws(ReleaseError) in
            try locker.lock(versions: versions.isEmpty ? nil : versions)
        }
        // Merged into the lock as it is on disk by then, under a lock: a concurrent run's pins are kept.
        let wrote = try CommandError.wrapping(CommandError.release) { () throws(ReleaseError) in try locker.write(outcome) }
        var out = ""
        for version in outcome.versions {
            if version.added.isEmpty {
                let count = version.confirmed.count
                out += "\(version.version): unchanged (\(count) pinned file\(count == 1 ? " matches" : "s match"))\n"
            } else {
                out += "\(version.version): pinned \(version.added.count) new file\(version.added.count == 1 ? "" : "s")\n"
                out += version.added.map { "  \($0.filename)  sha256 \($0.sha256.hex)\n" }.joined()
            }
        }
        out += wrote ? "wrote \(loaded.lockPath)\n" : "\(loaded.lockPath) is up to date\n"
        environment.writeOut(out)
        return ExitCodes.success
    }
}
