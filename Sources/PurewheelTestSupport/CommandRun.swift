import Foundation
import PurewheelCommands
import Synchronization

/// One purewheel command run in-process: its exit status and everything it wrote to stdout and stderr.
///
/// The tests run every command this way; only signal tests start the built executable, because a signal would end
/// the test process itself.
public struct CommandRun: Sendable {
    /// The exit status the command returned.
    public let status: Int32
    /// Everything written to standard output, in order.
    public let stdout: String
    /// Everything written to standard error, in order.
    public let stderr: String

    /// Runs `purewheel arguments` in-process and captures its exit status, stdout and stderr.
    ///
    /// - Parameters:
    ///   - arguments: the command line after `purewheel`.
    ///   - environment: the variables the command sees (the test process's own unless given).
    ///   - workingDirectory: the folder relative paths resolve against.
    ///   - input: a descriptor to read as standard input (`check -`), else the process's own.
    ///   - observingOutput: called with each piece of stdout as it is written, before it is kept, so a test can act
    ///     at the moment a part of the output appears.
    /// - Returns: the status and the captured output.
    public static func run(
        _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath, input: Int32 = STDIN_FILENO,
        observingOutput: (@Sendable (String) -> Void)? = nil
    ) -> CommandRun {
        let out = Mutex("")
        let err = Mutex("")
        let status = Purewheel.run(
            arguments,
            in: CommandEnvironment(
                variables: environment,
                writeOut: { text in
                    observingOutput?(text)
                    out.withLock { $0 += text }
                },
                writeError: { text in err.withLock { $0 += text } },
                workingDirectory: workingDirectory,
                inputDescriptor: input
            ))
        return CommandRun(status: status, stdout: out.withLock { $0 }, stderr: err.withLock { $0 })
    }
}
