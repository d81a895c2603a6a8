/// A distribution's name as a value: kept as written, compared and hashed by its PEP 503 normalized form
/// (`ML_Metadata` equals `ml-metadata`); the static functions are the name rules themselves (PEP 503
/// normalization, and the escaping wheel file names use).
public struct ProjectName: Sendable, Hashable, CustomStringConvertible {
    /// The name as written (in METADATA, a recipe or a file name).
    public let spelling: String

    /// Wraps a name as written.
    public init(_ spelling: String) { self.spelling = spelling }

    /// The PEP 503 normalized form.
    public var normalizedName: String { Self.normalized(spelling) }

    /// The escaped form for file names and `.dist-info` folders.
    public var escapedName: String { Self.escaped(spelling) }

    /// The name as written.
    public var description: String { spelling }

    /// Whether two names are the same project: equal PEP 503 normalized forms.
    public static func == (lhs: ProjectName, rhs: ProjectName) -> Bool { lhs.normalizedName == rhs.normalizedName }

    /// Hashes the PEP 503 normalized form, so names that are equal hash alike.
    public func hash(into hasher: inout Hasher) { hasher.combine(normalizedName) }

    /// PEP 503: lowercase, and every run of `-`, `_` or `.` becomes one `-`.
    public static func normalized(_ name: String) -> String {
        collapseSeparators(name, into: "-")
    }

    /// The form used in wheel file names and `.dist-info` folders: runs of `-`, `_`, `.` become `_`,
    /// lowercase (binary distribution format, "Escaping and Unicode").
    public static func escaped(_ name: String) -> String {
        collapseSeparators(name, into: "_")
    }

    /// Whether `name` is a valid project name (PEP 508: ASCII letters and digits, with `.`, `_`, `-` inside).
    public static func isValid(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last else { return false }
        func alnum(_ s: Unicode.Scalar) -> Bool { s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s)) }
        return alnum(first) && alnum(last) && scalars.allSatisfy { alnum($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    private static func collapseSeparators(_ name: String, into separator: Character) -> String {
        var out = ""
        var inRun = false
        for c in name.lowercased() {
            if c == "-" || c == "_" || c == "." {
                if !inRun { out.append(separator) }
                inRun = true
            } else {
                out.append(c)
                inRun = false
            }
        }
        return out
    }
}
