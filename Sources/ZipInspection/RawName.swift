import Glibc

/// An entry name's bytes as the archive stores them, lent without a copy.
///
/// Held as the name's `String` when the bytes are UTF-8 (its UTF-8 is them), else as the bytes themselves. As
/// a hash key it is hashed as one block of bytes (not byte by byte as `[UInt8]` is) and equal exactly when the
/// bytes are.
package struct RawName: Hashable {
    private enum Storage {
        /// A name whose bytes are valid UTF-8.
        case text(String)
        case bytes([UInt8])
    }

    private let storage: Storage

    package init(bytes: [UInt8]) { storage = .bytes(bytes) }

    /// The bytes of `name`, or `undecoded` where they are not UTF-8 (`name` then has replacement characters).
    package init(name: String, undecoded: [UInt8], isValidUTF8: Bool) { storage = isValidUTF8 ? .text(name) : .bytes(undecoded) }

    /// Calls `body` with the bytes.
    package func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        switch storage {
        case .text(let text):
            // Swift's own strings are always contiguous UTF-8; only a string bridged from elsewhere would be copied.
            text.utf8.withContiguousStorageIfAvailable(body) ?? Array(text.utf8).withUnsafeBufferPointer(body)
        case .bytes(let bytes):
            bytes.withUnsafeBufferPointer(body)
        }
    }

    package func hash(into hasher: inout Hasher) { withBytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) } }

    /// Compares lengths, then the bytes with `memcmp`: a dictionary's probe compares a key with every entry in its
    /// way, and the names of one wheel often share their length and a long prefix.
    package static func == (lhs: RawName, rhs: RawName) -> Bool {
        lhs.withBytes { left in
            rhs.withBytes { right in
                guard left.count == right.count, let leftBytes = left.baseAddress, let rightBytes = right.baseAddress else {
                    return left.count == right.count
                }
                return memcmp(leftBytes, rightBytes, left.count) == 0
            }
        }
    }
}
