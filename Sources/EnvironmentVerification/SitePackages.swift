import PurewheelBasics

/// A site-packages folder to verify, and the prefix of its environment: the folder no RECORD path may lead out of.
public struct SitePackages: Sendable, Hashable {
    /// The folder as given or as the interpreter reported it; reports name it so.
    public let path: String
    /// The environment's prefix (`sys.prefix`, or the user base for the user site), or `nil` to infer it: three
    /// levels up for `…/lib*/python*/{site,dist}-packages` (where `../../../bin` is the scripts folder), else the
    /// folder itself (a `pip install --target` folder).
    public let prefix: String?

    /// Creates a folder to verify.
    ///
    /// - Parameters:
    ///   - path: the site-packages folder.
    ///   - prefix: its environment's prefix, or `nil` to infer it.
    public init(path: String, prefix: String? = nil) {
        self.path = FileIO.trimmingTrailingSlashes(path)
        self.prefix = prefix.map(FileIO.trimmingTrailingSlashes)
    }

    /// The prefix inferred from a real (resolved) site-packages path.
    static func inferredPrefix(of realPath: String) -> String {
        let parts = realPath.split(separator: "/")
        guard parts.count >= 3, ["site-packages", "dist-packages"].contains(parts[parts.count - 1]),
            parts[parts.count - 2].hasPrefix("python"), parts[parts.count - 3].hasPrefix("lib")
        else { return realPath }
        return "/" + parts.dropLast(3).joined(separator: "/")
    }
}

/// A site-packages folder resolved on disk: its real path, its real prefix, and its top-level names.
struct Layout {
    /// The folder as reports name it.
    let displayPath: String
    /// The folder with every symbolic link resolved; RECORD paths are resolved against it.
    let realPath: String
    /// The prefix with every symbolic link resolved.
    let realPrefix: String
    /// The folder's names, sorted by their UTF-8 bytes.
    let entries: [FileSystemProbe.Entry]
    /// Whether `pyvenv.cfg` says uv or virtualenv made the environment, so `_virtualenv.pth` is its hook (PW917).
    let hasVirtualenvHook: Bool

    init(_ site: SitePackages) throws(EnvironmentVerificationError) {
        displayPath = site.path
        switch FileSystemProbe.realPath(site.path) {
        case .success(let resolved): realPath = resolved
        case .failure(let failure) where failure.meansAbsent: throw .sitePackagesMissing(site.path)
        case .failure(let failure): throw .unreadableFolder(site.path, errno: failure.errno)
        }
        switch FileSystemProbe.status(realPath) {
        case .success(let status) where status.kind == .directory: break
        case .success(let status): throw .notAFolder(site.path, kind: status.kind.name)
        case .failure(let failure): throw .unreadableFolder(site.path, errno: failure.errno)
        }
        var prefix = SitePackages.inferredPrefix(of: realPath)
        if let given = site.prefix, case .success(let resolved) = FileSystemProbe.realPath(given),
            InstalledPath.isWithin(realPath, resolved)
        {
            prefix = resolved
        }
        realPrefix = prefix
        switch FileSystemProbe.entries(of: realPath) {
        case .success(let found): entries = found.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        case .failure(let failure): throw .unreadableFolder(site.path, errno: failure.errno)
        }
        hasVirtualenvHook = Self.madeByVirtualenv(prefix: prefix)
    }

    /// The entry's type, from the folder listing or else from `lstat`.
    func kind(of entry: FileSystemProbe.Entry) -> FileStatus.Kind? {
        if let kind = entry.kind { return kind }
        guard case .success(let status) = FileSystemProbe.status(realPath + "/" + entry.name) else { return nil }
        return status.kind
    }

    /// Whether `prefix/pyvenv.cfg` has a `uv = …` or `virtualenv = …` line: both tools write `_virtualenv.pth` and
    /// `_virtualenv.py` into site-packages when they create a venv.
    private static func madeByVirtualenv(prefix: String) -> Bool {
        let path = prefix + "/pyvenv.cfg"
        guard case .success(let status) = FileSystemProbe.status(path), status.kind == .regular, status.size <= 1 << 16,
            case .success(let bytes) = InstalledRecord.readWhole(path, entry: "pyvenv.cfg", status: status)
        else { return false }
        return String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).contains { line in
            let key = String(line.split(separator: "=", maxSplits: 1).first ?? "").filter { $0 != " " && $0 != "\t" }
            return key == "uv" || key == "virtualenv"
        }
    }
}
