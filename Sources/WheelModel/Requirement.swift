import FoundationEssentials
import PurewheelBasics

/// A PEP 508 dependency specifier, parsed so it can be written in one canonical spelling.
///
/// Canonical form (the one `packaging.requirements.Requirement.__str__` produces): the name as written,
/// extras sorted in brackets, version clauses sorted and joined by `,` with no spaces or parentheses, then
/// `; marker` with the marker re-spaced and its strings in double quotes. So `attrs (<22,>=20.3)` and
/// `attrs <22,>=20.3` both become `attrs<22,>=20.3`.
public struct Requirement: Sendable, Hashable, CustomStringConvertible {
    /// The project name as written.
    public let name: String
    /// Extras, sorted.
    public let extras: [String]
    /// Version clauses such as `>=20.3`, sorted.
    public let specifiers: [String]
    /// A direct URL (`name @ url`), if any.
    public let url: String?
    /// The environment marker in canonical spacing, if any.
    public let marker: String?

    /// The PEP 503 normalized name, for comparisons.
    public var normalizedName: String { ProjectName.normalized(name) }

    /// Parses a requirement.
    ///
    /// - Throws: `WheelFormatError.invalidRequirement` saying what is wrong.
    public init(parsing text: String) throws(WheelFormatError) {
        var rest = Substring(text.trimmingWhitespace())
        var markerText: String?
        if let semicolon = rest.firstIndex(of: ";") {
            markerText = String(rest[rest.index(after: semicolon)...])
            rest = rest[..<semicolon]
        }
        let nameEnd =
            rest.firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".")) } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard ProjectName.isValid(name) else { throw .invalidRequirement(text, reason: "missing or invalid project name") }
        rest = rest[nameEnd...].drop { $0 == " " || $0 == "\t" }
        var extras = [String]()
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else { throw .invalidRequirement(text, reason: "unclosed '['") }
            extras = rest[rest.index(after: rest.startIndex)..<close].split(separator: ",")
                .map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }.sorted()
            guard extras.allSatisfy(ProjectName.isValid) else { throw .invalidRequirement(text, reason: "invalid extra name") }
            rest = rest[rest.index(after: close)...].drop { $0 == " " || $0 == "\t" }
        }
        var url: String?
        var specifiers = [String]()
        if rest.first == "@" {
            let value = rest.dropFirst().trimmingWhitespace()
            guard !value.isEmpty else { throw .invalidRequirement(text, reason: "empty URL after '@'") }
            url = value
        } else {
            var clauses = rest.trimmingWhitespace()
            if clauses.hasPrefix("(") {
                guard clauses.hasSuffix(")") else { throw .invalidRequirement(text, reason: "unbalanced parentheses") }
                clauses = String(clauses.dropFirst().dropLast())
            }
            for clause in clauses.split(separator: ",") {
                specifiers.append(try Requirement.canonicalClause(String(clause), in: text))
            }
            specifiers.sort()
        }
        var marker: String?
        if let markerText {
            marker = try MarkerSpelling.canonical(markerText, in: text)
        }
        self.name = name
        self.extras = extras
        self.specifiers = specifiers
        self.url = url
        self.marker = marker
    }

    /// The requirement in canonical PEP 508 form: name, sorted extras, sorted specifiers, URL, then `; marker`.
    public var description: String {
        var out = name
        if !extras.isEmpty { out += "[" + extras.joined(separator: ",") + "]" }
        out += specifiers.joined(separator: ",")
        if let url {
            out += " @ " + url
            if marker != nil { out += " " }
        }
        if let marker { out += "; " + marker }
        return out
    }

    private static let operators = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"]

    private static func canonicalClause(_ clause: String, in text: String) throws(WheelFormatError) -> String {
        let trimmed = clause.trimmingWhitespace()
        guard let op = operators.first(where: { trimmed.hasPrefix($0) }) else {
            throw .invalidRequirement(text, reason: "'\(trimmed)' has no comparison operator")
        }
        let version = trimmed.dropFirst(op.count).trimmingWhitespace()
        guard !version.isEmpty, !version.contains(" ") else {
            throw .invalidRequirement(text, reason: "'\(trimmed)' has no single version")
        }
        return op + version
    }
}

/// Re-spells PEP 508 environment markers: single spaces between tokens, none inside parentheses, strings in
/// double quotes.
enum MarkerSpelling {
    static func canonical(_ marker: String, in text: String) throws(WheelFormatError) -> String {
        var tokens = [String]()
        var scalars = Array(marker.unicodeScalars)[...]
        while let c = scalars.first {
            if c == " " || c == "\t" {
                scalars.removeFirst()
            } else if c == "'" || c == "\"" {
                scalars.removeFirst()
                guard let end = scalars.firstIndex(of: c) else { throw .invalidRequirement(text, reason: "unterminated string in marker") }
                let value = String(String.UnicodeScalarView(scalars[..<end]))
                tokens.append(value.contains("\"") ? "'\(value)'" : "\"\(value)\"")
                scalars = scalars[scalars.index(after: end)...]
            } else if c == "(" || c == ")" {
                tokens.append(String(c))
                scalars.removeFirst()
            } else if "<>=!~".unicodeScalars.contains(c) {
                var op = ""
                while let d = scalars.first, "<>=!~".unicodeScalars.contains(d) {
                    op.unicodeScalars.append(d)
                    scalars.removeFirst()
                }
                tokens.append(op)
            } else {
                var word = ""
                while let d = scalars.first, d.properties.isAlphabetic || ("0"..."9").contains(d) || d == "_" || d == "." || d == "-" {
                    word.unicodeScalars.append(d)
                    scalars.removeFirst()
                }
                guard !word.isEmpty else { throw .invalidRequirement(text, reason: "unexpected '\(c)' in marker") }
                if word == "in", tokens.last == "not" {
                    tokens[tokens.count - 1] = "not in"
                } else {
                    tokens.append(word)
                }
            }
        }
        guard !tokens.isEmpty else { throw .invalidRequirement(text, reason: "empty marker") }
        var out = ""
        for (index, token) in tokens.enumerated() {
            if index > 0 && token != ")" && tokens[index - 1] != "(" { out += " " }
            out += token
        }
        return out
    }
}
