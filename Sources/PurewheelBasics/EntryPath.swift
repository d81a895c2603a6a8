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
        problems(in: Array(name.utf8)).first
    }

    /// Every reason a stored name (its raw bytes) is unsafe, in the order `Problem` lists them; empty for a safe relative path.
    ///
    /// The single path-safety rule: the build rejects names with it (`problem(in:)`), and `purewheel check` reports each problem it finds
    /// (PW2xx). Only ASCII bytes matter, so names that are not valid UTF-8 are judged the same way.
    public static func problems(in name: [UInt8]) -> [Problem] {
        name.withUnsafeBufferPointer { problems(in: $0) }
    }

    /// `problems(in:)` over bytes the caller lends, such as a `String`'s UTF-8.
    ///
    /// One pass over the bytes: names are checked once per entry of every wheel, so no segment arrays.
    package static func problems(in name: UnsafeBufferPointer<UInt8>) -> [Problem] {
        if name.isEmpty { return [.empty] }
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        var hasControl = false
        var hasBackslash = false
        for byte in name {
            if byte < 0x20 || byte == 0x7F { hasControl = true }
            if byte == UInt8(ascii: "\\") { hasBackslash = true }
        }
        let isAbsolute = name[0] == slash
        // A trailing `/` marks a folder entry; an absolute name's leading empty segment is already reported.
        let bodyEnd = name[name.count - 1] == slash ? name.count - 1 : name.count
        var hasParent = false
        var hasEmpty = false
        var segmentStart = 0
        var isFirstSegment = true
        for index in 0...bodyEnd where index == bodyEnd || name[index] == slash {
            if !(isAbsolute && isFirstSegment) {
                let length = index - segmentStart
                if length == 2, name[segmentStart] == dot, name[segmentStart + 1] == dot { hasParent = true }
                if length == 0 || (length == 1 && name[segmentStart] == dot) { hasEmpty = true }
            }
            isFirstSegment = false
            segmentStart = index + 1
        }
        var problems = [Problem]()
        if hasControl { problems.append(.controlCharacter) }
        if isAbsolute { problems.append(.absolute) }
        if hasBackslash { problems.append(.backslash) }
        if name.count >= 2, name[1] == UInt8(ascii: ":"), (name[0] | 0x20) >= UInt8(ascii: "a"), (name[0] | 0x20) <= UInt8(ascii: "z") {
            problems.append(.driveLetter)
        }
        if hasParent { problems.append(.parentReference) }
        if hasEmpty { problems.append(.emptySegment) }
        return problems
    }

    /// Orders by UTF-8 bytes, the order written to output archives, independent of locale.
    public static func < (lhs: EntryPath, rhs: EntryPath) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }

    /// The path as stored in the archive.
    public var description: String { rawValue }

    /// The top-level folder or file name.
    public var firstSegment: String {
        String(rawValue.split(separator: "/", maxSplits: 1).first ?? Substring(rawValue))
    }
}
