import PurewheelBasics
import WheelChecks
import ZipIO

/// A written wheel the checker found clean, not yet renamed into place.
public struct CheckedWheel: Sendable {
    /// The wheel at its temporary path.
    public let staged: StagedWheel
    /// Warnings the checker reported (errors would have failed the build).
    public let warnings: [Finding]
}

/// Runs the same checker as `purewheel check` on the written file: the checker opens it once, reads every entry to its end and cross-checks
/// it with the RECORD this build computed, so a clean report also proves the archive holds exactly the entries that were meant to be
/// written.
///
/// Only a clean file is renamed into place, and only once the input's own check has passed (`Pipeline.run`); otherwise it is deleted and
/// the previous file at the destination (if any) stays.
public struct VerifyStage: Stage {
    /// Creates the stage.
    public init() {}

    /// Checks the written file, or deletes it if the checker reports an error.
    ///
    /// - Throws: `PipelineError` at `.verify`: `.build(.verificationFailed)` with the error findings.
    public func run(_ input: StagedWheel, in context: StageContext) throws(PipelineError) -> CheckedWheel {
        let report = WheelChecker().check(path: input.file.temporaryPath)
        let errors = report.findings.filter { $0.severity == .error }
        guard errors.isEmpty else {
            // The unverified file must not survive.
            input.file.discard()
            throw PipelineError(stage: .verify, .build(.verificationFailed(wheel: input.file.destination, findings: errors)))
        }
        return CheckedWheel(staged: input, warnings: report.findings.filter { $0.severity == .warning })
    }

    /// Renames a checked wheel into place.
    ///
    /// - Throws: `PipelineError` at `.verify` with `.fileSystem` when the rename fails.
    public func commit(_ checked: CheckedWheel) throws(PipelineError) -> VerifiedWheel {
        let staged = checked.staged
        do {
            try staged.file.commit()
        } catch {
            throw PipelineError(stage: .verify, .fileSystem(error))
        }
        let published = WrittenWheel(wheel: staged.wheel, path: staged.file.destination, sha256: staged.sha256, size: staged.size)
        return VerifiedWheel(written: published, warnings: checked.warnings)
    }
}
