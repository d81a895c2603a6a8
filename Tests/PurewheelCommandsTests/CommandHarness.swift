import Foundation
import PurewheelCommands
import Synchronization

/// Runs a purewheel command in-process and captures its exit code, stdout and stderr.
struct CommandRun {
    let status: Int32
    let stdout: String
    let stderr: String

    static func run(
        _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) -> CommandRun {
        let out = Mutex("")
        let err = Mutex("")
        let status = Purewheel.run(
            arguments,
            in: CommandEnvironment(
                variables: environment,
                writeOut: { text in out.withLock { $0 += text } },
                writeError: { text in err.withLock { $0 += text } },
                workingDirectory: workingDirectory
            ))
        return CommandRun(status: status, stdout: out.withLock { $0 }, stderr: err.withLock { $0 })
    }
}
