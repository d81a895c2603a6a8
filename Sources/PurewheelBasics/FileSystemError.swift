import SystemPackage

/// Errors from creating, reading, syncing or renaming files.
public enum FileSystemError: PurewheelError, Equatable {
    /// A syscall failed on `path`.
    case operationFailed(operation: String, path: String, errno: Errno)
    /// A file that should exist does not.
    case notFound(path: String)
    /// An input is a FIFO, socket or device, not a regular file; it was never read (a FIFO would block).
    case notRegularFile(path: String, kind: SpecialFileKind)

    /// Where the failure is: the file the operation was on.
    public var location: SourceLocation? {
        switch self {
        case .operationFailed(_, let path, _), .notFound(let path), .notRegularFile(let path, _): return .file(path)
        }
    }

    /// `.io` for a failed syscall, `.missingInput` for a missing file, `.badInput` for a special file.
    public var category: FailureCategory {
        switch self {
        case .operationFailed: return .io
        case .notFound: return .missingInput
        case .notRegularFile: return .badInput
        }
    }

    /// What happened: the failed operation and its errno, or what the file is.
    public var message: String {
        switch self {
        case .operationFailed(let operation, _, let code):
            return "\(operation) failed: \(code)"
        case .notFound:
            return "no such file"
        case .notRegularFile(_, let kind):
            return "not a regular file (\(kind.rawValue)); it was not read"
        }
    }
}

/// What a path that is not a regular file holds.
public enum SpecialFileKind: String, Sendable, Hashable {
    /// A named pipe: opening it for reading waits for a writer, reading it waits for data.
    case fifo = "a FIFO"
    /// A Unix socket.
    case socket = "a socket"
    /// A character device such as `/dev/zero`, which never ends.
    case characterDevice = "a character device"
    /// A block device.
    case blockDevice = "a block device"
    /// Anything else that is not a regular file or folder.
    case other = "a special file"
    /// A folder, where one file was wanted.
    case folder = "a folder"

    init(_ type: FileType) {
        switch type {
        case .directory: self = .folder
        case .fifo: self = .fifo
        case .socket: self = .socket
        case .characterSpecial: self = .characterDevice
        case .blockSpecial: self = .blockDevice
        default: self = .other
        }
    }
}
