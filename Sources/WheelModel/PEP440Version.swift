/// A PEP 440 version, parsed into its parts so that versions order as the spec says (`1.0.0-beta.1` is
/// `1.0.0b1`, `1.0` equals `1.0.0`, `1.0.dev1 < 1.0a1 < 1.0 < 1.0.post1`).
///
/// Spec: packaging.python.org, "Version specifiers" (PEP 440), "Normalization" and "Summary of permitted
/// suffixes and relative ordering".
public struct PEP440Version: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A pre-release phase, in the spec's order.
    public enum PreReleasePhase: Int, Sendable, Hashable, Comparable {
        /// `a`, `alpha`.
        case alpha
        /// `b`, `beta`.
        case beta
        /// `rc`, `c`, `pre`, `preview`.
        case releaseCandidate

        /// The normalized spelling.
        public var spelling: String { ["a", "b", "rc"][rawValue] }

        /// Orders phases as the spec does: alpha, then beta, then release candidate.
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// One dot-separated part of a local version label; numbers order above words.
    public enum LocalSegment: Sendable, Hashable, Comparable {
        /// A word, compared case-insensitively (stored lowercased).
        case word(String)
        /// A number, compared numerically.
        case number(Int)

        /// Orders local segments as the spec does: words by text, numbers by value, every word before every number.
        public static func < (lhs: Self, rhs: Self) -> Bool {
            switch (lhs, rhs) {
            case (.word(let a), .word(let b)): return a < b
            case (.number(let a), .number(let b)): return a < b
            case (.word, .number): return true
            case (.number, .word): return false
            }
        }
    }

    /// The epoch (`N!`), 0 when absent.
    public let epoch: Int
    /// The release numbers, as written (`1.0` keeps two).
    public let release: [Int]
    /// The pre-release phase and number.
    public let preRelease: (phase: PreReleasePhase, number: Int)?
    /// The post-release number.
    public let postRelease: Int?
    /// The development release number.
    public let devRelease: Int?
    /// The local version label's segments (empty when there is none).
    public let local: [LocalSegment]

    /// Parses any spelling PEP 440 permits; `nil` when `text` is not a version.
    public init?(parsing text: String) {
        var scanner = VersionScanner(text.lowercased())
        _ = scanner.skip("v")
        var epoch = 0
        var first = scanner.number()
        if first != nil, scanner.skip("!") {
            epoch = first ?? 0
            first = scanner.number()
        }
        guard let major = first else { return nil }
        var release = [major]
        while scanner.peek == UInt8(ascii: ".") {
            let save = scanner.position
            scanner.advance()
            guard let next = scanner.number() else {
                scanner.position = save
                break
            }
            release.append(next)
        }
        var pre: (PreReleasePhase, Int)?
        if let (label, number) = scanner.label(["alpha", "beta", "preview", "pre", "rc", "a", "b", "c"]) {
            let phase: PreReleasePhase = label.hasPrefix("a") ? .alpha : label.hasPrefix("b") ? .beta : .releaseCandidate
            pre = (phase, number ?? 0)
        }
        var post: Int?
        if let (_, number) = scanner.label(["post", "rev", "r"]) {
            post = number ?? 0
        } else {
            let save = scanner.position
            if scanner.skip("-"), let number = scanner.number() { post = number } else { scanner.position = save }
        }
        var dev: Int?
        if let (_, number) = scanner.label(["dev"]) { dev = number ?? 0 }
        var local = [LocalSegment]()
        if scanner.skip("+") {
            repeat {
                guard let segment = scanner.localSegment() else { return nil }
                local.append(Int(segment).map(LocalSegment.number) ?? .word(segment))
            } while scanner.skipSeparator()
        }
        guard scanner.atEnd else { return nil }
        self.epoch = epoch
        self.release = release
        self.preRelease = pre
        self.postRelease = post
        self.devRelease = dev
        self.local = local
    }

    /// The normalized spelling (`1.0.0-Beta.1` → `1.0.0b1`).
    public var description: String {
        var out = epoch == 0 ? "" : "\(epoch)!"
        out += release.map(String.init).joined(separator: ".")
        if let preRelease { out += "\(preRelease.phase.spelling)\(preRelease.number)" }
        if let postRelease { out += ".post\(postRelease)" }
        if let devRelease { out += ".dev\(devRelease)" }
        if !local.isEmpty {
            out +=
                "+"
                + local.map { segment -> String in
                    switch segment {
                    case .word(let word): return word
                    case .number(let number): return String(number)
                    }
                }.joined(separator: ".")
        }
        return out
    }

    /// Whether this is a pre-release or a development release (excluded by specifiers unless asked for).
    public var isPreRelease: Bool { preRelease != nil || devRelease != nil }

    /// The same version without its local label.
    public var withoutLocal: PEP440Version {
        PEP440Version(epoch: epoch, release: release, preRelease: preRelease, postRelease: postRelease, devRelease: devRelease, local: [])
    }

    /// This version as post release `number` (`1.0` → `1.0.post2`), or `nil` when it has a post, development or local segment
    /// already: PEP 440 puts no post segment after those, and allows only one.
    public func withPostRelease(_ number: Int) -> PEP440Version? {
        guard postRelease == nil, devRelease == nil, local.isEmpty, number >= 0 else { return nil }
        return PEP440Version(epoch: epoch, release: release, preRelease: preRelease, postRelease: number, devRelease: nil, local: [])
    }

    /// The version this one is a post release of (`1.0.post2` → `1.0`), or `nil` without a post segment or with a
    /// development or local one.
    public var postReleaseBase: PEP440Version? {
        guard postRelease != nil, devRelease == nil, local.isEmpty else { return nil }
        return PEP440Version(epoch: epoch, release: release, preRelease: preRelease, postRelease: nil, devRelease: nil, local: [])
    }

    /// The release numbers without trailing zeros, so `1.0` and `1.0.0` compare equal.
    var trimmedRelease: [Int] {
        var numbers = release
        while numbers.count > 1, numbers.last == 0 { numbers.removeLast() }
        return numbers
    }

    init(
        epoch: Int, release: [Int], preRelease: (phase: PreReleasePhase, number: Int)?, postRelease: Int?, devRelease: Int?,
        local: [LocalSegment]
    ) {
        self.epoch = epoch
        self.release = release
        self.preRelease = preRelease
        self.postRelease = postRelease
        self.devRelease = devRelease
        self.local = local
    }

    /// Whether two versions are equal under PEP 440 normalization (`1.0` equals `1.0.0`).
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.sortKey == rhs.sortKey }

    /// Hashes the normalized form, so versions that are equal hash alike.
    public func hash(into hasher: inout Hasher) { hasher.combine(sortKey) }

    /// Orders versions as PEP 440 does: dev releases, pre-releases, the release, then post-releases.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.sortKey < rhs.sortKey }

    /// The spec's ordering as one comparable value: a dev release sorts before the pre-releases of its
    /// release, a release without a pre-release after them, post-releases after the release.
    private var sortKey: SortKey {
        let pre: [Int]
        if let preRelease {
            pre = [1, preRelease.phase.rawValue, preRelease.number]
        } else if postRelease == nil, devRelease != nil {
            pre = [0]
        } else {
            pre = [2]
        }
        return SortKey(
            epoch: epoch, release: trimmedRelease, pre: pre, post: postRelease.map { [1, $0] } ?? [0],
            dev: devRelease.map { [0, $0] } ?? [1], local: local
        )
    }

    private struct SortKey: Hashable, Comparable {
        let epoch: Int
        let release: [Int]
        let pre: [Int]
        let post: [Int]
        let dev: [Int]
        let local: [LocalSegment]

        static func < (lhs: Self, rhs: Self) -> Bool {
            if lhs.epoch != rhs.epoch { return lhs.epoch < rhs.epoch }
            if lhs.release != rhs.release { return lhs.release.lexicographicallyPrecedes(rhs.release) }
            if lhs.pre != rhs.pre { return lhs.pre.lexicographicallyPrecedes(rhs.pre) }
            if lhs.post != rhs.post { return lhs.post.lexicographicallyPrecedes(rhs.post) }
            if lhs.dev != rhs.dev { return lhs.dev.lexicographicallyPrecedes(rhs.dev) }
            return lhs.local.lexicographicallyPrecedes(rhs.local)
        }
    }
}

/// A small cursor over the UTF-8 bytes of a lowercased version string, without its leading and trailing spaces, tabs and line feeds.
///
/// Bytes, not `Character`s: walking grapheme clusters made parsing the lock's versions a noticeable part of startup. The result is the
/// same. Every spelling PEP 440 permits is ASCII, and a non-ASCII byte is never consumed, so any text holding one fails either way (a
/// combining mark joined to an ASCII letter, or a space, made a `Character` that matched nothing). In ASCII text every `Character` is
/// one byte, except `"\r\n"`, and a CR is never consumed either: such text fails either way too.
private struct VersionScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ text: String) {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") }
        let utf8 = Array(text.utf8)
        let start = utf8.firstIndex { !isBlank($0) } ?? utf8.endIndex
        let end = utf8.lastIndex { !isBlank($0) }.map { $0 + 1 } ?? start
        bytes = Array(utf8[start..<end])
    }

    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }
    var atEnd: Bool { position == bytes.count }

    mutating func advance() { position += 1 }

    mutating func skip(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        let matches = text.withUTF8Buffer { wanted in bytes[position..<position + count].elementsEqual(wanted) }
        guard matches else { return false }
        position += count
        return true
    }

    mutating func skipSeparator() -> Bool {
        guard let byte = peek, byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") else { return false }
        position += 1
        return true
    }

    mutating func number() -> Int? {
        let start = position
        while let byte = peek, Self.isDigit(byte) { position += 1 }
        guard position > start else { return nil }
        return Int(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    mutating func localSegment() -> String? {
        let start = position
        while let byte = peek, Self.isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) { position += 1 }
        return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    /// An optional separator, one of `labels`, an optional separator and an optional number.
    mutating func label(_ labels: [StaticString]) -> (String, Int?)? {
        let save = position
        _ = skipSeparator()
        guard let label = labels.first(where: { skip($0) }) else {
            position = save
            return nil
        }
        let beforeNumber = position
        _ = skipSeparator()
        let number = number()
        if number == nil { position = beforeNumber }
        return (label.description, number)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
