/// Byte-level helpers for the checks' per-entry name tests, the one implementation of each.
///
/// A file name is bytes to the file system and the importer, which fold no Unicode case and see no grapheme
/// clusters; so these compare bytes, folding ASCII case only. For an ASCII name each gives what the `String`
/// expression it names gives, without allocating.
enum NameBytes {
    /// `name.lowercased().hasSuffix(suffix)` for an ASCII name and a lowercase ASCII suffix.
    static func hasLowercasedSuffix(_ name: String.UTF8View, _ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        guard name.count >= count else { return false }
        return suffix.withUTF8Buffer { wanted in
            var index = 0
            for byte in name.suffix(count) {
                let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                guard lower == wanted[index] else { return false }
                index += 1
            }
            return true
        }
    }

    /// Whether `needle` occurs in `name` (`name.contains(needle)` for an ASCII name).
    static func contains(_ name: String.UTF8View, _ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { wanted in
            guard let first = wanted.first, name.count >= wanted.count else { return false }
            var index = name.startIndex
            while let found = name[index...].firstIndex(of: first) {
                if name[found...].starts(with: wanted) { return true }
                index = name.index(after: found)
            }
            return false
        }
    }

    /// `name.split(separator: "/").contains(segment)` for an ASCII name.
    static func hasSegment(_ name: String.UTF8View, _ segment: StaticString) -> Bool {
        segment.withUTF8Buffer { wanted in
            var start = name.startIndex
            while start < name.endIndex {
                let end = name[start...].firstIndex(of: UInt8(ascii: "/")) ?? name.endIndex
                if name[start..<end].elementsEqual(wanted) { return true }
                start = end == name.endIndex ? end : name.index(after: end)
            }
            return false
        }
    }

    /// The first non-empty piece between `separator`s, as `split(separator:).first` finds it.
    static func firstPiece(_ bytes: Substring.UTF8View, _ separator: UInt8) -> Substring.UTF8View? {
        guard let start = bytes.firstIndex(where: { $0 != separator }) else { return nil }
        let end = bytes[start...].firstIndex(of: separator) ?? bytes.endIndex
        return bytes[start..<end]
    }
}
