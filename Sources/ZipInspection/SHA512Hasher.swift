import PurewheelBasics

/// The digests besides SHA-256 (SHA-384/512, SHA-3, BLAKE2) for RECORD rows and SBOM claims that use them: the
/// scanner's interface, computed by OpenSSL's EVP through `PurewheelBasics.StrongDigestHasher` (this module imports
/// OpenSSL nowhere).
struct SHA512Hasher {
    private var hasher: StrongDigestHasher

    init(_ algorithm: HashAlgorithm) {
        hasher = StrongDigestHasher(algorithm)
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bytes)
    }

    mutating func finalize() -> [UInt8] {
        hasher.finalize()
    }
}
