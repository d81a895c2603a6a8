import Glibc
import SystemPackage

/// A whole file in memory that never moves and is never written after it is read, so a C library can borrow
/// it without a copy for as long as this object lives: the upstream wheel is read once into one, hashed
/// against its pin, and opened by libzip from the same bytes.
public final class FileBytes: @unchecked Sendable {
    // Immutable once `FileIO.readWhole` has filled it, hence safe to share between threads.
    private let storage: UnsafeMutableRawBufferPointer
    /// The file's length in bytes.
    public let count: Int

    init(storage: UnsafeMutableRawBufferPointer, count: Int) {
        self.storage = storage
        self.count = count
    }

    /// A copy of `bytes` that never moves.
    public convenience init(copying bytes: [UInt8]) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 16)
        bytes.withUnsafeBytes { storage.copyMemory(from: $0) }
        self.init(storage: storage, count: bytes.count)
    }

    deinit { storage.deallocate() }

    /// The bytes, lent to `body`; the pointer must not outlive this object.
    public func withUnsafeBytes<Result, Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> Result) throws(Failure)
        -> Result
    {
        try body(UnsafeRawBufferPointer(rebasing: storage[0..<count]))
    }

    /// A copy as an array, for small files.
    public var array: [UInt8] { withUnsafeBytes { [UInt8]($0) } }
}

extension FileIO {
    /// Reads a whole file into memory of its size, straight from the descriptor (no zeroing, no chunk
    /// copies); a file that grows while it is read is read on to its end.
    ///
    /// - Throws: `FileSystemError.notFound`, `.notRegularFile` or `.operationFailed`.
    public static func readWhole(_ path: String) throws(FileSystemError) -> FileBytes {
        let fd = try openRegularFile(path)
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .operationFailed(operation: "stat", path: path, errno: .current) }
        // One byte more than the size, so that reaching the end is seen without growing.
        var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(0, Int(info.st_size)) + 1, alignment: 16)
        var count = 0
        while true {
            if count == storage.count {
                let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: storage.count * 2, alignment: 16)
                larger.copyMemory(from: UnsafeRawBufferPointer(storage))
                storage.deallocate()
                storage = larger
            }
            let n = Glibc.read(fd, storage.baseAddress! + count, storage.count - count)
            if n < 0 {
                let cause = Errno.current
                if cause == .interrupted { continue }
                storage.deallocate()
                throw .operationFailed(operation: "read", path: path, errno: cause)
            }
            if n == 0 { break }
            count += n
        }
        return FileBytes(storage: storage, count: count)
    }
}
