/// Makes untrusted text (entry names, METADATA values, file names, messages that quote them) safe to print
/// for people: a crafted wheel must not be able to move the cursor, rewrite earlier lines, ring the bell or
/// change a terminal's title through its own report.
///
/// Every C0 control (U+0000–U+001F, tab and line feed included, so a name cannot forge a new report line),
/// DEL (U+007F) and every C1 control (U+0080–U+009F) is shown as `\xHH`; the Unicode bidirectional
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what a reader sees ("Trojan
/// Source", CVE-2021-42574), are shown as `\u{HHHH}`. Everything else is kept as it is. Machine formats
/// (JSON, SARIF) are not escaped: they carry the exact strings.
enum TerminalText {
    /// `text` with every control and bidi-override character replaced by a visible escape.
    static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if scalar.value < 0x100 && needsEscape(scalar) {
                result += "\\x" + hex(scalar.value, width: 2)
            } else if needsEscape(scalar) {
                result += "\\u{" + hex(scalar.value, width: 4) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// An optional string escaped, `nil` kept.
    static func escape(_ text: String?) -> String? {
        text.map { escape($0) }
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
