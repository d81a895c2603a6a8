import PurewheelBasics
import WheelBuild
import ZipIO

/// Failures of a multi-input build and its publication, and of comparing two wheels.
///
/// Each lower-level error keeps its type.
public enum PublishError: PurewheelError, Equatable {
    /// An input failed to build.
    case pipeline(PipelineError)
    /// Creating, linking, renaming or removing a file failed; a compared path is missing or not a regular file.
    case fileSystem(FileSystemError)
    /// A compared wheel or one of its entries cannot be read.
    case zip(ZipError)
    /// A broken invariant (a purewheel bug), e.g. a provenance statement that does not encode.
    case `internal`(InternalError)
    /// Something other than a regular file (a folder, a link, a FIFO) has an output's name; nothing was
    /// published.
    case destinationOccupied(path: String, kind: FileKind)
    /// Two inputs would produce different files under the same output file name.
    case conflictingOutputs(output: String, first: String, second: String)
    /// A publication journal left by an interrupted build cannot be read; `line` is 1-based.
    case journalUnreadable(path: String, line: Int)

    /// Where the failure is: the wrapped error's location, or the output or journal file.
    public var location: SourceLocation? {
        switch self {
        case .pipeline(let error): return error.location
        case .fileSystem(let error): return error.location
        case .zip(let error): return error.location
        case .internal(let error): return error.location
        case .destinationOccupied(let path, _), .conflictingOutputs(let path, _, _), .journalUnreadable(let path, _): return .file(path)
        }
    }

    /// Which kind of failure this is: the wrapped error's, `.io` for an occupied destination or unreadable journal, `.badInput` for
    /// conflicting outputs.
    public var category: FailureCategory {
        switch self {
        case .pipeline(let error): return error.category
        case .fileSystem(let error): return error.category
        case .zip(let error): return error.category
        case .internal(let error): return error.category
        case .destinationOccupied, .journalUnreadable: return .io
        case .conflictingOutputs: return .badInput
        }
    }

    /// What happened, or the wrapped error's message.
    public var message: String {
        switch self {
        case .pipeline(let error): return error.message
        case .fileSystem(let error): return error.message
        case .zip(let error): return error.message
        case .internal(let error): return error.message
        case .destinationOccupied(_, let kind):
            return
                "an output name is taken by \(kind == .directory ? "a folder" : "something that is not a regular file"); nothing was published"
        case .conflictingOutputs(_, let first, let second):
            return "\(first) and \(second) produce different files under the same output name"
        case .journalUnreadable(_, let line):
            return "line \(line) of the publication journal of an interrupted build cannot be read"
        }
    }

    /// What to do, or the wrapped error's hint.
    public var hint: String? {
        switch self {
        case .pipeline(let error): return error.hint
        case .fileSystem(let error): return error.hint
        case .zip(let error): return error.hint
        case .internal(let error): return error.hint
        case .destinationOccupied: return "move it away, or choose another --out folder"
        case .conflictingOutputs: return "build them separately, or run 'purewheel compare' to see which files differ"
        case .journalUnreadable: return "compare the output folder with the staging folder named here, then remove that folder"
        }
    }
}
