import SystemPackage

extension FileIO {
    /// Reads up to `buffer.count` bytes from the open descriptor `descriptor`; 0 at end of file.
    ///
    /// swift-system's `read` retries a call a signal interrupted (`EINTR`).
    ///
    /// - Throws: the `Errno` of the failed `read(2)`.
    public static func read(from descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        try Errno.typed { try FileDescriptor(rawValue: descriptor).read(into: buffer) }
    }

    /// Writes all of `bytes` to the open descriptor `descriptor`, through short writes and interrupted calls.
    ///
    /// - Throws: the `Errno` of the failed `write(2)`; part of `bytes` may have been written.
    public static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws(Errno) {
        _ = try Errno.typed { try FileDescriptor(rawValue: descriptor).writeAll(bytes) }
    }

    /// The regular file at `path` (opened as `openRegularFile` does) and the user id of its owner; `bytes` holds at
    /// most `limit + 1` bytes, so a count over `limit` says the file is larger, without reading the rest.
    ///
    /// - Throws: `FileSystemError.notFound`, `.notRegularFile` for a FIFO, socket or device, or `.operationFailed`.
    public static func readRegularFile(_ path: String, limit: Int) throws(FileSystemError) -> (bytes: [UInt8], owner: UInt32) {
        let descriptor = try openRegularDescriptor(path)
        defer { closeQuietly(descriptor) }
        let owner: UInt32
        do { owner = try Errno.typed { try descriptor.stat().userID.rawValue } } catch {
            throw .operationFailed(operation: "stat", path: path, errno: error)
        }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= limit {
            let count: Int
            do {
                count = try Errno.typed { try chunk.withUnsafeMutableBytes { try descriptor.read(into: $0) } }
            } catch {
                throw .operationFailed(operation: "read", path: path, errno: error)
            }
            if count == 0 { break }
            bytes += chunk[0..<min(count, limit + 1 - bytes.count)]
        }
        return (bytes, owner)
    }
}
