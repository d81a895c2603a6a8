/// The last component of a `/`-separated path, and the path without it, on the text alone (no file system access).
///
/// Trailing slashes are ignored, and the root stays the root: `PathText.lastComponent("a/b/")` is `b`,
/// `PathText.parent("/a")` is `/`, `PathText.parent("a")` is empty.
public enum PathText {
    /// The last component: `c` for `/a/b/c`, `/` for `/`, empty for an empty path.
    public static func lastComponent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(Substring(path))
        guard trimmed != "/", let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// The path without its last component: `/a/b` for `/a/b/c`, `/` for `/a` and `/`, empty for `a` and an empty path.
    public static func parent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(Substring(path))
        guard trimmed != "/", let slash = trimmed.lastIndex(of: "/") else { return trimmed == "/" ? "/" : "" }
        let folder = withoutTrailingSlashes(trimmed[..<slash])
        return folder.isEmpty ? "/" : String(folder)
    }

    /// `path` without the slashes at its end, except a root's own.
    private static func withoutTrailingSlashes(_ path: Substring) -> Substring {
        var trimmed = path
        while trimmed.utf8.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
