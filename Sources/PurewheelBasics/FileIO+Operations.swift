import Glibc
import SystemPackage

/// What is at a path, without following a final symbolic link.
public enum FileKind: Sendable, Hashable {
    /// A regular file.
    case regular
    /// A folder.
    case directory
    /// A symbolic link, socket, FIFO or device.
    case other
}

extension FileIO {
    /// `path` without trailing slashes (`dist/` becomes `dist`), so that `"\(folder)/\(name)"` joins cleanly; the
    /// root folder stays `/`.
    public static func trimmingTrailingSlashes(_ path: String) -> String {
        var result = Substring(path)
        while result.count > 1 && result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }

    /// What is at `path` (`lstat(2)`), or `nil` when nothing is.
    public static func kind(of path: String) -> FileKind? {
        switch fileType(at: path, followingLinks: false) {
        case .regular?: return .regular
        case .directory?: return .directory
        case nil: return nil
        default: return .other
        }
    }

    /// Renames `source` to `destination` atomically (`rename(2)`, which swift-system does not wrap), replacing a file
    /// there.
    ///
    /// - Throws: `FileSystemError.operationFailed` with the system's `errno`.
    public static func rename(_ source: String, to destination: String) throws(FileSystemError) {
        guard Glibc.rename(source, destination) == 0 else {
            throw .operationFailed(operation: "rename to \(destination)", path: source, errno: .current)
        }
    }

    /// Creates the file `path`, which must not exist, holding `bytes`, and syncs it (`fsync(2)`) before returning.
    ///
    /// Not atomic, so only for a file in a private folder that a rename publishes later (a build's staging folder): nobody can see it
    /// half-written there, and a failed build's folder goes whole. It then needs no temporary folder and no rename of its own; what the
    /// rename that publishes it needs, its data on disk, is done.
    ///
    /// - Throws: `FileSystemError.operationFailed` with the system's `errno`; a partial file may be left at `path`.
    public static func createSynced(_ path: String, holding bytes: [UInt8]) throws(FileSystemError) {
        _ = try AtomicFile.create(path, holding: bytes)
        try sync(path, isFolder: false)
    }

    /// Makes `link` a second name of the file `existing` (`link(2)`, which swift-system does not wrap).
    ///
    /// - Throws: `FileSystemError.operationFailed` with the system's `errno`.
    public static func hardLink(_ existing: String, as link: String) throws(FileSystemError) {
        guard Glibc.link(existing, link) == 0 else {
            throw .operationFailed(operation: "link to \(link)", path: existing, errno: .current)
        }
    }

    /// Removes the file or empty folder `path` (`remove(3)`); a missing one is fine.
    ///
    /// - Throws: `FileSystemError.operationFailed` with the system's `errno`.
    public static func remove(_ path: String) throws(FileSystemError) {
        guard Glibc.remove(path) == 0 else {
            let failure = Errno.current
            if failure == .noSuchFileOrDirectory { return }
            throw .operationFailed(operation: "remove", path: path, errno: failure)
        }
    }

    /// The names in folder `path`, sorted by UTF-8 bytes, without `.` and `..`.
    ///
    /// - Throws: `FileSystemError.notFound` or `.operationFailed`.
    public static func contents(ofDirectory path: String) throws(FileSystemError) -> [String] {
        // swift-system wraps no `opendir`.
        guard let directory = opendir(path) else {
            let failure = Errno.current
            if failure == .noSuchFileOrDirectory { throw .notFound(path: path) }
            throw .operationFailed(operation: "list", path: path, errno: failure)
        }
        defer { closedir(directory) }
        var names = [String]()
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Removes `path` and, for a folder, everything in it (symbolic links are removed, never followed); a
    /// missing path is fine.
    ///
    /// - Throws: `FileSystemError.operationFailed`.
    public static func removeTree(_ path: String) throws(FileSystemError) {
        if kind(of: path) == .directory {
            for name in try contents(ofDirectory: path) { try removeTree("\(path)/\(name)") }
        }
        try remove(path)
    }

    /// Syncs a folder so the renames in it are durable (`fsync(2)` on the folder).
    ///
    /// - Throws: `FileSystemError.operationFailed`.
    public static func syncDirectory(_ path: String) throws(FileSystemError) { try sync(path, isFolder: true) }
}
