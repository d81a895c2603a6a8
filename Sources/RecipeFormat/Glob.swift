/// A path pattern over wheel entry names: `*` (within a segment), `**` (any number of whole segments), `?`, and `[...]` / `[!...]`
/// character sets.
///
/// Parsed once; matching never touches the file system.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    private let segments: [Segment]

    private enum Segment: Sendable, Hashable {
        case anySegments
        case pattern([Token])
    }

    private enum Token: Sendable, Hashable {
        case literal(Character)
        case anyRun
        case anyOne
        case set(negated: Bool, members: [ClosedRange<Character>])
    }

    /// Why a pattern was rejected.
    public enum Problem: Error, Sendable, Hashable {
        case empty
        case unclosedBracket
        case absolute
        case doubleStarInsideSegment
    }

    /// Parses a pattern.
    ///
    /// - Throws: a `Problem` for an empty or absolute pattern, an unclosed `[`, or `**` mixed with other text in
    ///   one segment.
    public init(_ pattern: String) throws(Problem) {
        guard !pattern.isEmpty else { throw .empty }
        guard !pattern.hasPrefix("/") else { throw .absolute }
        var segments = [Segment]()
        for part in pattern.split(separator: "/", omittingEmptySubsequences: false) {
            if part == "**" {
                segments.append(.anySegments)
                continue
            }
            if part.contains("**") { throw .doubleStarInsideSegment }
            segments.append(.pattern(try Glob.tokens(part)))
        }
        self.pattern = pattern
        self.segments = segments
    }

    /// Whether `path` matches the whole pattern.
    public func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map { Array($0) }
        return Glob.match(segments[...], parts[...])
    }

    /// The pattern as written in the recipe.
    public var description: String { pattern }

    private static func tokens(_ part: Substring) throws(Problem) -> [Token] {
        var tokens = [Token]()
        var chars = Array(part)[...]
        while let c = chars.popFirst() {
            switch c {
            case "*": tokens.append(.anyRun)
            case "?": tokens.append(.anyOne)
            case "[":
                var negated = false
                if chars.first == "!" {
                    negated = true
                    chars.removeFirst()
                }
                var members = [ClosedRange<Character>]()
                var closed = false
                var first = true
                while let m = chars.popFirst() {
                    if m == "]" && !first {
                        closed = true
                        break
                    }
                    first = false
                    if chars.count >= 2, chars.first == "-", let upper = chars.dropFirst().first, upper != "]" {
                        chars.removeFirst(2)
                        members.append(m...max(m, upper))
                    } else {
                        members.append(m...m)
                    }
                }
                guard closed else { throw .unclosedBracket }
                tokens.append(.set(negated: negated, members: members))
            default: tokens.append(.literal(c))
            }
        }
        return tokens
    }

    private static func match(_ segments: ArraySlice<Segment>, _ parts: ArraySlice<[Character]>) -> Bool {
        guard let first = segments.first else { return parts.isEmpty }
        switch first {
        case .anySegments:
            let rest = segments.dropFirst()
            var remaining = parts
            while true {
                if match(rest, remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        case .pattern(let tokens):
            guard let part = parts.first, matchSegment(tokens[...], part[...]) else { return false }
            return match(segments.dropFirst(), parts.dropFirst())
        }
    }

    private static func matchSegment(_ tokens: ArraySlice<Token>, _ chars: ArraySlice<Character>) -> Bool {
        guard let token = tokens.first else { return chars.isEmpty }
        let rest = tokens.dropFirst()
        switch token {
        case .anyRun:
            var remaining = chars
            while true {
                if matchSegment(rest, remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        case .anyOne:
            return !chars.isEmpty && matchSegment(rest, chars.dropFirst())
        case .literal(let c):
            return chars.first == c && matchSegment(rest, chars.dropFirst())
        case .set(let negated, let members):
            guard let c = chars.first else { return false }
            return members.contains { $0.contains(c) } != negated && matchSegment(rest, chars.dropFirst())
        }
    }
}
