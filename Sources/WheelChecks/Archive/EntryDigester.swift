import PurewheelBasics

/// Everything computed over an entry's uncompressed bytes.
///
/// SHA-256 (always), SHA-384/512 when RECORD asks for them, and the first bytes for native-code sniffing.
/// Runs on whichever thread consumes the chunks.
struct EntryDigester: ~Copyable {
    private var sha256 = SHA256Hasher()
    private var strong: [(name: String, hasher: SHA512Hasher)]
    private var prefix = [UInt8]()
    /// Whether the first byte already rules out every format `NativeFormat.detect` knows, so no prefix is kept.
    private var cannotBeNative = false
    private var isFirstChunk = true

    /// - Parameter strongAlgorithms: the hashes computed besides SHA-256.
    init(strongAlgorithms: StrongAlgorithms) {
        strong = StrongAlgorithms.named.filter { strongAlgorithms.contains($0.algorithm) }.map { ($0.name, SHA512Hasher($0.variant)) }
    }

    /// Adds the next chunk of uncompressed bytes.
    mutating func consume(_ chunk: UnsafeRawBufferPointer) {
        sha256.update(chunk)
        for index in strong.indices { strong[index].hasher.update(chunk) }
        if isFirstChunk, let first = chunk.first {
            isFirstChunk = false
            cannotBeNative = !NativeFormat.firstBytes.contains(first)
        }
        if cannotBeNative { return }
        // A PE header may sit past the first 4 KiB, so files starting with `MZ` keep more.
        let wanted = prefix.starts(with: [0x4D, 0x5A]) ? NativeFormat.extendedPrefixLength : NativeFormat.prefixLength
        if prefix.count < wanted { prefix.append(contentsOf: chunk.prefix(wanted - prefix.count)) }
        if prefix.count == NativeFormat.prefixLength, prefix.starts(with: [0x4D, 0x5A]), chunk.count > NativeFormat.prefixLength {
            prefix.append(contentsOf: chunk[NativeFormat.prefixLength..<min(chunk.count, NativeFormat.extendedPrefixLength)])
        }
    }

    /// The scan result, with the size and failure the inflating side found.
    consuming func finish(size: UInt64, failure: EntryScan.Failure?) -> EntryScan {
        var result = EntryScan(size: size, failure: failure, sha256: sha256.finalize(), native: NativeFormat.detect(prefix))
        for (name, hasher) in strong {
            var hasher = hasher
            result.strongDigests[name] = hasher.finalize()
        }
        return result
    }
}
