import Dispatch
import EnvironmentVerification
import FoundationEssentials
import Synchronization

/// A one-line progress note on standard error for a `verify-env` that takes more than a second: files and
/// megabytes looked at, of how many.
///
/// Redrawn at most ten times a second and erased at the end, so only the report stays. Shown only where it gets in
/// no one's way (`CheckProgress.isWanted`): standard error is a terminal, the report is text, no `NO_COLOR`, no
/// `TERM=dumb`.
final class VerifyEnvProgress: Sendable {
    private struct State {
        var lastDrawn: UInt64?
    }

    private let write: (@Sendable (String) -> Void)?
    private let now: @Sendable () -> UInt64
    private let started: UInt64
    private let state = Mutex(State())

    /// Nothing is drawn before this much time has passed since the start, in nanoseconds.
    static let delay: UInt64 = 1_000_000_000
    /// Nor more often than this.
    static let interval: UInt64 = 100_000_000

    /// Creates a reporter that draws on `environment`'s standard error when progress is wanted there.
    ///
    /// - Parameters:
    ///   - now: a monotonic clock in nanoseconds; tests pass their own.
    init(
        environment: CommandEnvironment, isTextFormat: Bool,
        now: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
    ) {
        let wanted = CheckProgress.isWanted(
            errorIsTerminal: environment.errorIsTerminal, isTextFormat: isTextFormat, variables: environment.variables)
        write = wanted ? environment.writeError : nil
        self.now = now
        started = now()
    }

    /// Redraws the line for folder `site` (0-based) of `count`, once the run has lasted `delay` and at most every
    /// `interval`.
    func show(_ progress: VerificationProgress, site: Int, of count: Int) {
        guard let write else { return }
        let time = now()
        guard time &- started >= Self.delay else { return }
        state.withLock { state in
            if let last = state.lastDrawn, time &- last < Self.interval, progress.filesDone < progress.files { return }
            state.lastDrawn = time
            write("\r\u{1B}[K" + Self.line(progress, site: site, of: count))
        }
    }

    /// Erases the line, if one was drawn.
    func finish() {
        guard let write else { return }
        state.withLock { state in
            if state.lastDrawn != nil { write("\r\u{1B}[K") }
            state.lastDrawn = nil
        }
    }

    /// `verifying [1/2]: 12040/42991 files, 340.1/685.0 MB`; the position only with several folders.
    static func line(_ progress: VerificationProgress, site: Int, of count: Int) -> String {
        let position = count > 1 ? " [\(site + 1)/\(count)]" : ""
        return "verifying\(position): \(progress.filesDone)/\(progress.files) files, "
            + "\(MegabyteText.text(progress.bytesDone))/\(MegabyteText.text(progress.bytes)) MB"
    }
}
