/// One entry's compressed bytes, located by `ZipLayoutReader`: read with `pread` at the data offset of the
/// local header it verified, for the central directory's compressed size.
///
/// Held for every entry while the scan runs, so it carries no name (messages look the entry up by index) and
/// its wide fields come first, leaving no padding between them.
struct ContentJob: Sendable, Hashable {
    var index: Int
    var dataOffset: UInt64
    var compressedSize: UInt64
    var declaredSize: UInt64
    /// The central directory's CRC-32, compared with the CRC of the inflated bytes.
    var crc32: UInt32
    /// 0 (stored) or 8 (deflate); the checker queues no other method.
    var method: UInt16
    /// Those RECORD asks for; SHA-256 is always computed.
    var strongAlgorithms: StrongAlgorithms
}

/// Where an entry's uncompressed chunks go: straight into a digester on the same thread, or across a
/// `ChunkPipeline` to the hashing thread.
protocol ChunkSink: ~Copyable {
    /// The buffer to fill next (1 MiB); the same one until `emit` hands it on.
    mutating func nextBuffer() -> UnsafeMutableRawBufferPointer
    /// The first `count` bytes of the current buffer are ready.
    mutating func emit(_ count: Int)
}

/// Reads entries' compressed bytes from the file and inflates them, checking the CRC-32 against the central
/// directory and stopping as soon as an entry outgrows its declared size (a bomb is never inflated further).
///
/// Not `Sendable`: one streamer per thread, with its own decoder and 1 MiB input buffer.
final class EntryStreamer {
    /// Bytes read from the file, and written out, per step.
    static let chunkSize = 1 << 20

    /// Entries whose compressed bytes are at most this long are served from `window`.
    static let smallEntryLimit = 32 << 10
    /// Bytes read at once for small entries: a wheel of small files costs one `pread` per window, not one per entry.
    static let windowSize = 256 << 10

    private let file: RandomAccessFile
    private let inflater: Inflater
    private let input: UnsafeMutableRawBufferPointer
    private let window: UnsafeMutableRawBufferPointer
    /// The file range `window` holds: `windowStart..<windowStart + windowCount`.
    private var windowStart: UInt64 = 0
    private var windowCount = 0

    /// `nil` when the decoder cannot be allocated.
    init?(file: RandomAccessFile) {
        guard let inflater = Inflater() else { return nil }
        self.file = file
        self.inflater = inflater
        // Sized to the file: a folder of small wheels would otherwise allocate and free these per wheel at sizes
        // glibc serves from its heap, where they fragment it around each wheel's longer-lived values.
        input = .allocate(byteCount: Self.bufferSize(Self.chunkSize, atMost: file.size), alignment: 64)
        window = .allocate(byteCount: Self.bufferSize(Self.windowSize, atMost: file.size), alignment: 64)
    }

    /// `size`, or less when `limit` bytes are all there is to hold (at least one byte).
    static func bufferSize(_ size: Int, atMost limit: UInt64) -> Int { max(1, Int(min(UInt64(size), limit))) }

    deinit {
        input.deallocate()
        window.deallocate()
    }

    /// The bytes `offset..<offset + count` of a small entry, read with the bytes after them when the window does not hold them yet;
    /// fewer than `count` at the end of the file.
    private func windowed(at offset: UInt64, count: Int) -> UnsafeRawBufferPointer {
        if offset < windowStart || offset.plus(UInt64(count)) > windowStart + UInt64(windowCount) {
            windowStart = offset
            windowCount = file.read(at: offset, into: window)
        }
        let start = Int(offset - windowStart)
        return UnsafeRawBufferPointer(rebasing: window[start..<min(start + count, windowCount)])
    }

    /// Streams one entry into `sink`; returns the uncompressed bytes seen and why the entry could not be
    /// verified, if it could not.
    func stream<Sink: ChunkSink & ~Copyable>(_ job: ContentJob, into sink: inout Sink) -> (size: UInt64, failure: EntryScan.Failure?) {
        let (size, crc, failure) = job.method == 0 ? copyStored(job, into: &sink) : inflate(job, into: &sink)
        let decodedWhole = if case .bytesAfterStream = failure { true } else { failure == nil }
        if decodedWhole, crc != job.crc32 {
            return (
                size, .unreadable(cause: "CRC error: the data's CRC-32 is \(hex32(crc)), the central directory says \(hex32(job.crc32))")
            )
        }
        return (size, failure)
    }

    private func copyStored<Sink: ChunkSink & ~Copyable>(_ job: ContentJob, into sink: inout Sink) -> (UInt64, UInt32, EntryScan.Failure?) {
        var offset = job.dataOffset
        var remaining = job.compressedSize
        var size: UInt64 = 0
        var crc: UInt32 = 0
        while remaining > 0 {
            let buffer = sink.nextBuffer()
            let wanted = Int(min(UInt64(buffer.count), remaining))
            let count: Int
            if job.compressedSize <= UInt64(Self.smallEntryLimit) {
                let bytes = windowed(at: offset, count: wanted)
                if let base = bytes.baseAddress, let target = buffer.baseAddress { target.copyMemory(from: base, byteCount: bytes.count) }
                count = bytes.count
            } else {
                count = file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]))
            }
            guard count > 0 else { return (size, crc, .unreadable(cause: "the file ends inside the entry's data")) }
            size += UInt64(count)
            guard size <= job.declaredSize else { return (size, crc, .exceededDeclaredSize(readAtLeast: size)) }
            crc = Inflater.crc32(crc, UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            sink.emit(count)
            offset += UInt64(count)
            remaining -= UInt64(count)
        }
        return (size, crc, nil)
    }

    private func inflate<Sink: ChunkSink & ~Copyable>(_ job: ContentJob, into sink: inout Sink) -> (UInt64, UInt32, EntryScan.Failure?) {
        inflater.reset()
        var offset = job.dataOffset
        var remaining = job.compressedSize
        var pending = 0..<0
        // A small entry is inflated straight from the window; a large one through `input`, 1 MiB at a time.
        var source = UnsafeRawBufferPointer(input)
        var output = sink.nextBuffer()
        var filled = 0
        var size: UInt64 = 0
        while true {
            if pending.isEmpty, remaining > 0 {
                let count: Int
                if job.compressedSize <= UInt64(Self.smallEntryLimit) {
                    source = windowed(at: offset, count: Int(remaining))
                    count = source.count
                } else {
                    count = file.read(
                        at: offset, into: UnsafeMutableRawBufferPointer(rebasing: input[0..<Int(min(UInt64(input.count), remaining))]))
                }
                guard count > 0 else { return (size, 0, .unreadable(cause: "the file ends inside the entry's compressed data")) }
                offset += UInt64(count)
                remaining -= UInt64(count)
                pending = 0..<count
            }
            let step = inflater.inflate(
                UnsafeRawBufferPointer(rebasing: source[pending]), into: UnsafeMutableRawBufferPointer(rebasing: output[filled...]))
            pending = pending.lowerBound + step.consumed..<pending.upperBound
            filled += step.produced
            // Checked before the chunk is handed on: a bomb is stopped within one chunk of its declared size.
            guard size + UInt64(filled) <= job.declaredSize else {
                return (size + UInt64(filled), 0, .exceededDeclaredSize(readAtLeast: size + UInt64(filled)))
            }
            switch step.outcome {
            case .failed(let code):
                return (size, 0, .unreadable(cause: "invalid deflate data (\(Inflater.libraryName) error \(code))"))
            case .finished:
                if filled > 0 { sink.emit(filled) }
                // Compressed bytes the stream did not use: readers that trust the sizes and readers that follow
                // the stream see different entries, and the bytes can carry anything (APPNOTE §4.3.8).
                let left = UInt64(pending.count) + remaining
                return (size + UInt64(filled), inflater.crc32, left > 0 ? .bytesAfterStream(count: left) : nil)
            case .progressing:
                if filled == output.count {
                    sink.emit(filled)
                    size += UInt64(filled)
                    output = sink.nextBuffer()
                    filled = 0
                } else if step.consumed == 0, step.produced == 0, pending.isEmpty, remaining == 0 {
                    return (size + UInt64(filled), 0, .unreadable(cause: "the compressed data ends before the deflate stream does"))
                } else if step.consumed == 0, step.produced == 0, !pending.isEmpty {
                    return (size + UInt64(filled), 0, .unreadable(cause: "the deflate decoder made no progress"))
                }
            }
        }
    }
}

/// The sink for entries read and hashed on one thread: one reusable 1 MiB buffer and a digester.
struct DirectSink: ChunkSink, ~Copyable {
    private let buffer: UnsafeMutableRawBufferPointer
    /// Called after each chunk is hashed: the hashing thread gives its time to the pipelined entry there.
    private let afterEachChunk: () -> Void
    var digester: EntryDigester

    init(buffer: UnsafeMutableRawBufferPointer, strongAlgorithms: StrongAlgorithms, afterEachChunk: @escaping () -> Void) {
        self.buffer = buffer
        self.afterEachChunk = afterEachChunk
        digester = EntryDigester(strongAlgorithms: strongAlgorithms)
    }

    func nextBuffer() -> UnsafeMutableRawBufferPointer { buffer }

    mutating func emit(_ count: Int) {
        digester.consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        afterEachChunk()
    }
}
