import PurewheelBasics

/// The hashes besides SHA-256 that RECORD (or an SBOM) may ask for, which the content scan then computes: a bit
/// each, so every job of a wheel of 100,000 files carries them in one byte rather than a set of algorithms.
package struct StrongAlgorithms: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8

    static let sha384 = StrongAlgorithms(.sha384)
    static let sha512 = StrongAlgorithms(.sha512)

    /// Each algorithm with its bit, in the order the digests are computed.
    static let members: [(bit: StrongAlgorithms, algorithm: HashAlgorithm)] = HashAlgorithm.strongBesidesSHA256.enumerated().map {
        (StrongAlgorithms(rawValue: 1 << UInt8($0.offset)), $0.element)
    }

    package init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The set holding only `algorithm`; empty for SHA-256, which is always computed, and for the weak algorithms,
    /// which never are.
    package init(_ algorithm: HashAlgorithm) {
        rawValue = Self.members.first { $0.algorithm == algorithm }?.bit.rawValue ?? 0
    }
}
