import Foundation
import Glibc
import PurewheelBasics

/// A scratch folder for one test, removed when the closure returns.
public enum TemporaryDirectory {
    /// Creates a fresh folder under the system temp folder, runs `body` with its path, then deletes it.
    @discardableResult
    public static func with<Result>(_ body: (String) throws -> Result) throws -> Result {
        let path = NSTemporaryDirectory() + "purewheel-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    /// Writes `text` (UTF-8) to `path`, creating parent folders.
    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Writes bytes to `path`, creating parent folders.
    ///
    /// The file is opened close-on-exec: tests run in parallel, and a child another test starts meanwhile must not
    /// inherit it open for writing, or running it as a script fails with ETXTBSY.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        do {
            try bytes.withUnsafeBytes { buffer in Result { () throws(Errno) in try FileIO.write(buffer, to: fd) } }.get()
        } catch {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: error])
        }
    }

    /// Reads a file's bytes.
    public static func read(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
