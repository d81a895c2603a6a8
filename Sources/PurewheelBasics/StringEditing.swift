extension StringProtocol {
    /// The text without the spaces and tabs at its ends (`Unicode.Scalar.isWhitespace`).
    ///
    /// Trimmed by Unicode scalar, so a combining mark after a leading space stays.
    public func trimmingWhitespace() -> String {
        trimmingScalars(where: \.isWhitespace)
    }

    /// The text without the Unicode scalars at its ends for which `isTrimmed` holds.
    public func trimmingScalars(where isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = String(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }), let last = scalars.lastIndex(where: { !isTrimmed($0) }) else {
            return ""
        }
        return String(Substring(scalars[first...last]))
    }
}

extension Unicode.Scalar {
    /// Whether `trimmingWhitespace()` trims it: U+0009, Unicode's space separators (category Zs) and U+200B ZERO
    /// WIDTH SPACE, which was one before Unicode 4.0.1; the set of Foundation's `CharacterSet.whitespaces`.
    public var isWhitespace: Bool { self == "\t" || self == "\u{200B}" || properties.generalCategory == .spaceSeparator }
}

extension StringProtocol {
    /// The text with every occurrence of `target` replaced by `replacement`, left to right, matched byte for byte
    /// (so scalar by scalar: `"\r"` is found inside `"\r\n"`, unlike a search by `Character`).
    public func replacingLiterally(_ target: String, with replacement: String) -> String {
        let bytes = Array(utf8)
        let pattern = Array(target.utf8)
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return String(self) }
        var result = [UInt8]()
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == pattern[0], index + pattern.count <= bytes.count, bytes[index..<index + pattern.count].elementsEqual(pattern)
            {
                result += replacement.utf8
                index += pattern.count
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
