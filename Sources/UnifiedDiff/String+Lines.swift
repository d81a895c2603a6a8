extension String {
    /// The text's lines, split at each line feed: the same lines as `split(separator: "\n", omittingEmptySubsequences: false)`, an empty
    /// last line included when the text ends with one.
    ///
    /// That call compares `Character`s, walking grapheme clusters, which took most of a patch's time. Its matches are exactly the LF
    /// bytes not preceded by CR: `"\r\n"` is one `Character`, never equal to `"\n"` (so text is never split at a CRLF), and an LF
    /// always ends its cluster (Unicode UAX #29, GB3 to GB5). Splitting the UTF-8 bytes there cuts the same places.
    func lineFeedSeparated() -> [String] {
        var lines = [String]()
        var text = self
        text.withUTF8 { bytes in
            var start = 0
            for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") && (index == 0 || bytes[index - 1] != UInt8(ascii: "\r")) {
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                start = index + 1
            }
            lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
        }
        return lines
    }

    /// Whether the text ends with a line feed `Character` (`hasSuffix("\n")`), compared on the last two bytes: a final `"\r\n"` is one
    /// `Character`, so it does not count.
    var endsWithLineFeed: Bool {
        let bytes = utf8
        guard let last = bytes.last, last == UInt8(ascii: "\n") else { return false }
        return bytes.count < 2 || bytes[bytes.index(bytes.endIndex, offsetBy: -2)] != UInt8(ascii: "\r")
    }
}
