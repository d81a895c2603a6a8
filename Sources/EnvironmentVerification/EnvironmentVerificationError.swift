import PurewheelBasics

/// Why an environment could not be verified at all (what is wrong inside one is a finding, not an error).
public enum EnvironmentVerificationError: PurewheelError, Equatable {
    /// The site-packages folder does not exist.
    case sitePackagesMissing(String)
    /// The path exists but is not a folder.
    case notAFolder(String, kind: String)
    /// The site-packages folder or its prefix cannot be listed or resolved.
    case unreadableFolder(String, errno: Errno)
    /// No interpreter of that name on `PATH`, or the path does not run.
    case interpreterNotFound(String)
    /// The interpreter ran but did not answer where its site-packages folders are.
    case interpreterFailed(String, status: Int32, output: String)

    /// The folder or interpreter concerned.
    public var location: SourceLocation? {
        switch self {
        case .sitePackagesMissing(let path), .notAFolder(let path, _), .unreadableFolder(let path, _),
            .interpreterNotFound(let path), .interpreterFailed(let path, _, _):
            return .file(path)
        }
    }

    /// Missing input (66) for what is not there, I/O (74) for what cannot be read, bad input (65) for an interpreter
    /// that does not answer.
    public var category: FailureCategory {
        switch self {
        case .sitePackagesMissing, .notAFolder, .interpreterNotFound: return .missingInput
        case .unreadableFolder: return .io
        case .interpreterFailed: return .badInput
        }
    }

    /// What happened.
    public var message: String {
        switch self {
        case .sitePackagesMissing: return "no such site-packages folder"
        case .notAFolder(_, let kind): return "not a site-packages folder: it is \(kind)"
        case .unreadableFolder(_, let errno): return "cannot read the folder: \(errno)"
        case .interpreterNotFound: return "no such Python interpreter"
        case .interpreterFailed(_, let status, let output):
            return "the interpreter did not report its site-packages folders (exit \(status))"
                + (output.isEmpty ? "" : ": \(output)")
        }
    }

    /// What to do.
    public var hint: String? {
        switch self {
        case .sitePackagesMissing, .notAFolder:
            return "give the folder that holds the *.dist-info folders, e.g. .venv/lib/python3.12/site-packages"
        case .interpreterNotFound: return "give the interpreter with --python, e.g. --python .venv/bin/python"
        case .interpreterFailed: return "run it with -S -c 'import site; print(site.getsitepackages())' to see why"
        case .unreadableFolder: return nil
        }
    }
}
