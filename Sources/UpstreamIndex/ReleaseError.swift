import PurewheelBasics
import RecipeFormat
import WheelBuild

/// Failures of `lock` and `pending`: finding upstream releases, pinning them, and checking what is published.
public enum ReleaseError: PurewheelError, Equatable {
    /// The index serves other bytes under pinned file names: an alarm; the lock was left as it was.
    case pinConflict(lock: String, conflicts: [PinConflict])
    /// The index has no file of this version for any of the recipe's Python versions and platforms.
    case noUpstreamFiles(distribution: String, version: String)
    /// The recipe's `[source] versions` excludes this version.
    case versionNotBuilt(recipe: String, version: String, specifier: String)
    /// pip could not reach the index (or the publish index).
    case indexUnreachable(command: String, output: String)
    /// The index answered, but lists none of the versions the lock pins: a login page, a captive portal or a
    /// filter answered, not the index.
    case indexListsNoPinnedVersion(distribution: String, pinned: [String])
    /// The index lists no version of the distribution for any of the recipe's Python versions and platforms.
    case indexListsNothing(distribution: String)
    /// The index serves a file whose contents contradict its name (pip's line says how).
    case inconsistentUpstreamFile(command: String, line: String)
    /// The `--published` folder does not exist.
    case publishedFolderMissing(path: String)
    /// pip failed for another reason.
    case pipFailed(command: String, status: Int32, output: String)
    /// A new upstream file does not build with the recipe as it is; nothing was pinned.
    case doesNotBuild(file: String, error: PipelineError)
    /// A recipe problem (e.g. `[source] python_versions` missing).
    case recipe(RecipeError)
    /// pip could not be found or started, or the cache is unusable.
    case fetch(FetchError)
    /// Writing the lock or reading a folder failed.
    case fileSystem(FileSystemError)

    /// Where the failure is: the lock, the recipe's `source.versions`, or the wrapped error's location; `nil` when it is about the index.
    public var location: SourceLocation? {
        switch self {
        case .pinConflict(let lock, _): return .file(lock)
        case .noUpstreamFiles, .indexUnreachable, .pipFailed, .indexListsNoPinnedVersion, .indexListsNothing, .inconsistentUpstreamFile:
            return nil
        case .publishedFolderMissing(let path): return .file(path)
        case .versionNotBuilt(let recipe, _, _): return .recipe(recipe, keyPath: "source.versions", line: nil)
        case .doesNotBuild(_, let error): return error.location
        case .recipe(let error): return error.location
        case .fetch(let error): return error.location
        case .fileSystem(let error): return error.location
        }
    }

    /// Which kind of failure this is: `.pinConflict` for changed upstream bytes, otherwise the kind of the case or of the wrapped error.
    public var category: FailureCategory {
        switch self {
        case .pinConflict: return .pinConflict
        case .noUpstreamFiles: return .missingInput
        case .versionNotBuilt: return .recipe
        case .indexUnreachable, .pipFailed, .indexListsNoPinnedVersion, .indexListsNothing: return .io
        case .inconsistentUpstreamFile: return .badInput
        case .publishedFolderMissing: return .missingInput
        case .doesNotBuild(_, let error): return error.category
        case .recipe(let error): return error.category
        case .fetch(let error): return error.category
        case .fileSystem(let error): return error.category
        }
    }

    /// What happened: every conflicting file with both digests, the pip command and its output, or the wrapped error's message.
    public var message: String {
        switch self {
        case .pinConflict(_, let conflicts):
            let lines = conflicts.map { "  \($0.file): pinned sha256 \($0.pinned.hex), the index serves sha256 \($0.served.hex)" }
            return
                "\(conflicts.count == 1 ? "an upstream file has" : "\(conflicts.count) upstream files have") changed since \(conflicts.count == 1 ? "it was" : "they were") pinned; the lock was left as it was\n"
                + lines.joined(separator: "\n")
        case .noUpstreamFiles(let distribution, let version):
            return "the index has no wheel of \(distribution) \(version) for the recipe's Python versions and platforms"
        case .versionNotBuilt(_, let version, let specifier):
            return "version \(version) is outside the versions the recipe builds (\(specifier))"
        case .indexUnreachable(let command, let output):
            return "pip could not reach the index ('\(command)')" + (output.isEmpty ? "" : ":\n\(output)")
        case .indexListsNoPinnedVersion(let distribution, let pinned):
            let shown = pinned.count > 5 ? pinned.prefix(5).joined(separator: ", ") + ", …" : pinned.joined(separator: ", ")
            return "the index answered but lists none of the versions of \(distribution) the lock pins (\(shown)), "
                + "so it was not read"
        case .indexListsNothing(let distribution):
            return "the index lists no version of \(distribution) for the recipe's Python versions and platforms, "
                + "so purewheel cannot tell it from an index that was not read"
        case .inconsistentUpstreamFile(let command, let line):
            return "the index serves a file whose contents contradict its name ('\(command)'):\n\(line)"
        case .publishedFolderMissing:
            return "no such folder"
        case .pipFailed(let command, let status, let output):
            return "'\(command)' failed with status \(status)" + (output.isEmpty ? "" : ":\n\(output)")
        case .doesNotBuild(let file, let error):
            return "\(file) does not build with the recipe, so nothing was pinned: \(error.message)"
        case .recipe(let error): return error.message
        case .fetch(let error): return error.message
        case .fileSystem(let error): return error.message
        }
    }

    /// What to do, or the wrapped error's hint.
    public var hint: String? {
        switch self {
        case .pinConflict:
            return "upstream replaced a published file: find out why before trusting it; purewheel never overwrites a pin"
        case .noUpstreamFiles:
            return "check the version (pip index versions), or add the Python versions and platforms it ships to [source]"
        case .versionNotBuilt:
            return "widen [source] versions once the recipe has been made to build it"
        case .indexUnreachable, .pipFailed:
            return "pip's index settings (pip.conf, PIP_INDEX_URL, credentials) apply; check them and the network"
        case .indexListsNoPinnedVersion, .indexListsNothing:
            return "a login page, a captive portal or a proxy may have answered: open the index URL pip uses and check it"
        case .inconsistentUpstreamFile:
            return "do not trust this index or mirror for this file; compare with upstream's own index"
        case .publishedFolderMissing:
            return "pass the folder the release job publishes into (create it empty before the first release)"
        case .doesNotBuild(_, let error):
            return error.hint ?? "adapt the recipe (patches, overlays) to the new release, then lock again"
        case .recipe(let error): return error.hint
        case .fetch(let error): return error.hint
        case .fileSystem(let error): return error.hint
        }
    }
}
