import PurewheelBasics
import Testing

@Suite struct HashAlgorithmTests {
    @Test func recordNamesParseToTheirAlgorithm() {
        #expect(HashAlgorithm(rawValue: "sha3_256") == .sha3x256)
        #expect(HashAlgorithm(rawValue: "sha256") == .sha256)
        #expect(HashAlgorithm(rawValue: "SHA256") == nil)
        #expect(HashAlgorithm(rawValue: "crc32") == nil)
    }

    /// The wheel spec forbids md5 and sha1 and asks for "sha256 or better"; the rest are computed only on request.
    @Test func weakAndStrongAlgorithms() {
        #expect(HashAlgorithm.allCases.filter(\.isWeak) == [.md5, .sha1, .sha224, .sha3x224])
        #expect(HashAlgorithm.strongBesidesSHA256 == [.sha384, .sha512, .sha3x256, .sha3x384, .sha3x512, .blake2b, .blake2s])
    }
}
