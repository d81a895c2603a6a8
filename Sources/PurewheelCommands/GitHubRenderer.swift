import PurewheelBasics
import WheelChecks

/// Renders check reports as GitHub Actions workflow commands: one `::error` or `::warning` annotation per
/// finding, naming the wheel (`file=`) and the code (`title=`), with the entry at the start of the message,
/// then one plain summary line per wheel, after a line naming the configuration file when one applies.
///
/// Untrusted strings are first made visible with `TerminalText.escape` (a log viewer interprets ANSI
/// sequences too), then encoded by GitHub's own rules (`@actions/core` `command.ts`): in a message `%`, CR
/// and LF become `%25`, `%0D`, `%0A`; in a property `:` and `,` also become `%3A` and `%2C`.
enum GitHubRenderer {
    /// Every annotation, one per line, and a `purewheel: <path>: …` summary line per wheel.
    static func render(_ reports: [CheckReport]) -> String {
        var out = ""
        for report in reports {
            for finding in report.findings {
                out += annotation(finding, path: report.path) + "\n"
            }
            // Prefixed so that a file name beginning with `::` cannot start a workflow command of its own.
            out += "purewheel: \(TerminalText.escape(report.path)): \(CheckReportRenderer.verdict(report))\n"
        }
        return out
    }

    /// The first line when a configuration file applies: `purewheel: configuration: <path>`.
    static func header(configuration: String?) -> String {
        configuration.map { "purewheel: configuration: \(TerminalText.escape($0))\n" } ?? ""
    }

    /// `::error file=<wheel>,title=<code>::<wheel>!<entry>: <message> (expected …, got …)` with the hint on
    /// a second line of the message.
    static func annotation(_ finding: Finding, path: String) -> String {
        let command = finding.severity == .error ? "error" : "warning"
        var location = TerminalText.escape(path)
        if let entry = finding.entry { location += "!" + TerminalText.escape(entry) }
        if let line = finding.recordLine { location += " (RECORD line \(line))" }
        var message = "\(location): \(TerminalText.escape(finding.message))"
        switch (TerminalText.escape(finding.expected), TerminalText.escape(finding.actual)) {
        case (let expected?, let actual?): message += " (expected \(expected), got \(actual))"
        case (let expected?, nil): message += " (expected \(expected))"
        case (nil, let actual?): message += " (\(actual))"
        case (nil, nil): break
        }
        if let hint = finding.hint { message += "\nhint: " + TerminalText.escape(hint) }
        let properties = "file=\(escapeProperty(TerminalText.escape(path))),title=\(escapeProperty(finding.code.rawValue))"
        return "::\(command) \(properties)::\(escapeData(message))"
    }

    /// GitHub's `escapeData`.
    static func escapeData(_ text: String) -> String {
        text.replacingLiterally("%", with: "%25").replacingLiterally("\r", with: "%0D").replacingLiterally("\n", with: "%0A")
    }

    /// GitHub's `escapeProperty`.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingLiterally(":", with: "%3A").replacingLiterally(",", with: "%2C")
    }
}
