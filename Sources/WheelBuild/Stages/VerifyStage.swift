import PurewheelBasics
import WheelChecks
import ZipIO

/// Runs the same checker as `purewheel check` on the written file: the checker opens it once, reads every entry to its end and cross-checks
/// it with the RECORD this build computed, so a clean report also proves the archive holds exactly the entries that were meant to be
/// written.
///
/// Only a clean file is renamed into place; otherwise it is deleted and the previous file at the destination (if any) stays.
public struct VerifyStage: Stage {
    /// Creates the stage.
    public init() {}

    /// Checks the written file and renames it into place, or deletes it if the checker reports an error.
    ///
    /// - Throws: `PipelineError` at `.verify`: `.build(.verificationFailed)` with the error findings, `.fileSystem` when the
    ///   rename fails.
    public func run(_ input: StagedWheel, in context: StageContext) throws(PipelineError) -> VerifiedWheel {
        let report = WheelChecker().check(path: input.file.temporaryPath)
        let errors = report.findings.filter { $0.severity == .error }
        guard errors.isEmpty else {
            // The unverified file must not survive.
            input.file.discard()
            throw PipelineError(stage: .verify, .build(.verificationFailed(wheel: input.file.destination, findings: errors)))
        }
        let warnings = report.findings.filter { $0.severity == .warning }
        do {
            try input.file.commit()
        } catch {
            throw PipelineError(stage: .verify, .fileSystem(error))
        }
        let published = WrittenWheel(wheel: input.wheel, path: input.file.destination, sha256: input.sha256, size: input.size)
        return VerifiedWheel(written: published, warnings: warnings)
    }
}
