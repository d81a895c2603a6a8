import Dispatch
import PurewheelPipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// While a build runs, SIGINT and SIGTERM remove its staging folder (waiting for a publication in progress to end, so the output folder is
/// never left half-published) and end the process with 128 + the signal (130, 143), as a shell reports a process killed by it.
///
/// The handlers run on a dispatch queue, not in signal context, so they may do file I/O.
final class InterruptionHandler {
    private let sources: [any DispatchSourceSignal]
    private let previous: [(Int32, sighandler_t?)]

    /// Installs the handlers.
    init(removing staging: StagingInterruption) {
        var sources = [any DispatchSourceSignal]()
        var previous = [(Int32, sighandler_t?)]()
        for signalNumber in [SIGINT, SIGTERM] {
            // The default action must be off, or the kernel ends the process before the handler runs.
            previous.append((signalNumber, signal(signalNumber, SIG_IGN)))
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                staging.abandon()
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
        self.previous = previous
    }

    /// Removes the handlers and restores the previous signal actions.
    func stop() {
        for source in sources { source.cancel() }
        for (signalNumber, action) in previous { signal(signalNumber, action) }
    }
}
