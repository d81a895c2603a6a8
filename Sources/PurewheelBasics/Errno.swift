import Glibc

/// A C `errno` value, kept as a value so an error says what the system really reported (never a guessed
/// code), and rendered with `strerror` only when shown.
public struct Errno: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The raw `errno` number.
    public let rawValue: Int32

    /// Wraps a raw `errno` number.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's current `errno`; read it right after the failing call.
    public static var current: Errno { Errno(rawValue: errno) }

    /// No such file or directory.
    public static let noSuchFile = Errno(rawValue: ENOENT)
    /// A path component is not a directory.
    public static let notADirectory = Errno(rawValue: ENOTDIR)
    /// The path is a directory.
    public static let isADirectory = Errno(rawValue: EISDIR)
    /// The destination exists (for example a non-empty directory in the way of a rename).
    public static let exists = Errno(rawValue: EEXIST)
    /// Input/output error.
    public static let io = Errno(rawValue: EIO)
    /// A signal interrupted the call before it did anything; it is simply made again.
    public static let interrupted = Errno(rawValue: EINTR)

    /// The system's text for the value, for example `Permission denied`.
    public var description: String { String(cString: strerror(rawValue)) }
}
