import PurewheelBasics

/// What reading one entry's content produced.
///
/// Held for every entry, so its fields are ordered to leave no padding (64 bytes), the digest inline and a failure (rare) boxed.
package struct EntryScan: Sendable, Hashable {
    /// Why the content could not be fully verified.
    package indirect enum Failure: Sendable, Hashable {
        /// The read failed mid-entry: CRC error, corrupt deflate stream, short data.
        case unreadable(cause: String)
        /// The entry inflated past its declared size; reading stopped there.
        case exceededDeclaredSize(readAtLeast: UInt64)
        /// The deflate stream ended with this many bytes of the entry's compressed size left over; the stream
        /// itself was decoded whole and its CRC matched.
        case bytesAfterStream(count: UInt64)
    }

    /// Whether every byte of the content was decoded and its CRC matched, so its hashes and size may be compared.
    package var isFullyDecoded: Bool {
        switch failure {
        case nil, .bytesAfterStream: return true
        case .unreadable, .exceededDeclaredSize: return false
        }
    }

    /// The uncompressed bytes seen.
    package var size: UInt64 = 0
    /// The digests besides SHA-256 that RECORD rows or SBOMs ask for.
    package var strongDigests: [HashAlgorithm: [UInt8]] = [:]
    package var failure: Failure?
    package var sha256: SHA256Digest?
    /// The native code format the content's first bytes show, if any.
    package var native: NativeFormat?

    /// A result; every field defaults to empty.
    package init(
        size: UInt64 = 0, strongDigests: [HashAlgorithm: [UInt8]] = [:], failure: Failure? = nil, sha256: SHA256Digest? = nil,
        native: NativeFormat? = nil
    ) {
        self.size = size
        self.strongDigests = strongDigests
        self.failure = failure
        self.sha256 = sha256
        self.native = native
    }
}
