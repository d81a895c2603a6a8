import PurewheelBasics

/// Failures reading a provenance statement or verifying a wheel against one.
public enum ProvenanceError: PurewheelError, Equatable {
    /// What is wrong with a statement that is not the JSON purewheel writes.
    public enum Problem: Sendable, Hashable {
        /// The file is not JSON (RFC 8259): what was expected and found, at a 1-based line and byte column.
        case notJSON(reason: String, line: Int, column: Int)
        /// The object at the key path names `key` twice; JSON readers disagree on which value counts (RFC 8259, section 4).
        case duplicateKey(String)
        /// A required key is absent.
        case missingKey
        /// A key purewheel does not write: it would be certified without being checked.
        case unknownKey
        /// A value has another JSON type than expected (`a string`, `a number`, `an object`).
        case wrongType(expected: String, found: String)
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
    /// The statement records something at `keyPath` that the rebuild from the same inputs does not: a forged or
    /// edited field. `recorded` and `rebuilt` are the two values as JSON.
    case recordMismatch(statement: String, keyPath: String, recorded: String, rebuilt: String)
    /// The rebuilt wheel differs from the wheel being verified.
    case rebuildMismatch(wheel: String, expected: SHA256Digest, rebuilt: SHA256Digest, builtBy: String, verifiedBy: String)

    /// Where the failure is: the statement, the wheel being verified, or the recorded input file.
    public var location: SourceLocation? {
        switch self {
        case .statementNotFound(let path), .malformedStatement(let path, _, _), .recordMismatch(let path, _, _, _): return .file(path)
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
        case .subjectNameMismatch, .subjectDigestMismatch, .inputChanged, .recordMismatch, .rebuildMismatch: return .provenanceMismatch
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
            case .notJSON(let reason, let line, let column):
                return "not a provenance statement: the file is not JSON (line \(line), column \(column): \(reason))"
            case .duplicateKey(let key):
                return "malformed provenance statement\(place): key \"\(key)\" appears twice, and JSON readers disagree on which one counts"
            case .missingKey: return "malformed provenance statement: required key\(place) is missing"
            case .unknownKey: return "malformed provenance statement: unknown key\(place) (purewheel writes no such key)"
            case .wrongType(let expected, let found): return "malformed provenance statement\(place): expected \(expected), found \(found)"
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
        case .recordMismatch(_, let keyPath, let recorded, let rebuilt):
            return "the statement records \(recorded) at \(keyPath), but a build from the same inputs records \(rebuilt)"
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
        case .recordMismatch:
            return "the statement was changed after the build: do not trust it"
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
