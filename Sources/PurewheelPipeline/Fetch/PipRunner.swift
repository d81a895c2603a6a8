import Foundation
import PurewheelBasics

/// Runs pip, the only way purewheel reaches an index, so that the user's pip configuration (index URL,
/// proxies, credentials, `PIP_*` variables) applies and no index host is written in purewheel.
public struct PipRunner: Sendable {
    /// The pip command, for example `["/usr/bin/pip3"]` or `["python3", "-m", "pip"]`; `nil` when none was found.
    public let command: [String]?
    /// Names searched for on PATH, for the error when `command` is `nil`.
    public let searched: [String]

    /// Creates a runner.
    public init(command: [String]?, searched: [String] = ["pip3", "pip"]) {
        self.command = command
        self.searched = searched
    }

    /// What one pip run printed.
    public struct Outcome: Sendable {
        /// The command line, for messages.
        public let commandLine: String
        /// pip's exit status.
        public let status: Int32
        /// stdout and stderr, interleaved.
        public let output: String

        /// The last lines of the output, for error messages.
        public var tail: String { output.split(separator: "\n").suffix(8).joined(separator: "\n") }

        /// Whether pip could not reach the index at all (as opposed to finding nothing that matches): pip
        /// then still ends with "No matching distribution", so its connection warnings decide.
        public var indexUnreachable: Bool {
            [
                "Could not fetch URL", "Max retries exceeded", "NewConnectionError", "Connection refused",
                "Temporary failure in name resolution",
            ]
            .contains { output.contains($0) }
        }

        /// Whether pip reported that nothing matches the request.
        public var nothingMatches: Bool {
            output.contains("No matching distribution found") || output.contains("Could not find a version that satisfies")
        }
    }

    /// Runs pip with `arguments`, waiting for it to finish.
    ///
    /// - Throws: `FetchError.pipNotFound` when there is no pip or it cannot be started.
    public func run(_ arguments: [String]) throws(FetchError) -> Outcome {
        guard let command, let executable = command.first else { throw .pipNotFound(searched: searched) }
        let all = Array(command.dropFirst()) + arguments
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = all
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + all
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .pipNotFound(searched: [executable])
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            commandLine: ([executable] + all).joined(separator: " "), status: process.terminationStatus,
            output: String(decoding: data, as: UTF8.self)
        )
    }
}
