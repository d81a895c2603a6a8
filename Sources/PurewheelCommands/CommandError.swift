import PurewheelBasics
import PurewheelPipeline
import RecipeFormat
import ZipIO

/// Every failure of a `TypedCommand`, one case per module error it can meet, each kept with its type. The
/// exit code follows from the wrapped error's category (`ExitCodes`), checked by the compiler end to end.
enum CommandError: PurewheelError, Equatable {
    /// The recipe does not load.
    case recipe(RecipeError)
    /// An environment variable has an unusable value.
    case environment(EnvironmentError)
    /// A planned (`--dry-run`) build failed.
    case pipeline(PipelineError)
    /// A build or its publication failed.
    case publish(PublishError)
    /// A wheel to compare cannot be read.
    case zip(ZipError)
    /// A `--ignore` glob does not parse.
    case invalidGlob(pattern: String, problem: Glob.Problem)

    private var wrapped: (any PurewheelError)? {
        switch self {
        case .recipe(let error): return error
        case .environment(let error): return error
        case .pipeline(let error): return error
        case .publish(let error): return error
        case .zip(let error): return error
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

/// A subcommand whose failures are one closed type, so that `Purewheel.run` renders them and picks their
/// exit code without casting.
protocol TypedCommand: EnvironmentCommand {
    /// Runs the command.
    ///
    /// - Returns: the exit code.
    /// - Throws: `CommandError`.
    func perform(in environment: CommandEnvironment) throws(CommandError) -> Int32
}

extension TypedCommand {
    func execute(in environment: CommandEnvironment) throws -> Int32 {
        try perform(in: environment)
    }
}
