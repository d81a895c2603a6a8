import ArgumentParser
import PurewheelBasics

/// A command that runs against a `CommandEnvironment` and returns its exit code; its failures are one closed
/// type, so that `Purewheel.run` renders them and picks their exit code without casting.
protocol EnvironmentCommand: ParsableCommand {
    /// Runs the command.
    ///
    /// - Returns: the exit code.
    /// - Throws: `CommandError`, rendered and mapped to its exit code by `Purewheel.run`.
    func perform(in environment: CommandEnvironment) throws(CommandError) -> Int32
}

/// The root command: `purewheel build | check | compare | lock | pending | verify-provenance`.
public struct Purewheel: EnvironmentCommand {
    /// The command name, one-line abstract, version (`--version`) and subcommands for the argument parser.
    public static let configuration = CommandConfiguration(
        commandName: "purewheel",
        abstract: "Turn platform-specific Python wheels into verified pure py3-none-any wheels, and check any wheel.",
        version: versionLine,
        subcommands: [
            BuildCommand.self, CheckCommand.self, CompareCommand.self, LockCommand.self, LockDiffCommand.self, MergeReportsCommand.self,
            PendingCommand.self,
            VerifyEnvCommand.self, VerifyProvenanceCommand.self,
        ]
    )

    /// Creates the root command; the argument parser calls it.
    public init() {}

    /// Bare `purewheel` names no subcommand: a usage error (64) with the usage on stderr.
    func perform(in environment: CommandEnvironment) throws(CommandError) -> Int32 {
        Self.reportParseOutcome(ValidationError("a subcommand is required"), in: environment)
    }

    /// What `purewheel --version` prints (ArgumentParser's `configuration.version`).
    static let versionLine = "purewheel \(PurewheelVersion.current)"

    /// The process answers `purewheel --version` alone before anything else starts (`runAsProcess`): the same
    /// text as the parser's, and `nil` for any other command line.
    static func versionAnswer(to arguments: [String]) -> String? {
        arguments == ["--version"] ? versionLine + "\n" : nil
    }

    /// Parses `arguments`, runs the chosen subcommand in `environment`, renders any error, and returns the process exit code.
    ///
    /// The executable and the tests both come through here.
    public static func run(_ arguments: [String], in environment: CommandEnvironment) -> Int32 {
        // ArgumentParser's `help` shows the root help for a name it does not know; that is a usage error.
        if arguments.first == "help", let unknown = unknownHelpTopic(Array(arguments.dropFirst())) {
            return reportParseOutcome(ValidationError("unknown subcommand '\(unknown)'"), in: environment)
        }
        let command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            return reportParseOutcome(error, in: environment)
        }
        guard let runnable = command as? EnvironmentCommand else {
            // ArgumentParser's own commands (`help`) report their output by throwing CleanExit.
            do {
                var builtIn = command
                try builtIn.run()
                return ExitCodes.success
            } catch {
                return reportParseOutcome(error, in: environment)
            }
        }
        do {
            return try runnable.perform(in: environment)
        } catch {
            environment.writeError(DiagnosticRenderer.render(error))
            return ExitCodes.code(for: error.category)
        }
    }

    /// Help and version requests go to stdout with status 0; every other parse failure is a usage error.
    private static func reportParseOutcome(_ error: any Error, in environment: CommandEnvironment) -> Int32 {
        let code = exitCode(for: error).rawValue
        let text = fullMessage(for: error)
        if code == 0 {
            environment.writeOut(text + "\n")
            return ExitCodes.success
        }
        environment.writeError(text + "\n")
        // ArgumentParser already uses 64 (EX_USAGE) for validation errors; keep every parse failure there.
        return code == 1 ? ExitCodes.code(for: .usage) : code
    }

    /// The first name after `help` that is not a subcommand (subcommands have none of their own), or `nil`.
    private static func unknownHelpTopic(_ names: [String]) -> String? {
        let topics = names.filter { !$0.hasPrefix("-") }
        guard let first = topics.first else { return nil }
        guard configuration.subcommands.contains(where: { $0._commandName == first }) else { return first }
        return topics.dropFirst().first
    }
}
