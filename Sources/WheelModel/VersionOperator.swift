/// The comparison a PEP 440 version specifier clause makes (packaging.python.org, "Version specifiers").
public enum VersionOperator: String, Sendable, Hashable, CaseIterable {
    /// `~=`: at least the version, within its release series.
    case compatible = "~="
    /// `==`: the same version, or with `.*` the same release prefix.
    case equal = "=="
    /// `!=`: not the same version, or with `.*` not the same release prefix.
    case notEqual = "!="
    /// `<=`: at most the version.
    case lessOrEqual = "<="
    /// `>=`: at least the version.
    case greaterOrEqual = ">="
    /// `<`: below the version, pre-releases of it excluded.
    case less = "<"
    /// `>`: above the version, post-releases and local versions of it excluded.
    case greater = ">"
    /// `===`: the same text, compared as strings rather than as versions.
    case arbitraryEquality = "==="

    /// The operator `clause` starts with, longest spelling first (`===` before `==`, `<=` before `<`).
    ///
    /// - Returns: the operator, or `nil` when the clause starts with none.
    public init?(prefixOf clause: some StringProtocol) {
        guard let match = Self.longestFirst.first(where: { clause.hasPrefix($0.rawValue) }) else { return nil }
        self = match
    }

    /// Whether a clause with this operator may end with `.*` (PEP 440 allows it for `==` and `!=` only).
    public var allowsPrefixMatch: Bool { self == .equal || self == .notEqual }

    private static let longestFirst = allCases.sorted { $0.rawValue.count > $1.rawValue.count }
}
