import FoundationEssentials
import PurewheelBasics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A wheel read from standard input (`purewheel check -`), kept in a private temporary folder under the name
/// `--stdin-filename` gives, because the checker reads at offsets and judges the file name too.
struct StandardInputWheel {
    /// The temporary file.
    let path: String
    private let folder: String

    /// Writes `bytes` to a fresh private folder (mode 0700) as `filename`.
    ///
    /// - Throws: `FileSystemError` when the temporary folder or file cannot be written.
    init(bytes: [UInt8], filename: String) throws(FileSystemError) {
        let base = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/purewheel-stdin-XXXXXX"
        var template = Array(base.utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw .operationFailed(operation: "create a temporary folder", path: base, errno: Errno(rawValue: errno))
        }
        folder = String(cString: created)
        path = "\(folder)/\(filename)"
        do {
            try AtomicFile(destination: path).write(bytes: bytes)
        } catch {
            rmdir(folder)
            throw error
        }
    }

    /// Removes the temporary file and folder.
    func remove() {
        unlink(path)
        rmdir(folder)
    }
}
