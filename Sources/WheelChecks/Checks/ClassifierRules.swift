import FoundationEssentials
import PurewheelBasics
import WheelModel

/// PW645 and PW648: every `Classifier` must be a current trove classifier, as PyPI requires on upload.
///
/// warehouse `forklift/metadata.py` `_validate_metadata` refuses a value that is not in trove-classifiers'
/// `all_classifiers` and one in its `deprecated_classifiers`, comparing the strings exactly as `packaging.metadata`
/// reads them from METADATA: leading blanks dropped, trailing ones kept. `Private ::` classifiers are PW643.
/// Installers ignore classifiers, so both are warnings by default and errors under `--profile pypi`.
struct ClassifierRules {
    let headers: HeaderFields
    let entry: String

    func run() -> [Finding] {
        var findings = [Finding]()
        var seen = Set<String>()
        for raw in headers.all("Classifier") {
            let value = Self.asTheIndexReadsIt(raw)
            guard seen.insert(value).inserted, !TroveClassifiers.current.contains(value), !Self.isPrivate(value) else { continue }
            if let replacements = TroveClassifiers.deprecated[value] {
                findings.append(
                    Finding(
                        .deprecatedClassifier, entry: entry, "a classifier is deprecated, and PyPI refuses it", actual: value,
                        hint: replacements.isEmpty
                            ? "remove it; trove-classifiers names no replacement"
                            : "use \(replacements.map { "'\($0)'" }.joined(separator: " or ")) instead"))
                continue
            }
            let trimmed = value.trimmingWhitespace()
            let hint =
                trimmed != value && TroveClassifiers.current.contains(trimmed)
                ? "remove the blanks after '\(trimmed)': PyPI compares the whole value"
                : "pick one from the list of trove-classifiers \(TroveClassifiers.release)"
            findings.append(
                Finding(.unknownClassifier, entry: entry, "a classifier is not on the trove classifier list", actual: value, hint: hint))
        }
        return findings
    }

    /// The value as `packaging.metadata` hands it to the index: the email parser drops the blanks after the colon and
    /// the line break, nothing else.
    static func asTheIndexReadsIt(_ value: String) -> String {
        var text = Substring(value)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while text.last == "\r" { text = text.dropLast() }
        return String(text)
    }

    // The same test PW643 makes, so one value gives one finding.
    private static func isPrivate(_ value: String) -> Bool {
        value.trimmingWhitespace().lowercased().hasPrefix("private ::")
    }
}
