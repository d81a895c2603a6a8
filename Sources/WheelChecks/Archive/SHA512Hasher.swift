import PurewheelBasics

/// SHA-384 and SHA-512 (FIPS 180-4) for RECORD rows that use a stronger hash than SHA-256: the scanner's
/// interface, computed by OpenSSL's EVP through `PurewheelBasics.StrongDigestHasher` (WheelChecks imports no
/// C module itself).
struct SHA512Hasher {
    /// Which member of the family.
    enum Variant: Sendable {
        case sha384, sha512
    }

    private var hasher: StrongDigestHasher

    init(_ variant: Variant) {
        hasher = StrongDigestHasher(variant == .sha384 ? .sha384 : .sha512)
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bytes)
    }

    mutating func finalize() -> [UInt8] {
        hasher.finalize()
    }
}
