import FoundationEssentials
import Glibc
import Publishing
import PurewheelBasics

/// While a build runs, an interruption (see `ProcessSignals`) also removes its staging folder, waiting for a
/// publication in progress to end, so the output folder is never left half-published.
final class InterruptionHandler {
    private let token: Int

    /// Registers the staging folder's removal.
    init(removing staging: StagingInterruption) {
        token = Interruption.shared.addCleanup { staging.abandon() }
    }

    /// Unregisters it: the build removes its staging folder itself.
    func stop() {
        Interruption.shared.removeCleanup(token)
    }
}

/// The real process's signal handling, for every command: SIGINT and SIGTERM stop the children and their process
/// groups, remove the scratch folders and registered leftovers, and end the process with 128 + the signal (130,
/// 143), as a shell reports a process the signal ended.
///
/// Installed only by the executable, never by tests that run commands in-process.
public enum ProcessSignals {
    /// The signals that interrupt a command.
    static let handled = [SIGINT, SIGTERM]

    /// Blocks SIGINT and SIGTERM in every thread and waits for them on a thread of its own, which may then do file
    /// I/O and wait for children, unlike a signal handler.
    ///
    /// Call it first, before any other thread exists, so that every thread inherits the blocked set. Blocked
    /// signals are delivered even when they were ignored when purewheel started (a shell's background job ignores
    /// SIGINT and SIGQUIT), so Ctrl-C works whoever started purewheel; SIGQUIT gets its default action back.
    public static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        for signalNumber in handled { sigaddset(&set, signalNumber) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        for signalNumber in handled + [SIGQUIT] { signal(signalNumber, SIG_DFL) }
        let waited = set
        startDetachedThread {
            var set = waited
            var received: Int32 = 0
            while sigwait(&set, &received) != 0 {}
            Interruption.shared.end(signal: received)
        }
    }
}

extension Purewheel {
    /// Runs as the real process: installs the signal handling, runs `arguments` and exits with the command's
    /// status, unless a signal is ending the process, whose status then wins.
    public static func runAsProcess(_ arguments: [String]) -> Never {
        // The version needs neither the signal thread nor the process environment, and pre-commit hooks and CI
        // scripts ask for it often, so it is answered before either exists.
        if let version = versionAnswer(to: arguments) {
            CommandEnvironment.writeAll(version, to: STDOUT_FILENO)
            exit(ExitCodes.success)
        }
        ProcessSignals.install()
        Interruption.shared.finish(run(arguments, in: .process()))
    }
}
