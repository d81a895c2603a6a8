import PurewheelBasics

/// Failures getting an upstream wheel, or matching it to its pin.
public enum FetchError: PurewheelError, Equatable {
    /// No pip executable could be found.
    case pipNotFound(searched: [String])
    /// pip ran and failed; `output` is the tail of what it printed.
    case pipFailed(command: String, status: Int32, output: String)
    /// The index serves a file whose contents contradict its name; `line` is pip's line saying how.
    case inconsistentFile(command: String, line: String)
    /// pip succeeded but the expected file is not in the download folder.
    case downloadMissing(expected: String, folder: String)
    /// A local wheel file does not exist.
    case fileNotFound(path: String)
    /// The file's name is not pinned in the recipe for the requested version.
    case unpinned(file: String, recipe: String, version: String?)
    /// The file's bytes do not hash to the pin.
    case digestMismatch(file: String, expected: SHA256Digest, actual: SHA256Digest)
    /// No pinned wheel of the canonical platform for this version.
    case noCanonicalWheel(recipe: String, version: String, platform: String)
    /// Creating the cache folder failed.
    case cacheUnusable(path: String, reason: String)

    /// Where the failure is: the download folder, the local file, the recipe's `wheels` key or the cache; `nil` for pip itself.
    public var location: SourceLocation? {
        switch self {
        case .pipNotFound, .pipFailed, .inconsistentFile: return nil
        case .downloadMissing(_, let folder): return .file(folder)
        case .fileNotFound(let path): return .file(path)
        case .unpinned(let file, _, _), .digestMismatch(let file, _, _): return .file(file)
        case .noCanonicalWheel(let recipe, let version, _): return .recipe(recipe, keyPath: "versions.\"\(version)\".wheels", line: nil)
        case .cacheUnusable(let path, _): return .file(path)
        }
    }

    /// `.missingInput` for no pip or no file, `.io` for pip, download and cache failures, `.badInput` for unpinned or mismatched bytes,
    /// `.recipe` for a missing canonical wheel.
    public var category: FailureCategory {
        switch self {
        case .pipNotFound, .fileNotFound: return .missingInput
        case .pipFailed, .downloadMissing, .cacheUnusable: return .io
        case .unpinned, .digestMismatch, .inconsistentFile: return .badInput
        case .noCanonicalWheel: return .recipe
        }
    }

    /// What happened, with pip's command and output or the pinned and actual digests where they apply.
    public var message: String {
        switch self {
        case .pipNotFound(let searched):
            return "pip not found (tried \(searched.joined(separator: ", ")))"
        case .pipFailed(let command, let status, let output):
            return "'\(command)' failed with status \(status)" + (output.isEmpty ? "" : ":\n\(output)")
        case .inconsistentFile(let command, let line):
            return "the index serves a file whose contents contradict its name ('\(command)'):\n\(line)"
        case .downloadMissing(let expected, _):
            return "pip finished but \(expected) was not downloaded"
        case .fileNotFound:
            return "wheel not found"
        case .unpinned(_, let recipe, let version):
            let scope = version.map { "version \($0) of " } ?? ""
            return "this file is not pinned in \(scope)\(recipe)"
        case .digestMismatch(_, let expected, let actual):
            return "sha256 mismatch (expected \(expected.hex), got \(actual.hex))"
        case .noCanonicalWheel(_, let version, let platform):
            return "version \(version) pins no \(platform) wheel to download"
        case .cacheUnusable(_, let reason):
            return "cannot use the download cache: \(reason)"
        }
    }

    /// What to do about a missing or failing pip, an unpinned file or a digest mismatch; `nil` otherwise.
    public var hint: String? {
        switch self {
        case .pipNotFound: return "install pip, or pass --pip /path/to/pip"
        case .pipFailed: return "pip's index settings (pip.conf, PIP_INDEX_URL, credentials) apply; check them and the network"
        case .unpinned: return "pin the file's sha256 in the recipe's [versions] table, or pass --allow-unpinned for a local file"
        case .inconsistentFile: return "do not trust this index or mirror for this file; compare with upstream's own index"
        case .digestMismatch: return "the file differs from the one pinned: do not trust it; download it again or review the pin"
        default: return nil
        }
    }
}
