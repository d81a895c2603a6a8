import ArgumentParser
import PurewheelBasics
import PurewheelPipeline

/// A subcommand that runs against a `CommandEnvironment` and returns its exit code.
protocol EnvironmentCommand: ParsableCommand {
    /// Runs the command.
    ///
    /// - Returns: the exit code.
    /// - Throws: a `PurewheelError` to be rendered and mapped to its exit code.
    func execute(in environment: CommandEnvironment) throws -> Int32
}

/// The root command: `purewheel build | check | compare`.
public struct Purewheel: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "purewheel",
        abstract: "Turn platform-specific Python wheels into verified pure py3-none-any wheels, and check any wheel.",
        version: PurewheelVersion.current,
        subcommands: [BuildCommand.self, CheckCommand.self, CompareCommand.self]
    )

    public init() {}

    /// Parses `arguments`, runs the chosen subcommand in `environment`, renders any error, and returns the
    /// process exit code. The executable and the tests both come through here.
    public static func run(_ arguments: [String], in environment: CommandEnvironment) -> Int32 {
        let command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error).rawValue
            let text = fullMessage(for: error)
            if code == 0 {
                environment.writeOut(text + "\n")
                return 0
            }
            environment.writeError(text + "\n")
            // ArgumentParser uses 64 (EX_USAGE) for validation errors already; keep every parse failure there.
            return code == 1 ? ExitCodes.code(for: .usage) : code
        }
        guard let runnable = command as? EnvironmentCommand else {
            environment.writeOut(helpMessage(for: type(of: command)) + "\n")
            return 0
        }
        do {
            return try runnable.execute(in: environment)
        } catch let error as any PurewheelError {
            environment.writeError(DiagnosticRenderer.render(error))
            return ExitCodes.code(for: error.category)
        } catch {
            let wrapped = InternalError("unexpected \(type(of: error))")
            environment.writeError(DiagnosticRenderer.render(wrapped))
            return ExitCodes.code(for: .internal)
        }
    }
}
