/// A PEP 440 version specifier set such as `>=1.17,<2` or `~=1.21.0`, deciding which versions it contains.
///
/// Spec: packaging.python.org, "Version specifiers", "Version specifiers" section. Pre-releases and
/// development releases are contained only when a clause itself names one (as pip and packaging decide by
/// default).
public struct VersionSpecifierSet: Sendable, Hashable, CustomStringConvertible {
    /// One clause: an operator and a version (with `.*` for prefix matching).
    public struct Clause: Sendable, Hashable {
        /// The comparison the clause makes.
        public let op: VersionOperator
        /// The version as written after the operator, without `.*`.
        public let versionText: String
        /// The parsed version (`nil` only for `===`, which compares text).
        public let version: PEP440Version?
        /// Whether the clause ended with `.*`.
        public let isPrefix: Bool
    }

    /// The clauses, all of which must hold.
    public let clauses: [Clause]
    /// The text as written.
    public let text: String

    /// Parses a comma-separated specifier set; `nil` when a clause is not valid PEP 440.
    public init?(parsing text: String) {
        var clauses = [Clause]()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let clause = String(part).trimmingBlanks()
            guard let op = VersionOperator(prefixOf: clause) else { return nil }
            var versionText = String(clause.dropFirst(op.rawValue.count)).trimmingBlanks()
            guard !versionText.isEmpty else { return nil }
            if op == .arbitraryEquality {
                clauses.append(Clause(op: op, versionText: versionText, version: nil, isPrefix: false))
                continue
            }
            let isPrefix = versionText.hasSuffix(".*")
            guard !isPrefix || op.allowsPrefixMatch else { return nil }
            if isPrefix { versionText.removeLast(2) }
            guard let version = PEP440Version(parsing: versionText) else { return nil }
            guard op != .compatible || version.release.count >= 2 else { return nil }
            clauses.append(Clause(op: op, versionText: versionText, version: version, isPrefix: isPrefix))
        }
        guard !clauses.isEmpty else { return nil }
        self.clauses = clauses
        self.text = text
    }

    /// The specifier set as it was written.
    public var description: String { text }

    /// Whether `candidate` satisfies every clause.
    public func contains(_ candidate: PEP440Version) -> Bool {
        let allowsPreReleases = clauses.contains { $0.version?.isPreRelease ?? false }
        if candidate.isPreRelease && !allowsPreReleases { return false }
        return clauses.allSatisfy { $0.admits(candidate) }
    }

    /// Whether the version spelled `text` satisfies every clause; `false` when it is not a version.
    public func contains(_ text: String) -> Bool {
        PEP440Version(parsing: text).map { contains($0) } ?? false
    }
}

extension VersionSpecifierSet.Clause {
    /// Whether `candidate` satisfies this clause alone.
    func admits(_ candidate: PEP440Version) -> Bool {
        // Only `===` has no version: it compares the text as written.
        guard let version else { return candidate.description == versionText.lowercased() }
        switch op {
        case .equal: return equals(candidate, version)
        case .notEqual: return !equals(candidate, version)
        case .lessOrEqual: return candidate.withoutLocal <= version
        case .greaterOrEqual: return candidate.withoutLocal >= version
        case .less:
            // `<V` does not admit a pre-release of V itself unless V is one.
            guard candidate.withoutLocal < version else { return false }
            return version.isPreRelease
                || !(candidate.isPreRelease && candidate.trimmedRelease == version.trimmedRelease && candidate.epoch == version.epoch)
        case .greater:
            // `>V` does not admit a post-release or a local version of V itself unless V is a post-release.
            guard candidate.withoutLocal > version else { return false }
            if version.postRelease == nil, candidate.postRelease != nil, candidate.trimmedRelease == version.trimmedRelease { return false }
            return true
        case .compatible:
            let prefix = Array(version.release.dropLast())
            return candidate.withoutLocal >= version && candidate.epoch == version.epoch
                && Self.padded(candidate.release, to: prefix.count).prefix(prefix.count).elementsEqual(prefix)
        case .arbitraryEquality:
            // Parsing gives `===` no version, so the guard above has answered it.
            return false
        }
    }

    private func equals(_ candidate: PEP440Version, _ version: PEP440Version) -> Bool {
        if isPrefix {
            guard candidate.epoch == version.epoch else { return false }
            return Self.padded(candidate.release, to: version.release.count).prefix(version.release.count).elementsEqual(version.release)
        }
        // A specifier without a local label ignores the candidate's.
        return (version.local.isEmpty ? candidate.withoutLocal : candidate) == version
    }

    private static func padded(_ numbers: [Int], to count: Int) -> [Int] {
        numbers.count >= count ? numbers : numbers + Array(repeating: 0, count: count - numbers.count)
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs, cut at the first and last other `Character`.
    fileprivate func trimmingBlanks() -> String {
        let isBlank = { (character: Character) in character == " " || character == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...last])
    }
}
