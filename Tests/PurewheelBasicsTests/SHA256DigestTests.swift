import PurewheelBasics
import Testing

@Suite struct SHA256DigestTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        let input: String
        let hex: String
        let base64: String
        var testDescription: String { "'\(input.prefix(10))'" }
    }

    // Vectors from FIPS 180-2 appendix B and the empty message.
    static let vectors = [
        Vector(
            input: "", hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            base64: "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"),
        Vector(
            input: "abc", hex: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            base64: "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"),
    ]

    @Test(arguments: vectors)
    func hashesKnownVectors(_ vector: Vector) {
        let digest = SHA256Digest.of(Array(vector.input.utf8))
        #expect(digest.hex == vector.hex)
        #expect(digest.urlSafeBase64 == vector.base64)
        #expect(SHA256Digest(hex: vector.hex) == digest)
        #expect(SHA256Digest(hex: vector.hex.uppercased()) == digest)
    }

    @Test func streamingEqualsOneShot() {
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 31) }
        var hasher = SHA256Hasher()
        hasher.update(Array(bytes[0..<12_345]))
        hasher.update(Array(bytes[12_345...]))
        #expect(hasher.finalize() == SHA256Digest.of(bytes))
    }

    @Test(arguments: ["", "abc", String(repeating: "g", count: 64), String(repeating: "a", count: 63)])
    func rejectsMalformedHex(_ text: String) {
        #expect(SHA256Digest(hex: text) == nil)
    }

    @Test(arguments: [0, 1, 2, 3, 4, 5, 31, 32, 33])
    func base64RoundTrips(_ length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) }
        let encoded = Base64URL.encode(bytes)
        #expect(!encoded.contains("="))
        #expect(Base64URL.decode(encoded) == bytes)
    }
}
