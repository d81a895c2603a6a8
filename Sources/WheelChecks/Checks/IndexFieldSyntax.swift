import FoundationEssentials
import PurewheelBasics

/// E-mail addresses as warehouse judges them: `email.utils.parseaddr` (strict) to find one address, then `email_validator`'s
/// syntax rules with deliverability not checked (RFC 5321/5322 dot-atom local part, no quoted local part, a domain of at least
/// two labels under a non-numeric top-level domain that is not a special-use name).
enum EmailAddress {
    static let specialUseDomains: Set<String> = ["arpa", "invalid", "local", "localhost", "onion", "test"]
    static let atomSymbols = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    /// The one address in a header value (`Name <a@b>`, `a@b`), or `nil` when it holds none or several.
    static func single(in value: String) -> String? {
        var depth = 0
        var quoted = false
        var angle: (start: String.Index, end: String.Index?)?
        // The text outside comments, for an address without angle brackets (`a@b.org (Name)`).
        var bare = ""
        var index = value.startIndex
        while index < value.endIndex {
            let character = value[index]
            if depth == 0, character != "(" { bare.append(character) }
            if quoted {
                if character == "\\" { index = value.index(after: index) } else if character == "\"" { quoted = false }
            } else {
                switch character {
                case "\"": quoted = true
                case "(": depth += 1
                case ")": depth -= 1
                case "<" where depth == 0: angle = (value.index(after: index), nil)
                case ">" where depth == 0: if angle != nil { angle?.end = index }
                case "," where depth == 0: return nil
                default: break
                }
            }
            if index < value.endIndex { index = value.index(after: index) }
        }
        guard depth == 0, !quoted else { return nil }
        if let angle {
            guard let end = angle.end else { return nil }
            let address = value[angle.start..<end].trimmingWhitespace()
            return address.isEmpty ? nil : address
        }
        let address = bare.trimmingWhitespace()
        return address.isEmpty || address.contains(" ") ? nil : address
    }

    static func isValid(_ address: String) -> Bool {
        guard let at = address.lastIndex(of: "@") else { return false }
        let local = address[..<at]
        let domain = address[address.index(after: at)...].lowercased()
        guard !local.isEmpty, local.utf8.count <= 64, !domain.isEmpty, domain.utf8.count <= 253 else { return false }
        let atoms = local.split(separator: ".", omittingEmptySubsequences: false)
        guard atoms.allSatisfy({ atom in !atom.isEmpty && atom.utf8.allSatisfy { isAtomByte($0) } }) else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let top = labels.last, !top.allSatisfy(\.isNumber) else { return false }
        guard
            labels.allSatisfy({ label in
                !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                    && label.unicodeScalars.allSatisfy { $0.value >= 0x80 || isLabelScalar($0) }
            })
        else { return false }
        return !specialUseDomains.contains(String(top))
    }

    private static func isAtomByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || atomSymbols.contains(byte)
    }

    private static func isLabelScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
    }
}

/// URLs as warehouse judges them: an `http` or `https` scheme, and no port above 65535.
///
/// `warehouse/utils/http.py` `is_valid_uri` with `require_authority=False` runs `rfc3986` on the normalized URI, and normalizing
/// drops an authority that does not parse as `[userinfo@]host[:port]`: what is left to refuse is a missing or other scheme and a
/// well-formed authority whose port (at most five digits) is above 65535. Path and query are percent-encoded before judging, so
/// they always pass.
enum WebURL {
    /// Registered-name and userinfo characters besides letters and digits (RFC 3986 unreserved and sub-delims).
    static let nameBytes = Set("-._~!$&'()*+,;=".utf8)

    static func isValid(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else { return false }
        let rest = url[url.index(after: colon)...]
        guard rest.hasPrefix("//") else { return true }
        let authority = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let port = wellFormedPort(of: authority) else { return true }
        return (Int(port) ?? 0) <= 65535
    }

    /// The port of an authority that parses as `[userinfo@]host:port`, or `nil` when it has none or does not parse.
    private static func wellFormedPort(of authority: Substring) -> Substring? {
        var hostAndPort = authority
        if let at = authority.firstIndex(of: "@") {
            guard isNameOrPercent(authority[..<at], allowing: UInt8(ascii: ":")) else { return nil }
            hostAndPort = authority[authority.index(after: at)...]
        }
        guard let portColon = hostAndPort.lastIndex(of: ":") else { return nil }
        let host = hostAndPort[..<portColon]
        let port = hostAndPort[hostAndPort.index(after: portColon)...]
        guard (1...5).contains(port.count), port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]") else { return nil }
            let inside = host.dropFirst().dropLast()
            // IPvFuture (`v1.x`), or an IPv6 address (hex digits, ':' and a dotted IPv4 tail).
            if let first = inside.first, first == "v" || first == "V" {
                let version = inside.dropFirst().prefix { $0.isHexDigit }
                let tail = inside.dropFirst(1 + version.count)
                return !version.isEmpty && tail.first == "." && tail.count > 1
                    && isNameOrPercent(tail.dropFirst(), allowing: UInt8(ascii: ":")) && !tail.dropFirst().contains("%") ? port : nil
            }
            let isIPv6 = inside.contains(":") && inside.allSatisfy { $0.isASCII && ($0.isHexDigit || $0 == ":" || $0 == ".") }
            return isIPv6 ? port : nil
        }
        return isNameOrPercent(host, allowing: nil) ? port : nil
    }

    private static func isNameOrPercent(_ text: Substring, allowing extra: UInt8?) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count,
                    isHex(bytes[index + 1]), isHex(bytes[index + 2])
                else { return false }
                index += 3
                continue
            }
            let isAlphanumeric = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            guard isAlphanumeric || nameBytes.contains(byte) || byte == extra else { return false }
            index += 1
        }
        return true
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }
}
