/// Path arithmetic on the text of paths, without touching the file system: where a RECORD row's path points, and
/// whether that is inside a folder.
///
/// "Recording installed projects" (packaging.python.org): a RECORD path is absolute, or relative to the folder that
/// holds the `.dist-info` folder (site-packages), so scripts read `../../../bin/tool`. `..` is resolved here on the
/// text, as pip's uninstaller does (`os.path.normpath`); symbolic links on the way are judged separately, on disk.
enum InstalledPath {
    /// `recordPath` resolved against `folder` (itself absolute and normalized): `.`, empty segments and `..` removed.
    ///
    /// A `..` at the root stays at the root, as the kernel resolves it.
    static func resolve(_ recordPath: String, in folder: String) -> String {
        // Most rows are plain relative paths (`pkg/mod.py`): joined as they are, without splitting every row.
        if isPlainRelative(recordPath) { return folder == "/" ? "/" + recordPath : folder + "/" + recordPath }
        let base = recordPath.hasPrefix("/") ? [] : folder.split(separator: "/", omittingEmptySubsequences: true)
        var parts = [Substring](base)
        for segment in recordPath.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(segment)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// A relative path with no empty, `.` or `..` segment.
    private static func isPlainRelative(_ path: String) -> Bool {
        var segmentLength = 0
        var dots = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if segmentLength == 0 || segmentLength == dots && dots <= 2 { return false }
                segmentLength = 0
                dots = 0
            } else {
                segmentLength += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return segmentLength > 0 && !(segmentLength == dots && dots <= 2)
    }

    /// Whether `path` is `folder` or lies under it; both absolute and normalized.
    static func isWithin(_ path: String, _ folder: String) -> Bool {
        let bytes = path.utf8
        if folder == "/" { return bytes.first == UInt8(ascii: "/") }
        guard bytes.starts(with: folder.utf8) else { return false }
        let rest = bytes.dropFirst(folder.utf8.count)
        return rest.isEmpty || rest.first == UInt8(ascii: "/")
    }

    /// `path` relative to `folder`, when it lies strictly under it.
    static func relative(_ path: String, to folder: String) -> String? {
        let start = folder == "/" ? "/" : folder + "/"
        // On the UTF-8 bytes: the paths come from RECORD and the disk, and are compared byte for byte like the kernel
        // compares them.
        guard path.utf8.count > start.utf8.count, path.utf8.starts(with: start.utf8) else { return nil }
        return String(Substring(path.utf8.dropFirst(start.utf8.count)))
    }

    /// The folder part and the last segment of an absolute, normalized path other than `/`.
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = path[..<slash]
        return (folder.isEmpty ? "/" : String(folder), String(path[path.index(after: slash)...]))
    }

    /// Whether `relativePath` (under site-packages) names a `.pth` file that `site` reads: directly in the folder, and
    /// ending in `.pth` byte for byte (`str.endswith`; Python before 3.13 also reads hidden ones).
    static func isStartupFile(_ relativePath: String) -> Bool {
        let utf8 = relativePath.utf8
        return !utf8.contains(UInt8(ascii: "/")) && utf8.count >= 4 && utf8.suffix(4).elementsEqual(".pth".utf8)
    }

    /// Whether `relativePath` (under site-packages) is a byte-code cache that `import` writes for a source beside
    /// it: `dir/__pycache__/name.TAG.pyc` or `name.TAG.opt-N.pyc` (PEP 3147, PEP 488).
    ///
    /// - Returns: the source's path relative to site-packages (`dir/name.py`), or `nil`.
    static func cachedSource(of relativePath: String) -> String? {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[parts.count - 2] == "__pycache__", let file = parts.last, file.hasSuffix(".pyc") else {
            return nil
        }
        // A module name holds no dot, so the name ends at the first one; the tag is at least one more segment.
        let pieces = file.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count >= 3, !pieces[0].isEmpty else { return nil }
        return (parts.dropLast(2) + [pieces[0] + ".py"]).joined(separator: "/")
    }
}
