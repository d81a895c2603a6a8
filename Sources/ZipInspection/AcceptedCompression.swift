/// The compression methods this reader inflates, and names for the others.
package enum AcceptedCompression {
    /// Stored and deflate: what every wheel builder writes and every installer (pip through zipfile, uv, installer, libzip) reads.
    ///
    /// Python's zipfile also knows bzip2 and lzma, but uv and others do not.
    package static let methods: [UInt16: String] = [0: "stored", 8: "deflate"]
    /// Names of other methods, for messages (APPNOTE §4.4.5).
    package static let names: [UInt16: String] = [
        1: "shrink", 6: "implode", 9: "deflate64", 12: "bzip2", 14: "lzma", 93: "zstandard", 95: "xz", 98: "ppmd", 99: "AES",
    ]
}

/// A CRC-32 or signature as eight hexadecimal digits, for messages.
package func hex32(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
