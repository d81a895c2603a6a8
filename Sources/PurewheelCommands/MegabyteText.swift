/// Byte counts as progress lines show them: megabytes (10⁶ bytes) with one decimal.
enum MegabyteText {
    /// `bytes` / 10⁶ as a `Double`, rounded to one decimal from that value's exact binary expansion, ties to even,
    /// so the text is what C's `%.1f` prints for it.
    static func text(_ bytes: UInt64) -> String {
        let value = Double(bytes) / 1_000_000
        // Below 0.04 it rounds to 0.0. From there up to 2^64 / 10^6 < 2^45, the value's lowest significand bit
        // lies between 2^-57 and 2^-8, so the shift is positive and the product fits in 128 bits.
        guard value >= 0.04 else { return "0.0" }
        let shift = 52 - Int(value.exponent)
        let scaled = (UInt128(value.significandBitPattern) | 1 << 52) * 10
        var tenths = scaled >> shift
        let remainder = scaled & ((1 << shift) - 1)
        let half = UInt128(1) << (shift - 1)
        if remainder > half || (remainder == half && tenths & 1 == 1) { tenths += 1 }
        return "\(tenths / 10).\(tenths % 10)"
    }
}
