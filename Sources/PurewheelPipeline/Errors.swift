import PurewheelBasics
import WheelModel

/// The pipeline stages, in order, for error context and the summary.
public enum StageName: String, Sendable, Hashable, CaseIterable {
    case fetch, open, strip
    case normalizeNewlines = "normalize-newlines"
    case patch, inject
    case importCheck = "import-check"
    case retag, record, write, verify
}

/// Failures the pipeline itself detects (as opposed to ones from zip, recipe or patch parsing).
public enum BuildError: PurewheelError, Equatable {
    /// A strip or normalize glob matched no entry: the upstream layout changed.
    case globMatchedNothing(recipe: String, keyPath: String, pattern: String)
    /// An inject destination is already in the wheel.
    case injectTargetExists(recipe: String, keyPath: String, path: String)
    /// A normalized entry is not UTF-8 text.
    case notText(archive: String, entry: String)
    /// The wheel has no or several `.dist-info` folders.
    case distInfoCount(archive: String, found: [String])
    /// A required `.dist-info` file is missing.
    case missingDistInfoFile(archive: String, entry: String)
    /// An upstream entry is not listed in the upstream RECORD, or RECORD disagrees with its size or hash.
    case upstreamRecordMismatch(archive: String, entry: String, detail: String)
    /// The wheel's METADATA or file name does not name the recipe's source distribution and version.
    case unexpectedDistribution(archive: String, expected: String, actual: String)
    /// An entry name is unsafe.
    case unsafeEntry(archive: String, entry: String, problem: String)
    /// A remaining Python file still imports a module that was stripped.
    case importOfStrippedModule(archive: String, entry: String, line: Int, module: String)
    /// `.data/platlib` content cannot go into a pure wheel.
    case platlibData(archive: String, entry: String)
    /// A METADATA requirement edit names a project upstream does not require.
    case requirementNotFound(recipe: String, keyPath: String, project: String)
    /// The written wheel failed verification; it has been deleted.
    case verificationFailed(wheel: String, findings: [String])
    /// Two inputs would produce different bytes under the same output file name.
    case conflictingOutputs(output: String, first: String, second: String)
    /// The output version would not be valid.
    case invalidOutputVersion(String)

    public var location: SourceLocation? {
        switch self {
        case .globMatchedNothing(let recipe, let keyPath, _), .injectTargetExists(let recipe, let keyPath, _),
            .requirementNotFound(let recipe, let keyPath, _):
            return .recipe(recipe, keyPath: keyPath, line: nil)
        case .notText(let archive, let entry), .missingDistInfoFile(let archive, let entry),
            .upstreamRecordMismatch(let archive, let entry, _), .unsafeEntry(let archive, let entry, _),
            .importOfStrippedModule(let archive, let entry, _, _), .platlibData(let archive, let entry):
            return .archiveEntry(archive: archive, entry: entry)
        case .distInfoCount(let archive, _), .unexpectedDistribution(let archive, _, _):
            return .file(archive)
        case .verificationFailed(let wheel, _):
            return .file(wheel)
        case .conflictingOutputs(let output, _, _):
            return .file(output)
        case .invalidOutputVersion:
            return nil
        }
    }

    public var category: FailureCategory {
        switch self {
        case .globMatchedNothing, .injectTargetExists, .requirementNotFound, .importOfStrippedModule, .platlibData:
            return .recipe
        case .verificationFailed:
            return .findings
        case .invalidOutputVersion:
            return .recipe
        default:
            return .badInput
        }
    }

    public var message: String {
        switch self {
        case .globMatchedNothing(_, _, let pattern):
            return "glob '\(pattern)' matches no entry of the upstream wheel"
        case .injectTargetExists(_, _, let path):
            return "inject destination \(path) already exists in the wheel"
        case .notText:
            return "entry is not UTF-8 text, so its line endings cannot be normalized"
        case .distInfoCount(_, let found):
            return found.isEmpty ? "no .dist-info folder" : "several .dist-info folders: \(found.joined(separator: ", "))"
        case .missingDistInfoFile:
            return "required file is missing"
        case .upstreamRecordMismatch(_, _, let detail):
            return "upstream RECORD disagrees with the archive: \(detail)"
        case .unexpectedDistribution(_, let expected, let actual):
            return "expected a wheel of \(expected), found \(actual)"
        case .unsafeEntry(_, _, let problem):
            return "unsafe entry name: \(problem)"
        case .importOfStrippedModule(_, _, let line, let module):
            return "line \(line) imports \(module), which the recipe strips"
        case .platlibData:
            return ".data/platlib content cannot go into a pure wheel"
        case .requirementNotFound(_, _, let project):
            return "upstream has no requirement on '\(project)'"
        case .verificationFailed(_, let findings):
            return "the written wheel failed verification and was deleted:\n  " + findings.joined(separator: "\n  ")
        case .conflictingOutputs(_, let first, let second):
            return "\(first) and \(second) produce different bytes under the same output name"
        case .invalidOutputVersion(let version):
            return "output version '\(version)' is not a valid PEP 440 version"
        }
    }

    public var hint: String? {
        switch self {
        case .globMatchedNothing:
            return "the upstream layout changed: update the glob, or move it to an [[overlay]] for the versions it fits"
        case .importOfStrippedModule:
            return "patch the importing file, or inject a replacement module"
        case .conflictingOutputs:
            return "build them separately, or run 'purewheel compare' to see which files differ"
        default:
            return nil
        }
    }
}

/// Any failure inside the pipeline, tagged with the stage it happened in. The underlying error keeps its own
/// type, location and category.
public struct PipelineError: PurewheelError {
    /// The stage that failed.
    public let stage: StageName
    /// What went wrong there.
    public let error: any PurewheelError

    /// Wraps `error` as a failure of `stage`.
    public init(stage: StageName, _ error: any PurewheelError) {
        self.stage = stage
        self.error = error
    }

    public var location: SourceLocation? { error.location }
    public var category: FailureCategory { error.category }
    public var message: String { error.message }
    public var hint: String? { error.hint }
    public var underlying: (any Error)? { error }
}

extension PipelineError: Equatable {
    public static func == (lhs: PipelineError, rhs: PipelineError) -> Bool {
        lhs.stage == rhs.stage && lhs.location == rhs.location && lhs.category == rhs.category && lhs.message == rhs.message
    }
}
