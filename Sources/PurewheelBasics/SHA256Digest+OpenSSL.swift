private import CCrypto

/// Incremental SHA-256 over OpenSSL's `SHA256_*` functions, so large entries can be hashed while they stream.
///
/// Not the EVP interface: its first use fetches the default provider's methods and reads OpenSSL's configuration
/// file, a start-up cost every `check` would pay, while `SHA256_*` runs the same assembly (SHA extensions where the
/// CPU has them) with no set-up. The context is private and freed when the hasher goes away; only `SHA256Digest`
/// values leave it.
public struct SHA256Hasher: ~Copyable {
    private let context: UnsafeMutableRawPointer

    /// Starts a new digest.
    ///
    /// Wraps `SHA256_Init`.
    public init() {
        context = UnsafeMutableRawPointer.allocate(
            byteCount: MemoryLayout<SHA256_CTX>.size, alignment: MemoryLayout<SHA256_CTX>.alignment)
        SHA256_Init(context.bindMemory(to: SHA256_CTX.self, capacity: 1))
    }

    deinit { context.deallocate() }

    /// Feeds bytes.
    ///
    /// Wraps `SHA256_Update`.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds bytes from a buffer that stays owned by the caller.
    ///
    /// Wraps `SHA256_Update`.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        SHA256_Update(context.assumingMemoryBound(to: SHA256_CTX.self), base, buffer.count)
    }

    /// Ends the digest.
    ///
    /// Wraps `SHA256_Final`.
    public consuming func finalize() -> SHA256Digest {
        SHA256Digest { _ = SHA256_Final($0.bindMemory(to: UInt8.self).baseAddress, context.assumingMemoryBound(to: SHA256_CTX.self)) }
    }
}

extension HashAlgorithm {
    /// Whether this OpenSSL can compute the algorithm (a FIPS-only configuration may lack BLAKE2 or SHA-3).
    ///
    /// Wraps `EVP_MD_CTX_new` and `EVP_DigestInit_ex`.
    public var isAvailable: Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        return EVP_DigestInit_ex(context, evpDigest, nil) == 1
    }

    /// The EVP method; kept private so no C type leaves this file.
    fileprivate var evpDigest: OpaquePointer? {
        switch self {
        case .md5: return EVP_md5()
        case .sha1: return EVP_sha1()
        case .sha224: return EVP_sha224()
        case .sha256: return EVP_sha256()
        case .sha3x224: return EVP_sha3_224()
        case .sha384: return EVP_sha384()
        case .sha512: return EVP_sha512()
        case .sha3x256: return EVP_sha3_256()
        case .sha3x384: return EVP_sha3_384()
        case .sha3x512: return EVP_sha3_512()
        case .blake2b: return EVP_blake2b512()
        case .blake2s: return EVP_blake2s256()
        }
    }
}

/// Incremental digest in one of the `HashAlgorithm`s over OpenSSL's EVP interface, for RECORD rows that name
/// another hash than SHA-256.
///
/// A value type: a copy made mid-stream continues on its own duplicate of the EVP context (`EVP_MD_CTX_copy_ex`), so copies never share
/// state.
public struct StrongDigestHasher {
    /// The algorithms it computes.
    public typealias Algorithm = HashAlgorithm

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

    /// Ends the digest and returns its bytes (empty when this OpenSSL lacks the algorithm, see
    /// `HashAlgorithm.isAvailable`); the hasher then starts over empty.
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
        // A failed init (algorithm missing from this OpenSSL) leaves the context unusable: finalizing then
        // yields no bytes, which never equals a digest, so the file is not let through.
        EVP_DigestInit_ex(pointer, algorithm.evpDigest, nil)
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
