import PurewheelBasics
import WheelChecks
import ZipIO

/// Re-reads the written file from disk and runs the same checker as `purewheel check` on it, plus a
/// comparison of its listing with what was meant to be written. Only a clean file is renamed into place;
/// otherwise it is deleted and the previous file at the destination (if any) stays.
public struct VerifyStage: Stage {
    /// Creates the stage.
    public init() {}

    public func run(_ input: StagedWheel, in context: StageContext) throws(PipelineError) -> VerifiedWheel {
        do {
            return try verify(input)
        } catch {
            // Whatever went wrong, the unverified file must not survive.
            input.file.discard()
            throw error
        }
    }

    private func verify(_ input: StagedWheel) throws(PipelineError) -> VerifiedWheel {
        try inStage(.verify) {
            let path = input.file.temporaryPath
            let report = WheelChecker().check(path: path)
            var problems = report.findings.filter { $0.severity == .error }.map {
                "\($0.code) \($0.entry.map { "\($0): " } ?? "")\($0.message)"
            }
            let written = try ZipReader.withArchive(at: path) { reader in reader.entries.map(\.name) }
            let expected = input.wheel.entries.map(\.path.rawValue)
            if written != expected {
                problems.append("the archive lists \(written.count) entries, \(expected.count) were written")
            }
            guard problems.isEmpty else {
                throw BuildError.verificationFailed(wheel: input.file.destination, findings: problems)
            }
            let (digest, size) = try FileIO.digest(path)
            try input.file.commit()
            let warnings = report.findings.filter { $0.severity == .warning }.map { "\($0.code) \($0.entry ?? ""): \($0.message)" }
            let published = WrittenWheel(wheel: input.wheel, path: input.file.destination, sha256: digest, size: size)
            return VerifiedWheel(written: published, warnings: warnings)
        }
    }
}
