import ArgumentParser
import PurewheelBasics
import RecipeFormat
import UpstreamIndex
import WheelModel

/// `purewheel lock-diff --base OLD --head NEW --only-versions V...`: confirms that a lock change only adds pins of
/// the named versions, before anything with write access trusts the new lock.
struct LockDiffCommand: EnvironmentCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock-diff",
        abstract: "Confirm that a lock change only adds pins of the given upstream versions.",
        discussion: """
            Reads both locks (validated as purewheel reads a recipe's lock) and compares them: every pin of BASE \
            must be in HEAD unchanged, under the same version spelling and distribution, and every pin HEAD adds \
            must belong to one of the --only-versions, each of which must gain at least one pin. Prints the added \
            pins, or every other change. Exit status: 0 when the change only adds such pins, 1 when it does \
            anything else, 64 for an invalid version argument, 66 for a missing lock, 74 for an unreadable one, \
            65 for a FIFO or device, 78 for a malformed lock (not UTF-8, TOML or schema errors).
            """
    )

    @Option(name: .customLong("base"), help: ArgumentHelp("The lock before the change.", valueName: "lock"))
    var base: String

    @Option(name: .customLong("head"), help: ArgumentHelp("The lock after the change.", valueName: "lock"))
    var head: String

    @Option(
        name: .customLong("only-versions"), parsing: .upToNextOption,
        help: ArgumentHelp("The upstream versions whose pins the change may add (one or more).", valueName: "version"))
    var versions: [String]

    func validate() throws {
        guard !versions.isEmpty else { throw ValidationError("--only-versions needs at least one version") }
        for version in versions where !PEP440.isValid(version) {
            throw ValidationError("'\(TerminalText.escape(version))' is not a PEP 440 version")
        }
    }

    func perform(in environment: CommandEnvironment) throws(CommandError) -> Int32 {
        let change = LockChange(base: try read(base), head: try read(head), versions: versions)
        guard change.onlyAddsNamedPins else {
            var out = change.differences.map { "  \(TerminalText.escape($0.summary))\n" }.joined()
            out += "\(change.differences.count) change\(change.differences.count == 1 ? "" : "s") other than added pins\n"
            environment.writeOut(out)
            environment.writeError(
                "error: \(TerminalText.escape(head)): the change does more than add pins of \(names)\n"
                    + "  hint: a lock change from the release workflow must only add pins; find out what else changed it\n")
            return ExitCodes.code(for: .findings)
        }
        var out = change.added.map { "  \(TerminalText.escape($0.pin.filename.description))  sha256 \($0.pin.sha256.hex)\n" }.joined()
        out +=
            "\(TerminalText.escape(head)) only adds pins of \(names) (\(change.added.count) file\(change.added.count == 1 ? "" : "s"))\n"
        environment.writeOut(out)
        return ExitCodes.success
    }

    private var names: String { versions.map { TerminalText.escape($0) }.joined(separator: ", ") }

    private func read(_ path: String) throws(CommandError) -> Lockfile {
        let bytes = try CommandError.wrapping(CommandError.fileSystem) { () throws(FileSystemError) in try FileIO.read(path) }
        return try CommandError.wrapping(CommandError.recipe) { () throws(RecipeError) in try Lockfile.parse(bytes: bytes, path: path) }
    }
}
