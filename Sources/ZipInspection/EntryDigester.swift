import PurewheelBasics

/// Everything computed over an entry's uncompressed bytes.
///
/// SHA-256 (always), SHA-384/512 when RECORD asks for them, and the first bytes for native-code sniffing.
/// Runs on whichever thread consumes the chunks.
struct EntryDigester: ~Copyable {
    private var sha256 = SHA256Hasher()
    private var strong: [(algorithm: HashAlgorithm, hasher: SHA512Hasher)]
    private var prefix = [UInt8]()
    /// Whether the first byte already rules out every format `NativeFormat.detect` knows, so no prefix is kept.
    private var cannotBeNative = false
    private var isFirstChunk = true
    /// Bytes consumed before the current chunk.
    private var position: UInt64 = 0
    /// For an ELF file, once its program headers are read: where its dynamic section is (`nil` inside: nowhere to look).
    private var dynamicRange: Range<UInt64>??
    /// The dynamic section's bytes captured so far, from `dynamicRange`'s start.
    private var dynamic = [UInt8]()

    /// - Parameter strongAlgorithms: the hashes computed besides SHA-256.
    init(strongAlgorithms: StrongAlgorithms) {
        strong = StrongAlgorithms.members.filter { strongAlgorithms.contains($0.bit) }.map { ($0.algorithm, SHA512Hasher($0.algorithm)) }
    }

    /// Adds the next chunk of uncompressed bytes.
    mutating func consume(_ chunk: UnsafeRawBufferPointer) {
        sha256.update(chunk)
        for index in strong.indices { strong[index].hasher.update(chunk) }
        if isFirstChunk, let first = chunk.first {
            isFirstChunk = false
            cannotBeNative = !NativeFormat.firstBytes.contains(first)
        }
        defer { position += UInt64(chunk.count) }
        if cannotBeNative { return }
        // A PE header may sit past the first 4 KiB, so files starting with `MZ` keep more.
        let wanted = prefix.starts(with: [0x4D, 0x5A]) ? NativeFormat.extendedPrefixLength : NativeFormat.prefixLength
        if prefix.count < wanted { prefix.append(contentsOf: chunk.prefix(wanted - prefix.count)) }
        if prefix.count == NativeFormat.prefixLength, prefix.starts(with: [0x4D, 0x5A]), chunk.count > NativeFormat.prefixLength {
            prefix.append(contentsOf: chunk[NativeFormat.prefixLength..<min(chunk.count, NativeFormat.extendedPrefixLength)])
        }
        captureDynamicSection(chunk)
    }

    /// Keeps the bytes of an ELF file's dynamic section, which may lie anywhere in the file, as they stream past.
    ///
    /// The section's place is known once the prefix is complete: the bytes before that are in the prefix, the rest
    /// in this chunk and the ones after it.
    private mutating func captureDynamicSection(_ chunk: UnsafeRawBufferPointer) {
        if dynamicRange == nil {
            guard prefix.count >= NativeFormat.prefixLength, prefix.starts(with: [0x7F, 0x45, 0x4C, 0x46]) else { return }
            let range = ELFImage.dynamicRange(prefix)
            dynamicRange = .some(range)
            guard range != nil else { return }
            prefix.withUnsafeBytes { append($0, at: 0) }
            let kept = UInt64(prefix.count)
            if position <= kept, position + UInt64(chunk.count) > kept {
                append(UnsafeRawBufferPointer(rebasing: chunk[Int(kept - position)...]), at: kept)
            }
        } else if case .some(.some) = dynamicRange {
            append(chunk, at: position)
        }
    }

    /// Appends the part of `bytes` (at file offset `start`) that continues the dynamic section captured so far.
    private mutating func append(_ bytes: UnsafeRawBufferPointer, at start: UInt64) {
        guard case .some(.some(let range)) = dynamicRange else { return }
        let next = range.lowerBound + UInt64(dynamic.count)
        let end = min(range.upperBound, start + UInt64(bytes.count))
        guard next >= start, next < end else { return }
        dynamic.append(contentsOf: bytes[Int(next - start)..<Int(end - start)])
    }

    /// What the bytes seen are; the dynamic section captured while streaming, if its place was known by then.
    private func nativeFormat() -> NativeFormat? {
        guard case .some(.some) = dynamicRange else { return NativeFormat.detect(prefix) }
        return NativeFormat.detect(prefix, elfDynamic: dynamic)
    }

    /// The scan result, with the size and failure the inflating side found.
    consuming func finish(size: UInt64, failure: EntryScan.Failure?) -> EntryScan {
        let native = nativeFormat()
        var result = EntryScan(size: size, failure: failure, sha256: sha256.finalize(), native: native)
        for (algorithm, hasher) in strong {
            var hasher = hasher
            result.strongDigests[algorithm] = hasher.finalize()
        }
        return result
    }
}
