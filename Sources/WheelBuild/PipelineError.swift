import PurewheelBasics
import RecipeFormat
import UnifiedDiff
import WheelChecks
import WheelModel
import ZipIO

/// Any failure inside the pipeline, tagged with the stage it happened in.
///
/// The cause is a closed enum that keeps each module's own typed error, so every failure keeps its type, location and category, and the
/// compiler checks that each one maps to an exit code.
public struct PipelineError: PurewheelError, Equatable {
    /// What went wrong: one case per module error type the stages can meet.
    public enum Cause: Error, Equatable {
        /// Reading or writing a zip archive.
        case zip(ZipError)
        /// Parsing or applying a patch.
        case patch(PatchError)
        /// A recipe or lock problem found while building (unknown version, ...).
        case recipe(RecipeError)
        /// Getting the upstream wheel or matching it to its pin.
        case fetch(FetchError)
        /// A malformed file name, METADATA, WHEEL or RECORD.
        case wheelFormat(WheelFormatError)
        /// Reading recipe-side files, writing the output.
        case fileSystem(FileSystemError)
        /// A rule of the build itself.
        case build(BuildError)
    }

    /// The stage that failed.
    public let stage: StageName
    /// What went wrong there.
    public let cause: Cause

    /// Wraps `cause` as a failure of `stage`.
    public init(stage: StageName, _ cause: Cause) {
        self.stage = stage
        self.cause = cause
    }

    /// The wrapped error, for rendering; computed from the closed `cause`, never stored as an existential.
    private var wrapped: any PurewheelError {
        switch cause {
        case .zip(let error): return error
        case .patch(let error): return error
        case .recipe(let error): return error
        case .fetch(let error): return error
        case .wheelFormat(let error): return error
        case .fileSystem(let error): return error
        case .build(let error): return error
        }
    }

    /// The wrapped error's location.
    public var location: SourceLocation? { wrapped.location }
    /// The wrapped error's category.
    public var category: FailureCategory { wrapped.category }
    /// The wrapped error's message.
    public var message: String { wrapped.message }
    /// The wrapped error's hint.
    public var hint: String? { wrapped.hint }
}
