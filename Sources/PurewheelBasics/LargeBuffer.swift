import Glibc

/// Memory for buffers of megabytes, mapped straight from the kernel on 2 MiB boundaries with transparent huge pages asked for
/// (`madvise(MADV_HUGEPAGE)`).
///
/// A fresh process otherwise takes one page fault per 4 KiB the first time it writes such a buffer: reading the 7.5 MB ml-metadata wheel
/// into `malloc`ed memory took 6 ms here, into huge pages 2 ms. Where the kernel gives no huge pages (THP off), this is plain `mmap`.
/// Below `hugePageSize`, `malloc` serves as well, and is used.
public enum LargeBuffer {
    /// The size of a huge page on x86-64 and arm64 (4 KiB base pages).
    public static let hugePageSize = 2 << 20

    /// A buffer of `byteCount` bytes, 16-byte aligned at least; `nil` when the memory cannot be had.
    ///
    /// Give it back with `deallocate` and the same `byteCount`.
    public static func allocate(byteCount: Int) -> UnsafeMutableRawBufferPointer? {
        guard byteCount >= hugePageSize else { return .allocate(byteCount: max(1, byteCount), alignment: 16) }
        let length = mappedLength(byteCount)
        // One huge page more, so that a boundary can be chosen inside; the slack on both sides is unmapped.
        guard let raw = mmap(nil, length + hugePageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            raw != MAP_FAILED
        else { return nil }
        let address = UInt(bitPattern: raw)
        let aligned = (address + UInt(hugePageSize) - 1) & ~(UInt(hugePageSize) - 1)
        let head = Int(aligned - address)
        if head > 0 { munmap(raw, head) }
        let start = raw + head
        let tail = hugePageSize - head
        if tail > 0 { munmap(start + length, tail) }
        // Only advice: without it, or with THP off, the memory is the same, in 4 KiB pages.
        _ = madvise(start, length, MADV_HUGEPAGE)
        return UnsafeMutableRawBufferPointer(start: start, count: byteCount)
    }

    /// Gives back a buffer from `allocate`.
    public static func deallocate(_ buffer: UnsafeMutableRawBufferPointer) {
        guard buffer.count >= hugePageSize else { return buffer.deallocate() }
        munmap(buffer.baseAddress, mappedLength(buffer.count))
    }

    /// `byteCount` rounded up to whole huge pages.
    private static func mappedLength(_ byteCount: Int) -> Int { (byteCount + hugePageSize - 1) / hugePageSize * hugePageSize }
}
