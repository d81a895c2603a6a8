private import CIsal

/// Raw deflate (zip method 8) through ISA-L's `isal_inflate`, which also computes the CRC-32 of the output in the same pass, so a zip
/// CRC costs nothing extra.
///
/// About twice as fast as zlib on real wheels.
///
/// Not `Sendable`: one decoder belongs to one thread. The C state is allocated once and reset per entry.
final class Inflater {
    /// The library doing the work, for messages and the bench.
    static let libraryName = "ISA-L"

    private let state: UnsafeMutablePointer<inflate_state>

    /// Allocates a decoder; `nil` when memory runs out.
    ///
    /// Wraps `isal_inflate_init`.
    init?() {
        guard let state = pw_isal_new() else { return nil }
        self.state = state
    }

    deinit { free(state) }

    /// Starts a new stream.
    ///
    /// Wraps `isal_inflate_reset`.
    func reset() { pw_isal_reset(state) }

    /// Decodes from `input` into `output`.
    ///
    /// Wraps `isal_inflate`.
    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> InflateStep {
        var consumed: UInt32 = 0
        var produced: UInt32 = 0
        let status = pw_isal_inflate(
            state, input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(input.count),
            output.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(output.count), &consumed, &produced)
        let outcome: InflateStep.Outcome = status == 1 ? .finished : status == 0 ? .progressing : .failed(code: status)
        return InflateStep(consumed: Int(consumed), produced: Int(produced), outcome: outcome)
    }

    /// The CRC-32 of everything decoded since `reset`; final once the stream has finished.
    var crc32: UInt32 { pw_isal_crc(state) }

    /// The zip CRC-32 of `bytes`, continuing from `crc`.
    ///
    /// Wraps `crc32_gzip_refl`.
    static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        pw_isal_crc32(crc, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
    }
}
