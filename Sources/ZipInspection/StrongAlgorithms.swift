import PurewheelBasics

/// The hashes besides SHA-256 that RECORD (or an SBOM) may ask for, which the content scan then computes: a bit
/// each, so every job of a wheel of 100,000 files carries them in one byte rather than a set of names.
package struct StrongAlgorithms: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8

    static let sha384 = StrongAlgorithms(.sha384)
    static let sha512 = StrongAlgorithms(.sha512)

    /// Each algorithm with RECORD's name for it, in the order the digests are computed.
    static let named: [(algorithm: StrongAlgorithms, name: String, variant: HashAlgorithm)] = HashAlgorithm.allCases.map {
        (StrongAlgorithms($0), $0.rawValue, $0)
    }

    package init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The set holding only `algorithm`.
    package init(_ algorithm: HashAlgorithm) {
        let position = HashAlgorithm.allCases.firstIndex(of: algorithm) ?? 0
        rawValue = 1 << UInt8(position)
    }

    /// The algorithm RECORD calls `name`; `nil` for SHA-256 and every other name.
    package init?(recordName name: String) {
        guard let algorithm = HashAlgorithm(rawValue: name) else { return nil }
        self.init(algorithm)
    }
}
