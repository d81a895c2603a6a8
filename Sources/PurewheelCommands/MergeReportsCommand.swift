import ArgumentParser
import PurewheelBasics
import WheelChecks

/// `purewheel merge-reports`: combines the outputs of `check --shard K/N --format jsonl` (or `--format json`) into the
/// report one unsharded `check` of the same folder writes, byte for byte.
///
/// Exit status: 0 when no wheel has an error-severity finding, 1 otherwise, as `check`; 65 for an input it cannot
/// merge (named with its line); 66 or 74 for a file that cannot be read.
struct MergeReportsCommand: EnvironmentCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-reports",
        abstract: "Merge the outputs of sharded `check` runs into one report.",
        discussion: """
            Reads what `check --shard K/N --format jsonl` (or `--format json`) wrote and writes the report an unsharded \
            `check` of the folder gives: wheels sorted by path, as a folder lists them. Refuses (exit 65, naming file and \
            line) malformed or unfinished input, a wheel in two inputs, inputs from runs with another schema version, \
            configuration or settings, and a set of shards with one missing or repeated.
            Exit status: 0 when no error-severity finding, 1 otherwise; 65 for inputs that cannot be merged.
            """
    )

    /// The merged report's format.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, github, sarif
    }

    @Argument(help: "Outputs of `check --format jsonl` or `--format json`.")
    var files: [String]

    @Option(help: "Output format: text, json (docs/check-json.md), github (workflow annotations) or sarif (SARIF 2.1.0).")
    var format: Format = .json

    func validate() throws {
        if files.isEmpty { throw ValidationError("name the outputs to merge") }
        if Set(files).count != files.count { throw ValidationError("an input is named twice") }
    }

    func perform(in environment: CommandEnvironment) throws(CommandError) -> Int32 {
        var inputs = [ShardReportMerger.Input]()
        for file in files {
            let bytes = try CommandError.wrapping(CommandError.fileSystem) { () throws(FileSystemError) in try FileIO.read(file) }
            inputs.append(
                try CommandError.wrapping(CommandError.mergeReports) { () throws(MergeReportsError) in
                    try ShardReportMerger.read(file: file, bytes: bytes)
                })
        }
        let merged = try CommandError.wrapping(CommandError.mergeReports) { () throws(MergeReportsError) in
            try ShardReportMerger.merge(inputs)
        }
        // Nothing is written before every input has been read and agreed with the others.
        let checkFormat = CheckCommand.Format(rawValue: format.rawValue) ?? .json
        var stream = CheckReportStream(format: checkFormat, configuration: merged.configuration, write: environment.writeOut)
        for report in merged.reports { stream.add(report) }
        stream.finish()
        return stream.hasErrors ? ExitCodes.code(for: .findings) : ExitCodes.success
    }
}
