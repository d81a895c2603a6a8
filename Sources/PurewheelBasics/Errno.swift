import Glibc
import SystemPackage

/// The `errno` value a failing system call reported: swift-system's type, named here so that every module's errors
/// carry it without importing SystemPackage themselves.
public typealias Errno = SystemPackage.Errno

extension Errno {
    /// The calling thread's `errno`, for the calls swift-system does not wrap (`mkdir`, `rename`, `flock`, `fsync`);
    /// read it right after the failing call.
    public static var current: Errno { Errno(rawValue: Glibc.errno) }

    /// Runs a swift-system call and keeps its failure typed.
    ///
    /// swift-system's file operations throw only `Errno` but declare an untyped `throws`; this is the one place that
    /// narrows them.
    ///
    /// - Throws: the call's `Errno`.
    static func typed<Value>(_ call: () throws -> Value) throws(Errno) -> Value {
        do {
            return try call()
        } catch let failure as Errno {
            throw failure
        } catch {
            // Unreachable while swift-system throws only `Errno`; reported as an I/O failure rather than trusted.
            throw .ioError
        }
    }
}
