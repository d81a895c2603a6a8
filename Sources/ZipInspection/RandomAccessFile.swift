import Glibc
import PurewheelBasics
import SystemPackage

/// A file read at explicit offsets with `pread`, so the raw zip parser never holds more of a wheel in memory
/// than the few records it is looking at; or a file already read whole, read at offsets the same way.
///
/// `@unchecked Sendable`: the stored properties are immutable after `open`, and `pread` takes its offset as an
/// argument (no shared file position), so threads may read the same descriptor (or bytes) concurrently.
package final class RandomAccessFile: @unchecked Sendable {
    private enum Backing {
        case descriptor(Int32)
        case memory(FileBytes)
    }

    private let backing: Backing
    /// The file's size in bytes when it was opened.
    package let size: UInt64

    private init(backing: Backing, size: UInt64) {
        self.backing = backing
        self.size = size
    }

    deinit { if case .descriptor(let descriptor) = backing { close(descriptor) } }

    /// Why a file could not be opened.
    package enum OpenFailure: Error, Equatable {
        /// `open`, `fstat` or `fcntl` failed with this value.
        case system(Errno)
        /// A folder, FIFO, socket or device.
        case notRegularFile

        /// The reason in words, for messages.
        package var reason: String {
            switch self {
            case .system(let errno): return errno.description
            case .notRegularFile: return "not a regular file"
            }
        }
    }

    /// Bytes already read whole, read at offsets like a file.
    package convenience init(bytes: FileBytes) { self.init(backing: .memory(bytes), size: UInt64(bytes.count)) }

    /// Opens a regular file read-only.
    ///
    /// Wraps `open` and `fstat`. The open does not block (`O_NONBLOCK`), so a FIFO given as a wheel is refused
    /// instead of waiting forever for a writer; the flag is cleared once the file is known to be regular.
    package static func open(path: String) throws(OpenFailure) -> RandomAccessFile {
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .system(.current) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let failure = Errno.current
            close(fd)
            throw .system(failure)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .notRegularFile
        }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 else {
            let failure = Errno.current
            close(fd)
            throw .system(failure)
        }
        return RandomAccessFile(backing: .descriptor(fd), size: UInt64(info.st_size))
    }

    /// Reads up to `count` bytes at `offset`; fewer come back at the end of the file or on a read error.
    ///
    /// Wraps `pread`.
    package func read(at offset: UInt64, count: Int) -> [UInt8] {
        guard count > 0, offset < size else { return [] }
        let wanted = Int(min(UInt64(count), size - offset))
        var bytes = [UInt8](repeating: 0, count: wanted)
        let done = bytes.withUnsafeMutableBytes { read(at: offset, into: $0) }
        if done < wanted { bytes.removeLast(wanted - done) }
        return bytes
    }
}

extension RandomAccessFile {
    /// Fills `buffer` from `offset`; returns how many bytes were read (fewer at the end of the file or on a read error).
    ///
    /// Wraps `pread`, or copies from the bytes already read.
    func read(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, offset < size else { return 0 }
        let wanted = Int(min(UInt64(buffer.count), size - offset))
        switch backing {
        case .memory(let bytes):
            bytes.withUnsafeBytes { base.copyMemory(from: $0.baseAddress! + Int(offset), byteCount: wanted) }
            return wanted
        case .descriptor(let descriptor):
            var done = 0
            while done < wanted {
                let n = pread(descriptor, base + done, wanted - done, off_t(offset) + off_t(done))
                if n <= 0 { break }
                done += n
            }
            return done
        }
    }
}

/// Small reads that march forward through a file (local headers, data descriptors), served from one 64 KiB
/// buffer: a wheel of small files then costs one `pread` per window instead of two per entry.
///
/// Not `Sendable`: one per parse. Gives exactly what `RandomAccessFile.read(at:count:)` gives.
final class ReadWindow {
    static let size = 64 << 10

    private let file: RandomAccessFile
    private var bytes: [UInt8] = []
    private var start: UInt64 = 0

    init(file: RandomAccessFile) { self.file = file }

    /// Up to `count` bytes at `offset`; fewer at the end of the file or on a read error.
    package func read(at offset: UInt64, count: Int) -> [UInt8] {
        guard count > 0, count <= Self.size / 4 else { return file.read(at: offset, count: count) }
        if offset < start || offset.plus(UInt64(count)) > start + UInt64(bytes.count) {
            bytes = file.read(at: offset, count: Self.size)
            start = offset
        }
        let lower = Int(offset - start)
        return Array(bytes[lower..<min(lower + count, bytes.count)])
    }
}

/// Little-endian field access over a byte array, bounds-checked: a short record reads as `nil`, never traps.
struct LittleEndianBytes {
    let bytes: [UInt8]
    let base: Int

    init(_ bytes: [UInt8], at base: Int = 0) {
        self.bytes = bytes
        self.base = base
    }

    func u16(_ offset: Int) -> UInt16? {
        let i = base + offset
        guard i >= 0, i + 2 <= bytes.count else { return nil }
        return UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8
    }

    func u32(_ offset: Int) -> UInt32? {
        guard let low = u16(offset), let high = u16(offset + 2) else { return nil }
        return UInt32(low) | UInt32(high) << 16
    }

    func u64(_ offset: Int) -> UInt64? {
        guard let low = u32(offset), let high = u32(offset + 4) else { return nil }
        return UInt64(low) | UInt64(high) << 32
    }

    func slice(_ offset: Int, _ count: Int) -> [UInt8]? { subsequence(offset, count).map(Array.init) }

    /// `slice` without the copy.
    func subsequence(_ offset: Int, _ count: Int) -> ArraySlice<UInt8>? {
        let i = base + offset
        guard i >= 0, count >= 0, i + count <= bytes.count else { return nil }
        return bytes[i..<(i + count)]
    }
}
