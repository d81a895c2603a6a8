import PurewheelBasics

/// PEP 440 rules over version spellings as they appear in files, recipes and indexes, where a spelling may
/// not parse: the one place that says when two spellings name the same version.
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

    /// The spelling compared when a version does not parse.
    private static func looseSpelling(_ version: String) -> String {
        var text = version.lowercased().replacingLiterally("_", with: "-")
        if text.hasPrefix("v") { text.removeFirst() }
        return text
    }
}

extension PEP440Version {
    /// `versions` in PEP 440 order, each version once, spelled as it first comes (`1.9` then `1.9.0` keeps `1.9`).
    public static func sortedUnique(_ versions: some Sequence<PEP440Version>) -> [PEP440Version] {
        var unique = [PEP440Version]()
        for version in versions where !unique.contains(version) { unique.append(version) }
        return unique.sorted()
    }
}
