import PurewheelBasics
import WheelChecks

/// The files under a site-packages folder that no RECORD lists (PW913), the `.pth` files among them whose lines `site`
/// executes (PW914), and the hook files uv and virtualenv write (PW917).
///
/// The walk lists folders and `lstat`s names; it never follows a symbolic link and opens only top-level `.pth` files
/// that are regular. A folder in which nothing is accounted for is reported once, with its count, rather than file by
/// file.
struct UnownedFiles {
    let layout: Layout
    let ownership: Ownership
    let allowed: Set<SHA256Digest>

    /// One thing nobody owns.
    private enum Orphan {
        case file(String, kind: FileStatus.Kind?, isUTF8: Bool)
        case folder(String, files: Int)

        var fileCount: Int {
            switch self {
            case .file: return 1
            case .folder(_, let files): return files
            }
        }
    }

    /// What a folder's walk found.
    private struct Subtree {
        var orphans = [Orphan]()
        var accountedFor = 0
        var problems = [Finding]()
    }

    /// What the walk found: the findings, and the regular files it saw.
    struct Walk {
        /// The findings, in walk order (names sorted by their UTF-8 bytes).
        let findings: [Finding]
        /// The regular files seen, relative to site-packages, each reached through folders only (no symbolic link):
        /// hashing opens them without resolving their path again.
        let regularFiles: Set<String>
    }

    /// Walks site-packages once.
    func walk() -> Walk {
        var regularFiles = Set<String>()
        let top = visit(folder: nil, entries: layout.entries, regularFiles: &regularFiles)
        return Walk(findings: top.problems + top.orphans.map(finding), regularFiles: regularFiles)
    }

    private func visit(folder: String?, entries: [FileSystemProbe.Entry], regularFiles: inout Set<String>) -> Subtree {
        var tree = Subtree()
        for entry in entries {
            let relative = folder.map { $0 + "/" + entry.name } ?? entry.name
            let kind = entry.kind ?? kind(of: relative)
            if kind == .regular && entry.isUTF8 { regularFiles.insert(relative) }
            guard entry.isUTF8 else {
                tree.orphans.append(.file(relative, kind: kind, isUTF8: false))
                continue
            }
            if kind == .directory {
                if folder == nil && ownership.folders.contains(entry.name) {
                    tree.accountedFor += 1
                    continue
                }
                let sub = visitFolder(relative, regularFiles: &regularFiles)
                let files = sub.orphans.reduce(0) { $0 + $1.fileCount }
                if sub.accountedFor == 0 && files > 1 {
                    tree.orphans.append(.folder(relative, files: files))
                } else {
                    tree.orphans += sub.orphans
                }
                tree.accountedFor += sub.accountedFor
                tree.problems += sub.problems
            } else if ownership.owns(relative) || (kind == .regular && ownership.ownsSource(ofCache: relative)) {
                tree.accountedFor += 1
            } else {
                tree.orphans.append(.file(relative, kind: kind, isUTF8: true))
            }
        }
        return tree
    }

    private func visitFolder(_ relative: String, regularFiles: inout Set<String>) -> Subtree {
        switch FileSystemProbe.entries(of: layout.realPath + "/" + relative) {
        case .success(let entries):
            return visit(
                folder: relative, entries: entries.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) },
                regularFiles: &regularFiles)
        case .failure(let failure):
            var tree = Subtree()
            tree.problems.append(
                .environment(
                    .unlistableFolder, entry: relative + "/", "cannot list the folder: \(failure.errno)",
                    hint: "run verify-env as a user who can read every folder of the environment"))
            return tree
        }
    }

    private func kind(of relative: String) -> FileStatus.Kind? {
        guard case .success(let status) = FileSystemProbe.status(layout.realPath + "/" + relative) else { return nil }
        return status.kind
    }

    private func finding(_ orphan: Orphan) -> Finding {
        switch orphan {
        case .folder(let relative, let files):
            return .environment(
                .unownedFile, entry: relative + "/", "no RECORD lists any of the \(files) files in this folder",
                hint: Self.unownedHint)
        case .file(let relative, let kind, let isUTF8):
            if !isUTF8 {
                // site lists names with surrogate escapes, so it reads such a .pth file too.
                return InstalledPath.isStartupFile(relative)
                    ? .environment(
                        .unownedStartupFile, entry: relative, "no RECORD lists the .pth file, and its name is not UTF-8; not read",
                        hint: Self.startupHint)
                    : .environment(
                        .unownedFile, entry: relative, "no RECORD lists the file, and its name is not UTF-8", hint: Self.unownedHint)
            }
            if !relative.utf8.contains(UInt8(ascii: "/")) {
                if InstalledPath.isStartupFile(relative) { return startupFinding(relative, kind: kind) }
                if relative == "_virtualenv.py" && layout.hasVirtualenvHook { return hookFinding(relative) }
            }
            let what = kind.map { $0 == .regular ? "" : " (\($0.name))" } ?? ""
            return .environment(.unownedFile, entry: relative, "no RECORD lists the file\(what)", hint: Self.unownedHint)
        }
    }

    private static let unownedHint =
        "if no installed distribution needs it, remove it: files left by an uninstall or written by a program are"
        + " harmless, a file nobody wrote is not"

    private static let startupHint =
        "remove it unless you know which tool wrote it and why: site runs it before any user code in every Python"
        + " process of this environment"

    /// An unlisted `.pth` file at the top of site-packages: read (when regular and small) and classified as `check`
    /// classifies a wheel's.
    private func startupFinding(_ name: String, kind: FileStatus.Kind?) -> Finding {
        let path = layout.realPath + "/" + name
        guard case .success(let status) = FileSystemProbe.status(path), status.kind == .regular else {
            return .environment(
                .unownedStartupFile, entry: name,
                "no RECORD lists the .pth file, and it is \((kind ?? .unknown).name): site would read it; not read",
                hint: Self.startupHint)
        }
        guard status.size <= UInt64(FileInspection.keptContentLimit) else {
            return .environment(
                .unownedStartupFile, entry: name, "no RECORD lists the .pth file, and it is too large to inspect",
                actual: "\(status.size) bytes", hint: Self.startupHint)
        }
        let bytes: [UInt8]
        switch InstalledRecord.readWhole(path, entry: name, status: status) {
        case .success(let read): bytes = read
        case .failure(let refusal):
            return .environment(
                .unownedStartupFile, entry: name, "no RECORD lists the .pth file, and it cannot be read: \(refusal.finding.message)",
                hint: Self.startupHint)
        }
        if name == "_virtualenv.pth" && layout.hasVirtualenvHook && Self.virtualenvHookContents.contains(bytes) {
            return hookFinding(name)
        }
        switch StartupFile.classify(bytes, allowed: allowed) {
        case .pathsOnly, .known:
            return .environment(.unownedFile, entry: name, "no RECORD lists the .pth file (it only adds paths)", hint: Self.unownedHint)
        case .notUTF8(let digest):
            return .environment(
                .unownedStartupFile, entry: name,
                "no RECORD lists the .pth file, and it is not UTF-8, so which of its lines site executes depends on the locale",
                actual: "sha256 \(digest.hex)", hint: Self.startupHint)
        case .executes(let line, let text, let digest):
            return .environment(
                .unownedStartupFile, entry: name,
                "no RECORD lists the .pth file, and line \(line) runs at every interpreter start: \(text)",
                actual: "sha256 \(digest.hex)", hint: Self.startupHint)
        }
    }

    /// The `_virtualenv.pth` that uv and virtualenv write: one line that imports their `_virtualenv.py`.
    private static let virtualenvHookContents: [[UInt8]] = [Array("import _virtualenv".utf8), Array("import _virtualenv\n".utf8)]

    private func hookFinding(_ name: String) -> Finding {
        .environment(
            .environmentHook, entry: name,
            "written by the tool that made the environment (pyvenv.cfg names uv or virtualenv); no RECORD to verify it against",
            hint: "if the environment's files may have been tampered with, recreate it (uv venv, virtualenv)")
    }
}
