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

    @Test func strongDigestsGoThroughOpenSSL() {
        func hex(_ bytes: [UInt8]) -> String {
            bytes.map { String($0, radix: 16).count == 1 ? "0\(String($0, radix: 16))" : String($0, radix: 16) }.joined()
        }
        func digest(_ algorithm: StrongDigestHasher.Algorithm, _ text: String) -> String {
            var hasher = StrongDigestHasher(algorithm)
            Array(text.utf8).withUnsafeBytes { hasher.update($0) }
            return hex(hasher.finalize())
        }
        // FIPS 180-4 examples ("abc").
        #expect(
            digest(.sha384, "abc")
                == "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")
        #expect(
            digest(.sha512, "abc")
                == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        )
    }

    @Test func aCopiedStrongHasherContinuesOnItsOwn() {
        var first = StrongDigestHasher(.sha512)
        Array("ab".utf8).withUnsafeBytes { first.update($0) }
        var second = first
        Array("c".utf8).withUnsafeBytes { first.update($0) }
        Array("x".utf8).withUnsafeBytes { second.update($0) }
        var abc = StrongDigestHasher(.sha512)
        Array("abc".utf8).withUnsafeBytes { abc.update($0) }
        var abx = StrongDigestHasher(.sha512)
        Array("abx".utf8).withUnsafeBytes { abx.update($0) }
        #expect(first.finalize() == abc.finalize())
        #expect(second.finalize() == abx.finalize())
    }
}
