/// A SHA-256 digest, parsed once at the boundary and printed in the two spellings wheels use.
public struct SHA256Digest: Sendable, Hashable, CustomStringConvertible {
    /// The 32 digest bytes in memory order, held inline rather than in an array: `purewheel check` keeps a digest for every entry, and
    /// a wheel of 160,000 files would otherwise hold as many heap blocks.
    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// The 32 digest bytes.
    public var bytes: [UInt8] { withUnsafeBytes(of: storage) { Array($0) } }

    /// Wraps 32 raw digest bytes.
    ///
    /// - Returns: `nil` unless exactly 32 bytes are given.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: bytes) }
    }

    /// A digest whose 32 bytes `write` fills in place, as a hash function's final step does.
    package init(writing write: (UnsafeMutableRawBufferPointer) -> Void) {
        withUnsafeMutableBytes(of: &storage) { write($0) }
    }

    /// Whether both digests have the same bytes.
    public static func == (lhs: SHA256Digest, rhs: SHA256Digest) -> Bool { lhs.storage == rhs.storage }

    /// Hashes the digest's bytes.
    public func hash(into hasher: inout Hasher) { withUnsafeBytes(of: storage) { hasher.combine(bytes: $0) } }

    /// Parses 64 hexadecimal digits, either case.
    ///
    /// - Returns: `nil` for anything that is not 64 hex digits.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var result = [UInt8]()
        result.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: result) }
    }

    /// Lowercase hexadecimal, as in pins and `sha256sum`.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// URL-safe base64 without padding, as RECORD wants it (PEP 376 / binary distribution format).
    public var urlSafeBase64: String { Base64URL.encode(bytes) }

    /// The digest in lowercase hexadecimal.
    public var description: String { hex }

    /// Hashes a whole buffer.
    public static func of(_ bytes: [UInt8]) -> SHA256Digest { bytes.withUnsafeBytes { of($0) } }

    /// Hashes a whole buffer that stays owned by the caller.
    public static func of(_ buffer: UnsafeRawBufferPointer) -> SHA256Digest {
        var hasher = SHA256Hasher()
        hasher.update(buffer)
        return hasher.finalize()
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// URL-safe base64 without padding (RFC 4648 §5), the encoding of RECORD hashes.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Encodes bytes without `=` padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = UInt32(bytes[index]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
        } else if rest == 2 {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 6-bit value of each byte, 0xFF for bytes outside the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

    /// Decodes URL-safe base64; padding is accepted but not required.
    ///
    /// - Returns: `nil` for characters outside the alphabet or an impossible length.
    public static func decode(_ text: String) -> [UInt8]? {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count * 3 / 4)
        var bits: UInt32 = 0
        var pending = 0
        for c in text.utf8 where c != UInt8(ascii: "=") {
            let value = values[Int(c)]
            guard value != 0xFF else { return nil }
            bits = bits << 6 | UInt32(value)
            pending += 1
            if pending == 4 {
                out.append(UInt8(truncatingIfNeeded: bits >> 16))
                out.append(UInt8(truncatingIfNeeded: bits >> 8))
                out.append(UInt8(truncatingIfNeeded: bits))
                bits = 0
                pending = 0
            }
        }
        switch pending {
        case 1: return nil
        case 2: out.append(UInt8(truncatingIfNeeded: bits >> 4))
        case 3:
            out.append(UInt8(truncatingIfNeeded: bits >> 10))
            out.append(UInt8(truncatingIfNeeded: bits >> 2))
        default: break
        }
        return out
    }
}
