import FoundationEssentials
import Glibc
import PurewheelBasics
import SystemPackage

/// A wheel read from standard input (`purewheel check -`), spooled to an unlinked temporary file.
///
/// The checker reads at offsets and judges the file name too, so the wheel must be a file with the name
/// `--stdin-filename` gives. Its bytes go to a file that has no name of its own (`O_TMPFILE`, or unlinked at once
/// where the file system lacks it), read and written a chunk at a time, so that memory stays flat whatever the size
/// and a killed run leaves no copy behind. The name is a symbolic link to `/proc/self/fd/<n>` in a private folder
/// (mode 0700).
struct StandardInputWheel {
    /// How standard input ended.
    enum Outcome {
        /// Spooled whole: check the file at `path`.
        case spooled(StandardInputWheel)
        /// More than `limit` bytes came: reading stopped there and nothing is checked.
        case overLimit(limit: UInt64)
    }

    /// The path to check: the link, named as `--stdin-filename` says.
    let path: String
    private let folder: String
    private let descriptor: Int32
    /// Removes the link and the folder if a signal ends the process while they exist.
    private let cleanup: Int

    /// Bytes read and written at a time.
    static let chunkSize = 1 << 20

    /// Copies everything readable from `input` to a new unlinked file, `limit` bytes at most.
    ///
    /// - Throws: `FileSystemError` when standard input cannot be read, or the temporary folder, file or link cannot be
    ///   made or written.
    static func spool(from input: Int32, filename: String, limit: UInt64, variables: [String: String]) throws(FileSystemError)
        -> Outcome
    {
        let base = (variables["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp") + "/purewheel-stdin-XXXXXX"
        var template = Array(base.utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw .operationFailed(operation: "create a temporary folder", path: base, errno: Errno(rawValue: errno))
        }
        let folder = String(cString: created)
        let link = "\(folder)/\(filename)"
        let cleanup = Interruption.shared.addCleanup {
            unlink(link)
            rmdir(folder)
        }
        let fd: Int32
        do throws(FileSystemError) {
            fd = try openUnlinked(in: folder)
        } catch {
            rmdir(folder)
            Interruption.shared.removeCleanup(cleanup)
            throw error
        }
        let wheel = StandardInputWheel(path: link, folder: folder, descriptor: fd, cleanup: cleanup)
        do throws(FileSystemError) {
            guard try copy(from: input, to: fd, limit: limit) else {
                wheel.remove()
                return .overLimit(limit: limit)
            }
            guard symlink("/proc/self/fd/\(fd)", wheel.path) == 0 else {
                throw .operationFailed(operation: "link the spooled standard input", path: wheel.path, errno: Errno(rawValue: errno))
            }
        } catch {
            wheel.remove()
            throw error
        }
        return .spooled(wheel)
    }

    /// Linux's `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`), which the C headers define only under `_GNU_SOURCE`; the
    /// value is the same on every Linux architecture.
    private static let oTmpfile: Int32 = 0o20_000_000 | O_DIRECTORY

    /// A read-write file in `folder` that no name leads to.
    private static func openUnlinked(in folder: String) throws(FileSystemError) -> Int32 {
        let fd = open(folder, oTmpfile | O_RDWR | O_CLOEXEC, 0o600)
        if fd >= 0 { return fd }
        // File systems without O_TMPFILE: a named file, unlinked before anything is written to it.
        let named = folder + "/.spool"
        let fallback = open(named, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
        guard fallback >= 0 else {
            throw .operationFailed(operation: "create a temporary file", path: named, errno: Errno(rawValue: errno))
        }
        unlink(named)
        return fallback
    }

    /// Copies `input` to `output` until end of file; false, with reading stopped, once more than `limit` bytes came.
    private static func copy(from input: Int32, to output: Int32, limit: UInt64) throws(FileSystemError) -> Bool {
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var total: UInt64 = 0
        while true {
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBytes { bytes in
                    Result { () throws(Errno) in try FileIO.read(from: input, into: bytes) }
                }.get()
            } catch {
                throw .operationFailed(operation: "read standard input", path: "-", errno: error)
            }
            if count == 0 { return true }
            total += UInt64(count)
            if total > limit { return false }
            do {
                try buffer.withUnsafeBytes { bytes in
                    Result { () throws(Errno) in try FileIO.write(UnsafeRawBufferPointer(rebasing: bytes[0..<count]), to: output) }
                }.get()
            } catch {
                throw .operationFailed(operation: "spool standard input", path: "-", errno: error)
            }
        }
    }

    /// Closes the file, which frees its bytes, and removes the link and the folder.
    func remove() {
        close(descriptor)
        unlink(path)
        rmdir(folder)
        Interruption.shared.removeCleanup(cleanup)
    }
}
