import PurewheelBasics

/// PEP 440 rules over version spellings as they appear in files, recipes and indexes, where a spelling may
/// not parse: the one place that says when two spellings name the same version and how spellings order.
public enum PEP440 {
    /// Whether `text` is a valid public or local PEP 440 version (any spelling PEP 440 allows).
    public static func isValid(_ text: String) -> Bool {
        PEP440Version(parsing: text) != nil
    }

    /// Whether two spellings name the same version: equal after PEP 440 normalization (`1.0` and `1.0.0`,
    /// `1.0RC1` and `1.0rc1`); spellings that do not parse compare case-folded, `_` as `-`, without a
    /// leading `v`.
    public static func areSame(_ lhs: String, _ rhs: String) -> Bool {
        if let left = PEP440Version(parsing: lhs), let right = PEP440Version(parsing: rhs) { return left == right }
        return looseSpelling(lhs) == looseSpelling(rhs)
    }

    /// Whether `lhs` orders before `rhs`: PEP 440 order, and text order where either does not parse or the
    /// two are the same version, so that sorting is total and deterministic.
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        if let left = PEP440Version(parsing: lhs), let right = PEP440Version(parsing: rhs), left != right { return left < right }
        return lhs < rhs
    }

    /// `versions` without repeated versions (the first spelling kept), in PEP 440 order.
    public static func sortedUnique(_ versions: [String]) -> [String] {
        var unique = [String]()
        for version in versions where !unique.contains(where: { areSame($0, version) }) { unique.append(version) }
        return unique.sorted(by: precedes)
    }

    /// The spelling compared when a version does not parse.
    private static func looseSpelling(_ version: String) -> String {
        var text = version.lowercased().replacingLiterally("_", with: "-")
        if text.hasPrefix("v") { text.removeFirst() }
        return text
    }
}
