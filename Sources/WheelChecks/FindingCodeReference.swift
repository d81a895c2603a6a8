import PurewheelBasics

/// The reference page of every finding code, `docs/codes.md`, rendered from the codes' own descriptions.
///
/// The page is generated (`swift run purewheel-docs codes > docs/codes.md`) and a test fails when the committed
/// page differs, so the codes, their severities and their documentation cannot drift apart.
public enum FindingCodeReference {
    /// The Markdown page listing every code with its severity per profile, meaning, why it matters and its spec.
    ///
    /// - Returns: the page's bytes as a string, ending with a newline.
    public static func markdown() -> String {
        var lines = [
            "# Finding codes",
            "",
            "<!-- Generated from Sources/WheelChecks/FindingCode+*.swift by",
            "     `swift run purewheel-docs codes > docs/codes.md`; do not edit. -->",
            "",
            "Severity `E` fails the check, `W` is reported only; `(pypi: E)` marks a warning that `--profile pypi`",
            "makes an error. Spec abbreviations: **BDF** = binary distribution format (packaging.python.org,",
            "\"Binary distribution format\", PEP 427/491), **APPNOTE** = PKWARE APPNOTE.TXT 6.3.10, **CMS** = core",
            "metadata specifications, **RFC** = PEP 376 RECORD / \"Recording installed projects\".",
            "",
            "| Code | Sev | Meaning | Why it matters | Spec |",
            "|---|---|---|---|---|",
        ]
        for code in FindingCode.allCases.sorted() {
            let cells = [code.rawValue, severityCell(code), code.summary, code.why, code.specification]
            lines.append("| " + cells.map(escapedCell).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func severityCell(_ code: FindingCode) -> String {
        let byDefault = letter(CheckProfile.default.severity(of: code))
        let onPyPI = letter(CheckProfile.pypi.severity(of: code))
        return byDefault == onPyPI ? byDefault : "\(byDefault) (pypi: \(onPyPI))"
    }

    private static func letter(_ severity: Severity) -> String {
        switch severity {
        case .error: return "E"
        case .warning: return "W"
        }
    }

    // A `|` inside a cell would end it early in every Markdown table renderer.
    private static func escapedCell(_ text: String) -> String {
        text.replacingLiterally("|", with: "\\|")
    }
}
