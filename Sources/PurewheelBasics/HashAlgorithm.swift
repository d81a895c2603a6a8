/// A hash algorithm a RECORD row (or an SBOM) may name, by the name Python's `hashlib` gives it.
///
/// RECORD may use any `hashlib.algorithms_guaranteed` algorithm but md5 and sha1 (binary distribution format, "The
/// RECORD file"); sha224 and sha3_224 are allowed there but weaker than the "sha256 or better" it asks for. SHA-3
/// cases read `sha3x256` for `sha3_256` (Swift case names carry no underscore); the raw values are RECORD's names.
public enum HashAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// SHA-256 (FIPS 180-4), 32-byte digest: what nearly every RECORD row uses.
    case sha256
    /// SHA-384 (FIPS 180-4), 48-byte digest.
    case sha384
    /// SHA-512 (FIPS 180-4), 64-byte digest.
    case sha512
    /// SHA3-256 (FIPS 202), 32-byte digest.
    case sha3x256 = "sha3_256"
    /// SHA3-384 (FIPS 202), 48-byte digest.
    case sha3x384 = "sha3_384"
    /// SHA3-512 (FIPS 202), 64-byte digest.
    case sha3x512 = "sha3_512"
    /// BLAKE2b with `hashlib`'s default 64-byte digest (RFC 7693).
    case blake2b
    /// BLAKE2s with `hashlib`'s default 32-byte digest (RFC 7693).
    case blake2s
    /// MD5 (RFC 1321): forbidden in RECORD.
    case md5
    /// SHA-1 (FIPS 180-4): forbidden in RECORD.
    case sha1
    /// SHA-224 (FIPS 180-4): weaker than SHA-256.
    case sha224
    /// SHA3-224 (FIPS 202): weaker than SHA-256.
    case sha3x224 = "sha3_224"

    /// Whether the wheel spec forbids the algorithm or it is weaker than SHA-256.
    public var isWeak: Bool {
        switch self {
        case .md5, .sha1, .sha224, .sha3x224: return true
        case .sha256, .sha384, .sha512, .sha3x256, .sha3x384, .sha3x512, .blake2b, .blake2s: return false
        }
    }

    /// The strong algorithms other than SHA-256, which a reader computes only when RECORD or an SBOM asks for them.
    public static let strongBesidesSHA256: [HashAlgorithm] = allCases.filter { !$0.isWeak && $0 != .sha256 }

    /// The digest length in bytes.
    public var digestLength: Int {
        switch self {
        case .md5: return 16
        case .sha1: return 20
        case .sha224, .sha3x224: return 28
        case .sha256, .sha3x256, .blake2s: return 32
        case .sha384, .sha3x384: return 48
        case .sha512, .sha3x512, .blake2b: return 64
        }
    }
}
