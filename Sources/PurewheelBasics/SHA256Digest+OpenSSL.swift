private import CCrypto

/// Incremental SHA-256 over OpenSSL's EVP interface, so large entries can be hashed while they stream.
///
/// The EVP context is private and freed when the hasher goes away; only `SHA256Digest` values leave it.
public struct SHA256Hasher: ~Copyable {
    private let context: OpaquePointer

    /// Starts a new digest.
    ///
    /// Wraps `EVP_MD_CTX_new` and `EVP_DigestInit_ex`.
    public init() {
        // Allocation failure of a few hundred bytes is not recoverable; OpenSSL aborts in that case too.
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: out of memory") }
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Feeds bytes.
    ///
    /// Wraps `EVP_DigestUpdate`.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds bytes from a buffer that stays owned by the caller.
    ///
    /// Wraps `EVP_DigestUpdate`.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        EVP_DigestUpdate(context, base, buffer.count)
    }

    /// Ends the digest.
    ///
    /// Wraps `EVP_DigestFinal_ex`.
    public consuming func finalize() -> SHA256Digest {
        var length: UInt32 = 0
        return SHA256Digest { _ = EVP_DigestFinal_ex(context, $0.bindMemory(to: UInt8.self).baseAddress, &length) }
    }
}

/// Incremental SHA-384 or SHA-512 over OpenSSL's EVP interface, for RECORD rows that name a stronger hash than SHA-256.
///
/// A value type: a copy made mid-stream continues on its own duplicate of the EVP context (`EVP_MD_CTX_copy_ex`), so copies never share
/// state.
public struct StrongDigestHasher {
    /// Which member of the SHA-2 family.
    public enum Algorithm: Sendable, Hashable {
        /// SHA-384, 48-byte digest.
        case sha384
        /// SHA-512, 64-byte digest.
        case sha512
    }

    private var context: EVPContext

    /// Starts a digest.
    ///
    /// Wraps `EVP_MD_CTX_new` and `EVP_DigestInit_ex`.
    public init(_ algorithm: Algorithm) {
        context = EVPContext(algorithm)
    }

    /// Feeds bytes from a buffer that stays owned by the caller.
    ///
    /// Wraps `EVP_DigestUpdate`.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        if !isKnownUniquelyReferenced(&context) { context = context.duplicate() }
        EVP_DigestUpdate(context.pointer, base, buffer.count)
    }

    /// Ends the digest and returns its bytes; the hasher then starts over empty.
    ///
    /// Wraps `EVP_DigestFinal_ex`.
    public mutating func finalize() -> [UInt8] {
        if !isKnownUniquelyReferenced(&context) { context = context.duplicate() }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        out.withUnsafeMutableBufferPointer { _ = EVP_DigestFinal_ex(context.pointer, $0.baseAddress, &length) }
        context = EVPContext(context.algorithm)
        return Array(out.prefix(Int(length)))
    }
}

/// Owns one `EVP_MD_CTX`; freed with the last reference.
private final class EVPContext {
    let pointer: OpaquePointer
    let algorithm: StrongDigestHasher.Algorithm

    init(_ algorithm: StrongDigestHasher.Algorithm) {
        // Allocation failure of a few hundred bytes is not recoverable; OpenSSL aborts in that case too.
        guard let pointer = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: out of memory") }
        EVP_DigestInit_ex(pointer, algorithm == .sha384 ? EVP_sha384() : EVP_sha512(), nil)
        self.pointer = pointer
        self.algorithm = algorithm
    }

    private init(copying other: EVPContext) {
        guard let pointer = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: out of memory") }
        EVP_MD_CTX_copy_ex(pointer, other.pointer)
        self.pointer = pointer
        self.algorithm = other.algorithm
    }

    deinit { EVP_MD_CTX_free(pointer) }

    /// An independent copy of the context mid-stream.
    ///
    /// Wraps `EVP_MD_CTX_copy_ex`.
    func duplicate() -> EVPContext { EVPContext(copying: self) }
}
