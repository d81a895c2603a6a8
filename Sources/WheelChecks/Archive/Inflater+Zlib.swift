#if !canImport(CIsal)
    private import CZlib

    /// Raw deflate (zip method 8) through zlib, the fallback where ISA-L was not installed at build time.
    ///
    /// zlib computes no CRC in raw mode, so it is computed over each output chunk here.
    ///
    /// Not `Sendable`: one decoder belongs to one thread. The C state is allocated once and reset per entry.
    final class Inflater {
        /// The library doing the work, for messages and the bench.
        static let libraryName = "zlib"

        private let stream: UnsafeMutablePointer<z_stream>
        private var crc: UInt32 = 0

        /// Allocates a decoder; `nil` when memory runs out.
        ///
        /// Wraps `inflateInit2` (raw deflate, 32 KiB window).
        init?() {
            guard let stream = pw_zlib_new() else { return nil }
            self.stream = stream
        }

        deinit { pw_zlib_free(stream) }

        /// Starts a new stream.
        ///
        /// Wraps `inflateReset`.
        func reset() {
            pw_zlib_reset(stream)
            crc = 0
        }

        /// Decodes from `input` into `output`.
        ///
        /// Wraps `inflate`.
        func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> InflateStep {
            var consumed: UInt32 = 0
            var produced: UInt32 = 0
            let status = pw_zlib_inflate(
                stream, input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(input.count),
                output.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(output.count), &consumed, &produced)
            crc = Self.crc32(crc, UnsafeRawBufferPointer(rebasing: output[0..<Int(produced)]))
            let outcome: InflateStep.Outcome = status == 1 ? .finished : status == 0 ? .progressing : .failed(code: status)
            return InflateStep(consumed: Int(consumed), produced: Int(produced), outcome: outcome)
        }

        /// The CRC-32 of everything decoded since `reset`.
        var crc32: UInt32 { crc }

        /// The zip CRC-32 of `bytes`, continuing from `crc`.
        ///
        /// Wraps `crc32`.
        static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
            pw_zlib_crc32(crc, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
        }
    }
#endif
