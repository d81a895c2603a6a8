import Glibc
import PurewheelBasics
import SystemPackage

/// What is at a path, as `lstat(2)` sees it: a final symbolic link is described, never followed.
struct FileStatus: Sendable, Hashable {
    /// The file type bits of `st_mode`.
    enum Kind: Sendable, Hashable {
        case regular, directory, symbolicLink, fifo, socket, characterDevice, blockDevice, unknown

        /// How findings name the kind.
        var name: String {
            switch self {
            case .regular: return "a regular file"
            case .directory: return "a folder"
            case .symbolicLink: return "a symbolic link"
            case .fifo: return "a FIFO"
            case .socket: return "a socket"
            case .characterDevice: return "a character device"
            case .blockDevice: return "a block device"
            case .unknown: return "a file of unknown type"
            }
        }
    }

    let kind: Kind
    let size: UInt64
    let device: UInt64
    let inode: UInt64

    init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        default: kind = .unknown
        }
        size = UInt64(max(0, info.st_size))
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

/// The few system calls verification makes, each returning a value or the `errno` it failed with.
///
/// Nothing here opens a path that `lstat` has not shown to be a regular file, and every open uses `O_NOFOLLOW` and
/// `O_NONBLOCK`: a FIFO or a device swapped in between the two calls is never read and never blocks (the `fstat` after
/// the open then tells). Paths holding NUL never get here (a C string would end at it).
enum FileSystemProbe {
    /// `lstat(2)`.
    static func status(_ path: String) -> Result<FileStatus, Failure> {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .failure(Failure(Errno.current)) }
        return .success(FileStatus(info))
    }

    /// `realpath(3)`: every symbolic link on the way followed, `.` and `..` resolved.
    static func realPath(_ path: String) -> Result<String, Failure> {
        guard let resolved = realpath(path, nil) else { return .failure(Failure(Errno.current)) }
        defer { free(resolved) }
        return .success(String(cString: resolved))
    }

    /// Opens a regular file for reading without following a final symbolic link and without blocking, checks that it
    /// is a regular file (and still the one `expected` describes, when given), runs `body` with it and its `fstat`, and
    /// closes it.
    ///
    /// - Returns: what `body` returns, or why the file was not handed to it.
    static func withRegularFile<Value>(
        _ path: String, expected: FileStatus?, _ body: (FileReader, FileStatus) -> Value
    ) -> Result<Value, OpenFailure> {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else {
            let failure = Errno.current
            // O_NOFOLLOW on a final symbolic link: what is there is a link, which is not the file listed.
            return .failure(failure.rawValue == ELOOP ? .changed(.symbolicLink) : .failed(Failure(failure)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(.failed(Failure(Errno.current))) }
        let status = FileStatus(info)
        guard status.kind == .regular, expected.map({ status.device == $0.device && status.inode == $0.inode }) ?? true else {
            return .failure(.changed(status.kind))
        }
        return .success(body(FileReader(descriptor: descriptor), status))
    }

    /// Why `withRegularFile` did not run its body.
    enum OpenFailure: Error, Sendable, Hashable {
        /// `open` or `fstat` failed.
        case failed(Failure)
        /// What was opened is not the regular file `lstat` saw (replaced in between); its kind.
        case changed(FileStatus.Kind)
    }

    /// One name in a folder.
    struct Entry: Sendable, Hashable {
        /// The name; where it is not UTF-8, with its invalid bytes replaced (see `isUTF8`).
        let name: String
        /// The type, when the file system gives it without a `stat`.
        let kind: FileStatus.Kind?
        /// Whether the name is valid UTF-8; a name that is not cannot be written as given, so it is only reported.
        let isUTF8: Bool
    }

    /// The names in a folder (without `.` and `..`), each with its type when the file system gives it.
    static func entries(of folder: String) -> Result<[Entry], Failure> {
        guard let stream = opendir(folder) else { return .failure(Failure(Errno.current)) }
        defer { closedir(stream) }
        var result = [Entry]()
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { return .failure(Failure(Errno.current)) }
                break
            }
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            let valid = String(validating: bytes, as: UTF8.self)
            let name = valid ?? String(decoding: bytes, as: UTF8.self)
            if name == "." || name == ".." { continue }
            let kind: FileStatus.Kind?
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .regular
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symbolicLink
            case Int32(DT_FIFO): kind = .fifo
            case Int32(DT_SOCK): kind = .socket
            case Int32(DT_CHR): kind = .characterDevice
            case Int32(DT_BLK): kind = .blockDevice
            default: kind = nil
            }
            result.append(Entry(name: name, kind: kind, isUTF8: valid != nil))
        }
        return .success(result)
    }

    /// An `errno` a call failed with.
    struct Failure: Error, Sendable, Hashable {
        let errno: Errno
        init(_ errno: Errno) { self.errno = errno }

        /// Nothing is there (`ENOENT`), or a component on the way is not a folder (`ENOTDIR`).
        var meansAbsent: Bool { errno == .noSuchFileOrDirectory || errno == .notDirectory }
    }
}

/// A file opened by `FileSystemProbe.withRegularFile`, valid inside its body.
struct FileReader {
    let descriptor: Int32

    /// Reads into `buffer` once (`FileIO.read`, which retries an interrupted call).
    ///
    /// - Returns: the number of bytes read (0 at the end), or the failure.
    func readChunk(into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, FileSystemProbe.Failure> {
        Result { () throws(Errno) in try FileIO.read(from: descriptor, into: buffer) }.mapError(FileSystemProbe.Failure.init)
    }
}
