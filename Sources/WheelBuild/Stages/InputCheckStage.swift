import PurewheelBasics
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

    /// Throws the input check's error when `report` has error findings that are not tolerated.
    private func refuseIfFailed(_ upstream: UpstreamWheel, _ report: CheckReport) throws(PipelineError) {
        let errors = report.findings.filter { $0.severity == .error && !Self.tolerated.contains($0.code) }
        guard errors.isEmpty else {
            throw PipelineError(stage: .inputCheck, .build(.inputFailedCheck(wheel: upstream.path, findings: errors)))
        }
    }
}
