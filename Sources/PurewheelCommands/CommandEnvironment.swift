import Foundation

/// What a command may use from the outside world: environment variables and the two output streams.
/// Relative paths stay relative to the process's working directory. Built once from the real process in the executable, or by tests to run commands
/// in-process and capture their output.
public struct CommandEnvironment: Sendable {
    /// Environment variables.
    public var variables: [String: String]
    /// Writes to standard output.
    public var writeOut: @Sendable (String) -> Void
    /// Writes to standard error.
    public var writeError: @Sendable (String) -> Void

    /// Creates an environment.
    public init(
        variables: [String: String], writeOut: @escaping @Sendable (String) -> Void,
        writeError: @escaping @Sendable (String) -> Void
    ) {
        self.variables = variables
        self.writeOut = writeOut
        self.writeError = writeError
    }

    /// The real process: its environment, stdout and stderr.
    public static func process() -> CommandEnvironment {
        CommandEnvironment(
            variables: ProcessInfo.processInfo.environment,
            writeOut: { FileHandle.standardOutput.write(Data($0.utf8)) },
            writeError: { FileHandle.standardError.write(Data($0.utf8)) }
        )
    }

    /// The first executable named one of `names` on PATH.
    public func findExecutable(_ names: [String]) -> String? {
        let folders = (variables["PATH"] ?? "").split(separator: ":").map(String.init)
        for name in names {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        return nil
    }
}
