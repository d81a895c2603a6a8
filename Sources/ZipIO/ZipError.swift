import PurewheelBasics
import SystemPackage

/// Everything that can go wrong reading or writing a zip archive.
public enum ZipError: PurewheelError, Equatable {
    /// The archive file does not exist.
    case notFound(archive: String)
    /// libzip refused to open the archive (not a zip, truncated, inconsistent headers, duplicate names).
    case cannotOpen(archive: String, cause: ZipFailureCause)
    /// An entry could not be read to its end (bad compressed data, CRC mismatch, unsupported method).
    case cannotReadEntry(archive: String, entry: String, cause: ZipFailureCause)
    /// An entry's name is unsafe or unusable as a path.
    case unsafeEntryName(archive: String, entry: String, reason: String)
    /// An entry is larger than the caller allows in memory.
    case entryTooLarge(archive: String, entry: String, size: UInt64, limit: UInt64)
    /// Building the output archive failed.
    case cannotWrite(archive: String, entry: String?, cause: ZipFailureCause)

    /// Where the failure is: the archive, or the entry inside it when one is involved.
    public var location: SourceLocation? {
        switch self {
        case .cannotOpen(let archive, _), .notFound(let archive):
            return .file(archive)
        case .cannotReadEntry(let archive, let entry, _), .unsafeEntryName(let archive, let entry, _),
            .entryTooLarge(let archive, let entry, _, _):
            return .archiveEntry(archive: archive, entry: entry)
        case .cannotWrite(let archive, let entry, _):
            return entry.map { .archiveEntry(archive: archive, entry: $0) } ?? .file(archive)
        }
    }

    /// `.io` for a failed write or a system error while reading, `.missingInput` for a missing archive, `.badInput` for an archive or entry that cannot be read.
    public var category: FailureCategory {
        switch self {
        case .cannotWrite: return .io
        case .notFound: return .missingInput
        case .cannotOpen(_, let cause), .cannotReadEntry(_, _, let cause): return cause.systemError == nil ? .badInput : .io
        default: return .badInput
        }
    }

    /// What went wrong, with libzip's cause or the sizes involved.
    public var message: String {
        switch self {
        case .notFound: return "no such file"
        case .cannotOpen(_, let cause): return "not a readable zip archive: \(cause)"
        case .cannotReadEntry(_, _, let cause): return "entry cannot be read: \(cause)"
        case .unsafeEntryName(_, _, let reason): return "unsafe entry name: \(reason)"
        case .entryTooLarge(_, _, let size, let limit): return "entry is \(size) bytes, more than the \(limit) allowed"
        case .cannotWrite(_, _, let cause): return "cannot write archive: \(cause)"
        }
    }

    /// What to do about a damaged archive; `nil` otherwise.
    public var hint: String? {
        switch self {
        case .cannotOpen, .cannotReadEntry: return "the file is damaged or not a wheel; download it again"
        default: return nil
        }
    }
}

/// Why libzip failed, as values rather than text.
///
/// Its error code and the `errno` behind it when the system failed (a read, a write, a rename), or a reason
/// purewheel states itself; rendered as libzip words it only when shown.
public enum ZipFailureCause: Sendable, Hashable, CustomStringConvertible {
    /// A libzip `ZIP_ER_*` code, with the system's `errno` when libzip reports one.
    case libzip(code: Int32, systemError: Errno?)
    /// A condition purewheel detects itself.
    case stated(String)

    /// The system error behind a libzip failure, if any.
    public var systemError: Errno? {
        if case .libzip(_, let systemError) = self { return systemError }
        return nil
    }

    /// libzip's text (`Read error: Input/output error`), or the stated reason.
    public var description: String {
        switch self {
        case .libzip(let code, let systemError): return LibzipErrorText.text(code: code, systemError: systemError?.rawValue ?? 0)
        case .stated(let reason): return reason
        }
    }
}
