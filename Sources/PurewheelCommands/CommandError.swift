import EnvironmentVerification
import Provenance
import Publishing
import PurewheelBasics
import RecipeFormat
import UpstreamIndex
import WheelBuild
import ZipIO

/// Every failure of a command (`EnvironmentCommand`), one case per module error it can meet, each kept with its type.
///
/// The exit code follows from the wrapped error's category (`ExitCodes`), checked by the compiler end to end.
enum CommandError: PurewheelError, Equatable {
    /// The recipe does not load.
    case recipe(RecipeError)
    /// An environment variable has an unusable value.
    case environment(EnvironmentError)
    /// A planned (`--dry-run`) build, or `verify-provenance`'s rebuild, failed.
    case pipeline(PipelineError)
    /// A build or its publication failed.
    case publish(PublishError)
    /// A wheel to compare cannot be read.
    case zip(ZipError)
    /// `lock` or `pending` failed (pip, the index, a pin conflict, a release that does not build).
    case release(ReleaseError)
    /// `verify-provenance` found a difference or a malformed statement.
    case provenance(ProvenanceError)
    /// A file could not be read or written.
    case fileSystem(FileSystemError)
    /// A broken invariant: a purewheel bug.
    case `internal`(InternalError)
    /// A `--ignore` glob does not parse.
    case invalidGlob(pattern: String, problem: Glob.Problem)
    /// `check`'s configuration (`--config` or `[tool.purewheel.check]`) is unusable.
    case checkConfiguration(CheckConfigurationError)
    /// `check`'s arguments name no wheel (an empty folder, a glob that matches nothing).
    case noWheels(CheckInputs.NoWheelsError)
    /// `verify-env` cannot verify a site-packages folder at all, or cannot learn an interpreter's.
    case environmentVerification(EnvironmentVerificationError)
    /// `merge-reports` met an input it cannot merge.
    case mergeReports(MergeReportsError)

    /// Runs `body`, wrapping its typed failure with `wrap`, so a command body reads as straight-line code.
    ///
    /// - Throws: `wrap(error)` for the error `body` throws.
    static func wrapping<T, Failure: Error>(
        _ wrap: (Failure) -> CommandError, _ body: () throws(Failure) -> T
    ) throws(CommandError) -> T {
        do { return try body() } catch { throw wrap(error) }
    }

    private var wrapped: (any PurewheelError)? {
        switch self {
        case .recipe(let error): return error
        case .environment(let error): return error
        case .pipeline(let error): return error
        case .publish(let error): return error
        case .zip(let error): return error
        case .release(let error): return error
        case .provenance(let error): return error
        case .fileSystem(let error): return error
        case .internal(let error): return error
        case .checkConfiguration(let error): return error
        case .noWheels(let error): return error
        case .environmentVerification(let error): return error
        case .mergeReports(let error): return error
        case .invalidGlob: return nil
        }
    }

    var location: SourceLocation? { wrapped?.location }
    var category: FailureCategory { wrapped?.category ?? .usage }
    var message: String { wrapped?.message ?? invalidGlobMessage }
    var hint: String? { wrapped?.hint }

    private var invalidGlobMessage: String {
        guard case .invalidGlob(let pattern, let problem) = self else { return "" }
        return "--ignore '\(pattern)' is not a valid glob: \(problem)"
    }
}
