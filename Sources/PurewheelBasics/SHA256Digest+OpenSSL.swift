private import CCrypto

/// Incremental SHA-256 over OpenSSL's EVP interface, so large entries can be hashed while they stream.
///
/// The EVP context is private and freed when the hasher goes away; only `SHA256Digest` values leave it.
public struct SHA256Hasher: ~Copyable {
    private let context: OpaquePointer

    /// Starts a new digest. Wraps `EVP_MD_CTX_new` and `EVP_DigestInit_ex`.
    public init() {
        // Allocation failure of a few hundred bytes is not recoverable; OpenSSL aborts in that case too.
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: out of memory") }
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Feeds bytes. Wraps `EVP_DigestUpdate`.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds bytes from a buffer that stays owned by the caller. Wraps `EVP_DigestUpdate`.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        EVP_DigestUpdate(context, base, buffer.count)
    }

    /// Ends the digest. Wraps `EVP_DigestFinal_ex`.
    public consuming func finalize() -> SHA256Digest {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        out.withUnsafeMutableBufferPointer { _ = EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        return SHA256Digest(finalizedBytes: out)
    }
}
