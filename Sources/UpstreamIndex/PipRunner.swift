import FoundationEssentials
import PurewheelBasics
import WheelBuild

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

        /// What pip said went wrong, for error messages: its `ERROR:` lines and the line of a failed index
        /// request (at most 8 of them), else its last 8 lines; not the debug lines around them.
        public var explanation: String {
            let lines = output.split(separator: "\n")
            let telling = lines.filter { $0.hasPrefix("ERROR:") || Self.isUnreachableLine($0) || $0.contains(" has inconsistent ") }
            return (telling.isEmpty ? lines.suffix(8) : telling.suffix(8)).joined(separator: "\n")
        }

        /// Whether pip could not read an index, as opposed to reading it and finding nothing that matches.
        ///
        /// pip ends with "No matching distribution" in both cases; only its debug line "Could not fetch URL <url>:
        /// <reason> - skipping" tells them apart (hence `PipRunner.verbosity`). Any such line but a 404 (no such
        /// project) means a page was not read: a refused connection, a timeout, TLS, a proxy, a rate limit, a
        /// login. A plain-http host pip ignores as untrusted is not read either. The phrases after them catch
        /// pip versions that word a failure without that line; callers still confirm reachability positively
        /// (the index lists what the lock pins), since no list of words is complete.
        public var indexUnreachable: Bool { output.split(separator: "\n").contains(where: Self.isUnreachableLine) }

        /// pip's line saying it discarded a file whose contents contradict its name ("… has inconsistent
        /// version: expected '1.0', but metadata has '1.1'"), if any.
        public var inconsistentFile: String? {
            output.split(separator: "\n").first { $0.contains("Discarding ") && $0.contains(" has inconsistent ") }.map {
                String($0.trimmingWhitespace())
            }
        }

        private static func isUnreachableLine(_ line: Substring) -> Bool {
            if let range = line.firstRange(of: "Could not fetch URL ") {
                // "Could not fetch URL <url>: <reason> - skipping"; the URL itself holds no ": ".
                let rest = line[range.upperBound...]
                guard let colon = rest.firstRange(of: ": ") else { return true }
                return !rest[colon.upperBound...].hasPrefix("404 ")
            }
            return [
                "is not a trusted or secure host", "connection error", "Max retries exceeded", "NewConnectionError",
                "Connection refused", "Temporary failure in name resolution", "Name or service not known", "ProxyError",
                "SSLError", "problem confirming the ssl certificate", "Read timed out", "didn't respond within",
                "Server Error", "401 Client Error", "403 Client Error", "407 Client Error", "410 Client Error",
                "429 Client Error",
            ]
            .contains { line.contains($0) }
        }

        /// Whether pip reported that nothing matches the request.
        public var nothingMatches: Bool {
            output.contains("No matching distribution found") || output.contains("Could not find a version that satisfies")
        }
    }

    /// Appended to every pip command: pip logs why it could not fetch an index page ("Could not fetch URL
    /// …: connection error") only at debug level, so without it an unreachable index with retries off reads
    /// as "nothing matches" (measured with pip 23.2: no line at all at the default level or `-v`).
    public static let verbosity = "-vv"

    /// Runs pip with `arguments`, waiting for it to finish.
    ///
    /// pip runs through `ChildProcess`, so a signal to purewheel stops it and anything it started, and with
    /// `PIP_NO_INPUT` set: it leads its own process group, where reading a terminal would stop it for good.
    ///
    /// - Throws: `FetchError.pipNotFound` when there is no pip or it cannot be started.
    public func run(_ arguments: [String]) throws(FetchError) -> Outcome {
        guard let command, let executable = command.first else { throw .pipNotFound(searched: searched) }
        let all = Array(command.dropFirst()) + arguments + [Self.verbosity]
        let finished: ChildProcess.Finished
        do {
            finished = try ChildProcess.run(executable, arguments: all, overrides: ["PIP_NO_INPUT": "1"])
        } catch {
            throw .pipNotFound(searched: [executable])
        }
        return Outcome(
            commandLine: ([executable] + all).joined(separator: " "), status: finished.status,
            output: String(decoding: finished.output, as: UTF8.self)
        )
    }
}
