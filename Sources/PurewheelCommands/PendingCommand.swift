import ArgumentParser
import FoundationEssentials
import PurewheelBasics
import RecipeFormat
import UpstreamIndex

/// `purewheel pending`: which upstream versions have no published output yet.
struct PendingCommand: EnvironmentCommand {
    static let configuration = CommandConfiguration(
        commandName: "pending",
        abstract: "List upstream versions whose output is not published yet.",
        discussion: """
            Upstream versions come from the index through pip (your pip configuration applies); published ones \
            from --published: a package index URL (asked through pip with that index URL only: find-links and \
            extra index URLs are cleared) or a folder of wheels (only files that open as wheels count). An index \
            that was not read is exit 74, never "nothing pending". Each pending version says whether the lock pins it. Versions the recipe cannot build are \
            listed apart with the reason. JSON output is for a CI job matrix:
            {"unbuildable": [{"reason": ..., "version": ...}], "versions": [{"output": "1.22.0", "pinned": false, \
            "version": "1.22.0"}]}; "published" names an older revision already published ("1.17.1" for output "1.17.1.post1").
            """
    )

    /// How the report is printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The recipe (TOML).")
    var recipe: String

    @Option(help: ArgumentHelp("Where outputs are published: a package index URL or a folder of wheels.", valueName: "index-url-or-folder"))
    var published: String

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @OptionGroup var download: DownloadOptions

    func perform(in environment: CommandEnvironment) throws(CommandError) -> Int32 {
        let loaded = try CommandError.wrapping(CommandError.recipe) { () throws(RecipeError) in try RecipeLoader.load(path: recipe) }
        let runner = try CommandError.wrapping(CommandError.environment) { () throws(EnvironmentError) in
            try download.runner(in: environment)
        }
        let index = PipIndex(pip: runner)
        let locker = Locker(
            recipe: loaded, index: index, cacheDirectory: download.cache(in: environment),
            generator: "purewheel \(PurewheelVersion.current)")
        let published = self.published
        let (upstream, publishedVersions) = try CommandError.wrapping(CommandError.release) {
            () throws(ReleaseError) -> ([String], [String]) in
            if published.contains("://") {
                let upstream = try locker.upstreamVersions()
                // Only the publish index may answer: a wheel in the user's find-links is not published.
                let outputs = try index.onlyNamedIndex().versions(
                    of: loaded.output.distribution, pythonVersion: nil, platforms: [], indexURL: published)
                return (upstream, outputs)
            }
            // The folder first: a mistyped folder fails before any query of the index.
            let outputs = try PendingReport.publishedVersions(
                inFolder: published, distribution: loaded.output.distribution, tag: loaded.output.tag)
            return (try locker.upstreamVersions(), outputs)
        }
        let report = PendingReport(recipe: loaded, upstream: upstream, published: publishedVersions)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data: Data
            do {
                data = try encoder.encode(JSONReport(versions: report.versions, unbuildable: report.unbuildable))
            } catch {
                // Strings and booleans always encode; failing here is a bug.
                throw .internal(InternalError("cannot encode the pending report"))
            }
            environment.writeOut(String(decoding: data, as: UTF8.self) + "\n")
        case .text:
            var out = report.versions.isEmpty ? "nothing pending\n" : ""
            out += report.versions.map { pending in
                let action = pending.pinned ? "pinned: build, check and publish" : "not pinned: lock it, review the pins"
                let output = pending.output == pending.version ? "" : " as \(pending.output)"
                let published = pending.published.map { " (\($0) is published, an older revision)" } ?? ""
                return "\(pending.version)  \(action)\(output)\(published)\n"
            }.joined()
            out += report.unbuildable.map { "\($0.version)  not built: \($0.reason)\n" }.joined()
            environment.writeOut(out)
        }
        return ExitCodes.success
    }

    private struct JSONReport: Encodable {
        let versions: [PendingReport.Pending]
        let unbuildable: [PendingReport.Unbuildable]
    }
}
