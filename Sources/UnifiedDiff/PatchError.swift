import PurewheelBasics

/// A patch file that cannot be parsed, or a hunk that does not apply.
public enum PatchError: PurewheelError, Equatable {
    /// The patch text is not a unified diff; `line` is 1-based in the patch file.
    case malformed(patch: String, line: Int, reason: String)
    /// A hunk's context or removed lines do not match the target at the line its header names (or within
    /// the allowed offset). `line` is the 1-based target line the header names.
    case hunkDoesNotApply(patch: String, target: String, hunk: Int, line: Int, reason: String)
    /// The patch names an entry that is not in the wheel.
    case targetMissing(patch: String, target: String)
    /// The patch creates an entry that already exists.
    case targetExists(patch: String, target: String)
    /// The target entry is not UTF-8 text.
    case targetNotText(patch: String, target: String)
    /// A file header names an unsafe path (absolute, `..`, backslash, ...); `hunk` is the first hunk of that
    /// file diff and `line` the 1-based header line in the patch.
    case unsafeTarget(patch: String, hunk: Int, line: Int, target: String, problem: EntryPath.Problem)

    /// Where the failure is: the patch file, or the hunk and line of it.
    public var location: SourceLocation? {
        switch self {
        case .malformed(let patch, let line, _): return .patchHunk(patch, hunk: 0, line: line)
        case .hunkDoesNotApply(let patch, _, let hunk, let line, _): return .patchHunk(patch, hunk: hunk, line: line)
        case .targetMissing(let patch, _), .targetExists(let patch, _), .targetNotText(let patch, _): return .file(patch)
        case .unsafeTarget(let patch, let hunk, let line, _, _): return .patchHunk(patch, hunk: hunk, line: line)
        }
    }

    /// Always `.recipe`: a patch is part of the recipe.
    public var category: FailureCategory { .recipe }

    /// What went wrong, naming the hunk, target entry and line where one applies.
    public var message: String {
        switch self {
        case .malformed(_, let line, let reason):
            return "line \(line) of the patch: \(reason)"
        case .hunkDoesNotApply(let patch, let target, let hunk, let line, let reason):
            let name = patch.split(separator: "/").last.map(String.init) ?? patch
            return "hunk \(hunk) of \(name) does not apply to \(target) at line \(line): \(reason)"
        case .targetMissing(_, let target):
            return "the patched entry \(target) is not in the wheel"
        case .targetExists(_, let target):
            return "the patch creates \(target), which already exists"
        case .targetNotText(_, let target):
            return "the patched entry \(target) is not UTF-8 text"
        case .unsafeTarget(let patch, let hunk, let line, let target, let problem):
            let name = patch.split(separator: "/").last.map(String.init) ?? patch
            return "hunk \(hunk) of \(name) targets \(target) (patch line \(line)), an unsafe path: \(problem.rawValue)"
        }
    }

    /// What to do about a hunk that does not apply, a missing target or an unsafe path; `nil` otherwise.
    public var hint: String? {
        switch self {
        case .hunkDoesNotApply:
            return "regenerate the patch against this upstream version, or limit it to the versions it fits with an [[overlay]]"
        case .targetMissing: return "check the entry path (relative to the wheel root) or whether an earlier strip removed it"
        case .unsafeTarget: return "patch paths are relative to the wheel root and stay inside it"
        default: return nil
        }
    }
}
