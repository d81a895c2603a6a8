/// The hashes besides SHA-256 that RECORD may ask for, which the content scan then computes: a bit each, so
/// every job of a wheel of 100,000 files carries them in one byte rather than a set of names.
struct StrongAlgorithms: OptionSet, Sendable, Hashable {
    let rawValue: UInt8

    static let sha384 = StrongAlgorithms(rawValue: 1 << 0)
    static let sha512 = StrongAlgorithms(rawValue: 1 << 1)

    /// Each algorithm with RECORD's name for it, in the order the digests are computed.
    static let named: [(algorithm: StrongAlgorithms, name: String, variant: SHA512Hasher.Variant)] = [
        (.sha384, "sha384", .sha384), (.sha512, "sha512", .sha512),
    ]

    init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The algorithm RECORD calls `name`; `nil` for SHA-256 and every other name.
    init?(recordName name: String) {
        guard let match = Self.named.first(where: { $0.name == name }) else { return nil }
        self = match.algorithm
    }
}
