import FoundationEssentials
import WheelChecks

/// Renders check reports: text for people (location first, then code and message, then a hint), or the
/// JSON document described in docs (schema version 2).
///
/// The text report escapes every untrusted string (`TerminalText`); the JSON document carries them exactly.
enum CheckReportRenderer {
    /// The text report's first line when a configuration file applies, naming it.
    static func textHeader(configuration: String?) -> String {
        configuration.map { "configuration: \(TerminalText.escape($0))\n" } ?? ""
    }

    /// One block per finding, and a summary line per wheel.
    static func text(_ reports: [CheckReport]) -> String {
        var out = ""
        for report in reports {
            for finding in report.findings {
                var location = TerminalText.escape(report.path)
                if let entry = finding.entry { location += "!\(TerminalText.escape(entry))" }
                if let line = finding.recordLine { location += " (RECORD line \(line))" }
                out += "\(finding.severity.rawValue): \(location): \(finding.code.rawValue) \(TerminalText.escape(finding.message))"
                switch (TerminalText.escape(finding.expected), TerminalText.escape(finding.actual)) {
                case (let expected?, let actual?): out += " (expected \(expected), got \(actual))"
                case (let expected?, nil): out += " (expected \(expected))"
                case (nil, let actual?): out += " (\(actual))"
                case (nil, nil): break
                }
                out += "\n"
                if let hint = finding.hint { out += "  hint: \(TerminalText.escape(hint))\n" }
            }
            out += "\(TerminalText.escape(report.path)): \(verdict(report))\n"
        }
        return out
    }

    /// `ok`, or `1 error, 2 warnings`: each count with its noun in the singular for one.
    static func verdict(_ report: CheckReport) -> String {
        let errors = report.findings.filter { $0.severity == .error }.count
        let warnings = report.findings.count - errors
        return report.findings.isEmpty ? "ok" : "\(count(errors, "error")), \(count(warnings, "warning"))"
    }

    private static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// The version of the JSON document; 2 added `configuration`.
    static let schemaVersion = 2

    /// The JSON document, `{"configuration": …, "schema_version": 2, "wheels": [...]}` with keys sorted and absent values as
    /// null, as a stream: its start, one wheel at a time (`jsonElement`), its end.
    static func jsonStream(configuration: String?) -> StreamedJSONArray {
        StreamedJSONArray { placeholder in Document(configuration: configuration, wheels: [placeholder]) }
    }

    /// The document for one wheel, as `jsonStream`'s elements.
    static func jsonElement(_ report: CheckReport) -> some Encodable { Wheel(report: report) }

    private struct Document<Element: Encodable>: Encodable {
        let configuration: String?
        let wheels: [Element]
        enum Keys: String, CodingKey {
            case configuration
            case schemaVersion = "schema_version"
            case wheels
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(configuration, forKey: .configuration)
            try container.encode(CheckReportRenderer.schemaVersion, forKey: .schemaVersion)
            try container.encode(wheels, forKey: .wheels)
        }
    }

    private struct Wheel: Encodable {
        let report: CheckReport
        enum Keys: String, CodingKey { case path, ok, errors, warnings, findings }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            let errors = report.findings.filter { $0.severity == .error }.count
            try container.encode(report.path, forKey: .path)
            try container.encode(errors == 0, forKey: .ok)
            try container.encode(errors, forKey: .errors)
            try container.encode(report.findings.count - errors, forKey: .warnings)
            try container.encode(report.findings.map(Item.init), forKey: .findings)
        }
    }

    private struct Item: Encodable {
        let finding: Finding
        enum Keys: String, CodingKey {
            case code, severity, entry
            case recordLine = "record_line"
            case message, expected, actual, hint
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(finding.code, forKey: .code)
            try container.encode(finding.severity.rawValue, forKey: .severity)
            try container.encode(finding.entry, forKey: .entry)
            try container.encode(finding.recordLine, forKey: .recordLine)
            try container.encode(finding.message, forKey: .message)
            try container.encode(finding.expected, forKey: .expected)
            try container.encode(finding.actual, forKey: .actual)
            try container.encode(finding.hint, forKey: .hint)
        }
    }
}
