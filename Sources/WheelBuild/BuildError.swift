import PurewheelBasics
import WheelChecks
import WheelModel
import ZipIO

/// Failures the pipeline itself detects (as opposed to ones from zip, recipe or patch parsing).
public enum BuildError: PurewheelError, Equatable {
    /// A strip or normalize glob matched no entry: the upstream layout changed.
    case globMatchedNothing(recipe: String, keyPath: String, pattern: String)
    /// An inject destination is already in the wheel.
    case injectTargetExists(recipe: String, keyPath: String, path: String)
    /// An inject destination is a file the build writes itself (RECORD, its signatures, METADATA, WHEEL).
    case injectTargetReserved(recipe: String, keyPath: String, path: String)
    /// A normalized entry is not UTF-8 text.
    case notText(archive: String, entry: String)
    /// The wheel has no or several `.dist-info` folders.
    case distInfoCount(archive: String, found: [String])
    /// A required `.dist-info` file is missing.
    case missingDistInfoFile(archive: String, entry: String)
    /// An upstream entry is not listed in the upstream RECORD, or RECORD disagrees with its size or hash.
    case upstreamRecordMismatch(archive: String, entry: String, problem: RecordMismatch)
    /// The wheel's METADATA or file name (`source`) does not name the recipe's source distribution.
    case unexpectedDistribution(archive: String, expected: ProjectName, actual: ProjectName, source: String)
    /// An entry name is unsafe.
    case unsafeEntry(archive: String, entry: String, problem: EntryPath.Problem)
    /// An entry is a symbolic link or another special file, not a regular file.
    case notRegularFile(archive: String, entry: String)
    /// A remaining Python file still imports a module that was stripped.
    case importOfStrippedModule(archive: String, entry: String, line: Int, module: String)
    /// `.data/platlib` content cannot go into a pure wheel.
    case platlibData(archive: String, entry: String)
    /// A METADATA requirement edit names a project upstream does not require.
    case requirementNotFound(recipe: String, keyPath: String, project: String)
    /// A `relax` entry names an upper bound that no requirement on its project has.
    case boundNotFound(recipe: String, keyPath: String, project: String, bound: String)
    /// An input wheel has error-severity findings of `purewheel check`; nothing of it was read.
    case inputFailedCheck(wheel: String, findings: [Finding])
    /// The written wheel failed verification; it has been deleted.
    case verificationFailed(wheel: String, findings: [Finding])
    /// The output version would not be valid.
    case invalidOutputVersion(String)
    /// A `license_files` name is neither under `.dist-info/licenses/` nor directly in `.dist-info/` of the upstream wheel.
    case licenseFileMissing(recipe: String, keyPath: String, file: String)
    /// A strip glob matches upstream's NOTICE file, which Apache-2.0 §4(d) requires to travel with the work.
    case noticeStripped(recipe: String, keyPath: String, path: String)
    /// The upstream wheel already holds the file the build writes its own SBOM to.
    case sbomPathTaken(archive: String, entry: String)

    /// Where the failure is: the recipe key, the archive entry, or the wheel; `nil` for an invalid output version.
    public var location: SourceLocation? {
        switch self {
        case .globMatchedNothing(let recipe, let keyPath, _), .injectTargetExists(let recipe, let keyPath, _),
            .injectTargetReserved(let recipe, let keyPath, _),
            .requirementNotFound(let recipe, let keyPath, _), .licenseFileMissing(let recipe, let keyPath, _),
            .boundNotFound(let recipe, let keyPath, _, _),
            .noticeStripped(let recipe, let keyPath, _):
            return .recipe(recipe, keyPath: keyPath, line: nil)
        case .notText(let archive, let entry), .missingDistInfoFile(let archive, let entry),
            .upstreamRecordMismatch(let archive, let entry, _), .unsafeEntry(let archive, let entry, _),
            .notRegularFile(let archive, let entry),
            .importOfStrippedModule(let archive, let entry, _, _), .platlibData(let archive, let entry),
            .sbomPathTaken(let archive, let entry):
            return .archiveEntry(archive: archive, entry: entry)
        case .distInfoCount(let archive, _), .unexpectedDistribution(let archive, _, _, _):
            return .file(archive)
        case .verificationFailed(let wheel, _), .inputFailedCheck(let wheel, _):
            return .file(wheel)
        case .invalidOutputVersion:
            return nil
        }
    }

    /// `.recipe` for what the recipe must fix, `.findings` for a failed verification, `.badInput` for a bad upstream wheel.
    public var category: FailureCategory {
        switch self {
        case .globMatchedNothing, .injectTargetExists, .injectTargetReserved, .requirementNotFound, .boundNotFound, .importOfStrippedModule,
            .platlibData, .licenseFileMissing, .noticeStripped:
            return .recipe
        case .verificationFailed:
            return .findings
        case .invalidOutputVersion:
            return .recipe
        default:
            return .badInput
        }
    }

    /// What went wrong, with the pattern, path, module or findings involved.
    public var message: String {
        switch self {
        case .globMatchedNothing(_, _, let pattern):
            return "glob '\(pattern)' matches no entry of the upstream wheel"
        case .injectTargetExists(_, _, let path):
            return "inject destination \(path) already exists in the wheel"
        case .injectTargetReserved(_, _, let path):
            return "inject destination \(path) is written by the build itself"
        case .notText:
            return "entry is not UTF-8 text, so its line endings cannot be normalized"
        case .distInfoCount(_, let found):
            return found.isEmpty ? "no .dist-info folder" : "several .dist-info folders: \(found.joined(separator: ", "))"
        case .missingDistInfoFile:
            return "required file is missing"
        case .upstreamRecordMismatch(_, _, let problem):
            return "upstream RECORD disagrees with the archive: \(problem)"
        case .unexpectedDistribution(_, let expected, let actual, let source):
            return "expected a wheel of \(expected), but its \(source) names \(actual)"
        case .unsafeEntry(_, _, let problem):
            return "unsafe entry name: \(problem.rawValue)"
        case .notRegularFile:
            return "unsafe entry: not a regular file"
        case .importOfStrippedModule(_, _, let line, let module):
            return "line \(line) imports \(module), which the recipe strips"
        case .platlibData:
            return ".data/platlib content cannot go into a pure wheel"
        case .requirementNotFound(_, _, let project):
            return "upstream has no requirement on '\(project)'"
        case .boundNotFound(_, _, let project, let bound):
            return "no requirement on '\(project)' has the upper bound '\(bound)'"
        case .inputFailedCheck(_, let findings):
            let codes = findings.map(\.code.rawValue).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let lines = findings.map(\.line)
            return "the input wheel fails the wheel check (\(codes.joined(separator: ", "))), so nothing of it was read:\n"
                + lines.joined(separator: "\n")
        case .verificationFailed(_, let findings):
            let lines = findings.map(\.line)
            return "the written wheel failed verification and was deleted:\n" + lines.joined(separator: "\n")
        case .invalidOutputVersion(let version):
            return "output version '\(version)' is not a valid PEP 440 version"
        case .licenseFileMissing(_, _, let file):
            return "licence file '\(file)' is in neither .dist-info/licenses/ nor .dist-info/ of the upstream wheel"
        case .noticeStripped(_, _, let path):
            return "the glob strips \(path), upstream's NOTICE file, which must travel with the work"
        case .sbomPathTaken:
            return "the upstream wheel already has the file purewheel writes its SBOM to"
        }
    }

    /// What to do about a glob that matches nothing, an import of a stripped module or an input that fails `check`; `nil` otherwise.
    public var hint: String? {
        switch self {
        case .globMatchedNothing:
            return "the upstream layout changed: update the glob, or move it to an [[overlay]] for the versions it fits"
        case .importOfStrippedModule:
            return "patch the importing file, or inject a replacement module"
        case .inputFailedCheck(let wheel, _):
            return "run 'purewheel check \(wheel)' for the full report; a wheel that fails it is never built"
        case .noticeStripped:
            return "narrow the glob so that it keeps the NOTICE file (Apache-2.0 section 4(d))"
        case .boundNotFound:
            return "upstream changed this bound: check the new one, and relax it only where a test proves the wider range"
        case .licenseFileMissing:
            return "name the file as it is called in the upstream wheel's .dist-info (or its licenses/ folder)"
        default:
            return nil
        }
    }
}
