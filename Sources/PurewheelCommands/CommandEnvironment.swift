import FoundationEssentials
import Glibc
import PurewheelBasics

/// What a command may use from the outside world: environment variables and the two output streams.
///
/// Relative paths stay relative to the process's working directory. Built once from the real process in the executable, or by tests to run
/// commands in-process and capture their output.
public struct CommandEnvironment: Sendable {
    /// Environment variables.
    public var variables: [String: String]
    /// Writes to standard output.
    public var writeOut: @Sendable (String) -> Void
    /// Writes to standard error.
    public var writeError: @Sendable (String) -> Void
    /// The working directory, absolute.
    ///
    /// Relative paths are still opened relative to the process's own; this is used only to record paths without the machine-specific prefix
    /// (provenance) and to resolve recorded relative paths again.
    public var workingDirectory: String
    /// Whether standard error is a terminal, so that progress may be drawn on it (never in tests).
    public var errorIsTerminal: Bool
    /// The file descriptor `check -` reads a wheel from: standard input, or a pipe or file in tests.
    public var inputDescriptor: Int32

    /// Creates an environment.
    public init(
        variables: [String: String], writeOut: @escaping @Sendable (String) -> Void,
        writeError: @escaping @Sendable (String) -> Void,
        workingDirectory: String = FileManager.default.currentDirectoryPath, errorIsTerminal: Bool = false,
        inputDescriptor: Int32 = STDIN_FILENO
    ) {
        self.variables = variables
        self.writeOut = writeOut
        self.writeError = writeError
        self.workingDirectory = workingDirectory
        self.errorIsTerminal = errorIsTerminal
        self.inputDescriptor = inputDescriptor
    }

    /// The real process: its environment, stdout and stderr.
    public static func process() -> CommandEnvironment {
        CommandEnvironment(
            variables: ProcessInfo.processInfo.environment,
            writeOut: { writeAll($0, to: STDOUT_FILENO) },
            writeError: { writeAll($0, to: STDERR_FILENO) },
            errorIsTerminal: isatty(STDERR_FILENO) == 1
        )
    }

    /// Writes all of `text` to `descriptor`; a stream that fails stops taking output (a closed pipe has already
    /// ended the process through SIGPIPE).
    static func writeAll(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { buffer in Result { () throws(Errno) in try FileIO.write(buffer, to: descriptor) } }
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

    /// A recorded path resolved against the working directory (unchanged when absolute).
    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/") + path
    }
}
