/// PEP 440 version validation, for the fields purewheel writes and checks.
public enum PEP440 {
    /// Whether `text` is a valid public or local PEP 440 version (any spelling PEP 440 allows).
    public static func isValid(_ text: String) -> Bool {
        var scanner = Scanner(Array(text.lowercased().utf8))
        _ = scanner.skip("v")
        if scanner.number() != nil, scanner.skip("!") {
            // epoch consumed
        } else {
            scanner = Scanner(Array(text.lowercased().utf8))
            _ = scanner.skip("v")
        }
        guard scanner.number() != nil else { return false }
        while scanner.peek == UInt8(ascii: ".") {
            let save = scanner.position
            scanner.advance()
            if scanner.number() == nil {
                scanner.position = save
                break
            }
        }
        // pre-release
        _ = scanner.label(["alpha", "beta", "preview", "pre", "rc", "a", "b", "c"], numberRequired: false)
        // post-release
        if !scanner.label(["post", "rev", "r"], numberRequired: false) {
            let save = scanner.position
            if scanner.skip("-"), scanner.number() != nil {} else { scanner.position = save }
        }
        _ = scanner.label(["dev"], numberRequired: false)
        if scanner.skip("+") {
            guard scanner.localSegment() else { return false }
            while scanner.skipAny("._-") { guard scanner.localSegment() else { return false } }
        }
        return scanner.atEnd
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }
        var atEnd: Bool { position == bytes.count }
        mutating func advance() { position += 1 }
        @discardableResult
        mutating func skip(_ text: String) -> Bool {
            let utf8 = Array(text.utf8)
            guard bytes.count - position >= utf8.count, Array(bytes[position..<position + utf8.count]) == utf8 else { return false }
            position += utf8.count
            return true
        }
        mutating func skipAny(_ set: String) -> Bool {
            guard let c = peek, set.utf8.contains(c) else { return false }
            position += 1
            return true
        }
        mutating func number() -> Int? {
            let start = position
            while let c = peek, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { position += 1 }
            return position > start ? position - start : nil
        }
        mutating func localSegment() -> Bool {
            let start = position
            while let c = peek, (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) {
                position += 1
            }
            return position > start
        }
        /// An optional separator, one of `labels`, an optional separator and an optional number.
        mutating func label(_ labels: [String], numberRequired: Bool) -> Bool {
            let save = position
            _ = skipAny("._-")
            guard labels.contains(where: { skip($0) }) else {
                position = save
                return false
            }
            let beforeNumber = position
            _ = skipAny("._-")
            if number() == nil {
                position = beforeNumber
                if numberRequired { position = save; return false }
            }
            return true
        }
    }
}
