import Dispatch
import PurewheelBasics
import Synchronization
import WheelChecks
import ZipIO

/// Runs the same checker as `purewheel check` on every input, pinned or not, and refuses one with error findings: a wheel whose structure
/// is unsound (PW1xx), whose names disagree with its METADATA and `.dist-info` (PW509, PW603, PW608), or whose declared sizes and
/// compression ratios exceed the checker's `ResourceLimits` (PW3xx).
///
/// The checker applies those limits to the declared sizes before it inflates anything, so a zip bomb is refused without being read.
///
/// The checker reads the very bytes `FetchStage` read and hashed, in memory, and the build then reads those
/// same bytes: a file changed on disk meanwhile can neither pass the check in their place nor reach the build.
public struct InputCheckStage: Stage {
    /// Error findings that do not refuse an input, because the build replaces what they are about.
    ///
    /// PW512 (a WHEEL field repeated): delocate adds a second `Generator` line to every macOS wheel it
    /// repairs (google-crc32c 1.9.0 on PyPI), and the build writes a new WHEEL of its own anyway.
    public static let tolerated: Set<FindingCode> = [.wheelFieldRepeated]

    /// The checker's options: every rule, default limits.
    public let options: CheckOptions

    /// Creates the stage.
    public init(options: CheckOptions = CheckOptions()) { self.options = options }

    /// Checks the input wheel and returns it unchanged when it has no error findings.
    ///
    /// - Throws: `PipelineError` at `.inputCheck` with `.build(.inputFailedCheck)` listing the error findings.
    public func run(_ upstream: UpstreamWheel, in context: StageContext) throws(PipelineError) -> UpstreamWheel {
        try refuseIfFailed(upstream, WheelChecker(options: options).check(.memory(upstream.bytes, label: upstream.path)))
        return upstream
    }

    /// Checks the input wheel while `build` reads it, and returns what `build` made only if the check passes.
    ///
    /// Nothing is read before the checker has vetted the zip structure and every declared size against the limits (a few milliseconds);
    /// `build` then runs here while the checker inflates and hashes every entry on its own threads. The build's result is
    /// returned only once the check has passed; if the check fails, its error is thrown whether or not `build` failed too, since a
    /// failure of the build may only be a consequence of the bad input. An input that fails the structure or the limits is not read at
    /// all; one that passes them late (warnings only) is built after its check, as before.
    ///
    /// - Parameter undo: removes what `build` made (a written file) when the check refuses the input after `build` has succeeded.
    /// - Throws: the input check's `PipelineError` if the check fails, otherwise the one `build` throws.
    public func run<Built: Sendable>(
        _ upstream: UpstreamWheel, in context: StageContext, alongside build: (UpstreamWheel) throws(PipelineError) -> Built,
        undoingOnRefusal undo: (Built) -> Void
    ) throws(PipelineError) -> Built {
        let gate = VettingGate()
        let (early, report) = concurrently { () -> Result<Built, PipelineError>? in
            guard gate.waitForVetting() else { return nil }
            do throws(PipelineError) { return .success(try build(upstream)) } catch { return .failure(error) }
        } _: { [options] in
            let report = WheelChecker(options: options).check(.memory(upstream.bytes, label: upstream.path), whenVetted: gate.vet)
            gate.close()
            return report
        }
        do {
            try refuseIfFailed(upstream, report)
        } catch {
            if case .success(let built) = early { undo(built) }
            throw error
        }
        guard let early else { return try build(upstream) }
        return try early.get()
    }

    /// Throws the input check's error when `report` has error findings that are not tolerated.
    private func refuseIfFailed(_ upstream: UpstreamWheel, _ report: CheckReport) throws(PipelineError) {
        let errors = report.findings.filter { $0.severity == .error && !Self.tolerated.contains($0.code) }
        guard errors.isEmpty else {
            throw PipelineError(stage: .inputCheck, .build(.inputFailedCheck(wheel: upstream.path, findings: errors)))
        }
    }
}

/// Where the build waits for the checker to vet the input: it opens once, either vetted (the build may read) or closed because the
/// check ended first.
private final class VettingGate: Sendable {
    private let state = Mutex<Bool?>(nil)
    private let opened = DispatchSemaphore(value: 0)

    /// The checker vetted the input.
    func vet() { settle(true) }

    /// The check ended; if it had not vetted the input, the build must not read it yet.
    func close() { settle(false) }

    /// Waits until the gate opens; `true` when the input was vetted.
    func waitForVetting() -> Bool {
        opened.wait()
        return state.withLock { $0 } ?? false
    }

    private func settle(_ vetted: Bool) {
        let first = state.withLock { state in
            guard state == nil else { return false }
            state = vetted
            return true
        }
        if first { opened.signal() }
    }
}
