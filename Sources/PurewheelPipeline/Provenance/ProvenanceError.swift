import PurewheelBasics

/// Failures reading a provenance statement or verifying a wheel against one.
public enum ProvenanceError: PurewheelError, Equatable {
    /// What is wrong with a statement that is not the JSON purewheel writes.
    public enum Problem: Sendable, Hashable {
        /// The file is not JSON.
        case notJSON
        /// A required key is absent.
        case missingKey
        /// A value has the wrong JSON type.
        case wrongType
        /// A value has the right type but cannot be accepted.
        case invalidValue(String)
    }

    /// No statement at `path`.
    case statementNotFound(path: String)
    /// The statement does not decode; `keyPath` is where (`predicate.buildDefinition.resolvedDependencies[2].digest`).
    case malformedStatement(path: String, keyPath: String, problem: Problem)
    /// The wheel's file name is not the statement's subject.
    case subjectNameMismatch(wheel: String, recorded: String)
    /// The wheel's bytes are not the ones the statement describes.
    case subjectDigestMismatch(wheel: String, recorded: SHA256Digest, actual: SHA256Digest)
    /// A recorded input file no longer exists.
    case inputMissing(file: String)
    /// A recorded input file changed since the build.
    case inputChanged(file: String, recorded: SHA256Digest, actual: SHA256Digest)
    /// The upstream wheel was not pinned when the wheel was built, so it cannot be fetched and checked again.
    case upstreamUnpinned(file: String)
    /// The rebuilt wheel differs from the wheel being verified.
    case rebuildMismatch(wheel: String, expected: SHA256Digest, rebuilt: SHA256Digest, builtBy: String, verifiedBy: String)

    /// Where the failure is: the statement, the wheel being verified, or the recorded input file.
    public var location: SourceLocation? {
        switch self {
        case .statementNotFound(let path), .malformedStatement(let path, _, _): return .file(path)
        case .subjectNameMismatch(let wheel, _), .subjectDigestMismatch(let wheel, _, _), .rebuildMismatch(let wheel, _, _, _, _):
            return .file(wheel)
        case .inputMissing(let file), .inputChanged(let file, _, _), .upstreamUnpinned(let file): return .file(file)
        }
    }

    /// `.missingInput` for a missing statement or input, `.badInput` for a malformed statement or an unpinned upstream,
    /// `.provenanceMismatch` for bytes that differ from the statement.
    public var category: FailureCategory {
        switch self {
        case .statementNotFound, .inputMissing: return .missingInput
        case .malformedStatement, .upstreamUnpinned: return .badInput
        case .subjectNameMismatch, .subjectDigestMismatch, .inputChanged, .rebuildMismatch: return .provenanceMismatch
        }
    }

    /// What is wrong, with the recorded and actual digests where they differ.
    public var message: String {
        switch self {
        case .statementNotFound:
            return "provenance statement not found"
        case .malformedStatement(_, let keyPath, let problem):
            let place = keyPath.isEmpty ? "" : " at \(keyPath)"
            switch problem {
            case .notJSON: return "not a provenance statement: the file is not JSON"
            case .missingKey: return "malformed provenance statement: required key\(place) is missing"
            case .wrongType: return "malformed provenance statement: wrong type\(place)"
            case .invalidValue(let reason): return "malformed provenance statement\(place): \(reason)"
            }
        case .subjectNameMismatch(_, let recorded):
            return "the statement describes \(recorded), not this file"
        case .subjectDigestMismatch(_, let recorded, let actual):
            return "wheel does not match its provenance (recorded sha256 \(recorded.hex), file sha256 \(actual.hex))"
        case .inputMissing:
            return "input recorded in the provenance statement no longer exists"
        case .inputChanged(_, let recorded, let actual):
            return "input changed since the build (recorded sha256 \(recorded.hex), now \(actual.hex))"
        case .upstreamUnpinned:
            return "the wheel was built from an unpinned upstream file (--allow-unpinned), which cannot be fetched again"
        case .rebuildMismatch(_, let expected, let rebuilt, _, _):
            return "rebuild differs from the wheel (wheel sha256 \(expected.hex), rebuilt sha256 \(rebuilt.hex))"
        }
    }

    /// What to do: how to rebuild or where to look; `nil` when nothing useful can be said.
    public var hint: String? {
        switch self {
        case .statementNotFound:
            return "a build writes <wheel>.intoto.json beside the wheel; pass --provenance FILE if it is elsewhere"
        case .subjectDigestMismatch, .subjectNameMismatch:
            return "the wheel was changed or replaced after the build: do not trust it"
        case .inputChanged, .inputMissing:
            return "verify with the recipe files of the build (check out the commit that built the wheel)"
        case .rebuildMismatch(_, _, _, let builtBy, let verifiedBy) where builtBy != verifiedBy:
            return "the wheel was built by purewheel \(builtBy) and rebuilt by purewheel \(verifiedBy); verify with \(builtBy)"
        case .rebuildMismatch:
            return "run 'purewheel compare' on the wheel and a fresh build to see which files differ"
        default:
            return nil
        }
    }
}
