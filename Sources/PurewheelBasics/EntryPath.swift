/// A validated archive member path: relative, `/`-separated, with no `..`, `\`, control characters or empty
/// segments, so it can never escape the folder it is installed into.
public struct EntryPath: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The path as stored in the archive.
    public let rawValue: String

    /// Why a name was rejected.
    public enum Problem: String, Error, Sendable, Hashable {
        case empty = "empty name"
        case absolute = "absolute path"
        case driveLetter = "drive letter"
        case backslash = "backslash in name"
        case parentReference = "'..' segment"
        case emptySegment = "empty or '.' segment"
        case controlCharacter = "control character in name"
    }

    /// Validates `name`.
    ///
    /// - Throws: the `Problem` that makes it unsafe.
    public init(validating name: String) throws(Problem) {
        if let problem = EntryPath.problem(in: name) { throw problem }
        self.rawValue = name
    }

    /// The first reason `name` is unsafe, or `nil` when it is a safe relative path.
    public static func problem(in name: String) -> Problem? {
        if name.isEmpty { return .empty }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return .controlCharacter }
        if name.hasPrefix("/") { return .absolute }
        if name.contains("\\") { return .backslash }
        let utf8 = Array(name.utf8)
        if utf8.count >= 2, utf8[1] == UInt8(ascii: ":"), (utf8[0] | 0x20) >= UInt8(ascii: "a"), (utf8[0] | 0x20) <= UInt8(ascii: "z") {
            return .driveLetter
        }
        let body = name.hasSuffix("/") ? String(name.dropLast()) : name
        for segment in body.split(separator: "/", omittingEmptySubsequences: false) {
            if segment == ".." { return .parentReference }
            if segment.isEmpty || segment == "." { return .emptySegment }
        }
        return nil
    }

    /// Orders by UTF-8 bytes, the order written to output archives, independent of locale.
    public static func < (lhs: EntryPath, rhs: EntryPath) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }

    public var description: String { rawValue }

    /// The top-level folder or file name.
    public var firstSegment: String {
        String(rawValue.split(separator: "/", maxSplits: 1).first ?? Substring(rawValue))
    }
}
