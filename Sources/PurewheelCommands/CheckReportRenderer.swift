import FoundationEssentials
import WheelChecks

/// Renders check reports: text for people (location first, then code and message, then a hint), or the
/// JSON document described in the README (schema version 1).
///
/// The text report escapes every untrusted string (`TerminalText`); the JSON document carries them exactly.
enum CheckReportRenderer {
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
            let errors = report.findings.filter { $0.severity == .error }.count
            let warnings = report.findings.count - errors
            out +=
                "\(TerminalText.escape(report.path)): "
                + (report.findings.isEmpty ? "ok" : "\(count(errors, "error")), \(count(warnings, "warning"))") + "\n"
        }
        return out
    }

    private static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// The JSON document: `{"schema_version": 1, "wheels": [...]}`, keys sorted, absent values as null.
    static func json(_ reports: [CheckReport]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and nulls cannot fail.
        let data = (try? encoder.encode(Document(reports: reports))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private struct Document: Encodable {
        let reports: [CheckReport]
        enum Keys: String, CodingKey {
            case schemaVersion = "schema_version"
            case wheels
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(1, forKey: .schemaVersion)
            try container.encode(reports.map(Wheel.init), forKey: .wheels)
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
