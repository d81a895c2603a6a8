import ArgumentParser
import Foundation
import WheelChecks

/// `purewheel check`: verify wheel files and report every finding, for people or as JSON.
///
/// Exit status: 0 when no wheel has an error-severity finding, 1 otherwise (warnings never fail). An
/// unreadable or missing file is a report with its own code (PW100, PW101), not a crash.
struct CheckCommand: EnvironmentCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the integrity of wheel files.",
        discussion: """
            Reads the zip structure defensively, verifies every RECORD hash and size, checks WHEEL and METADATA \
            against the file name, and looks for native code in pure wheels. Codes are listed in the README.
            Exit status: 0 when no error-severity finding, 1 otherwise.
            """
    )

    /// How the report is printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Wheel files to check.")
    var wheels: [String]

    @Option(help: "Output format: text or json (schema in the README).")
    var format: Format = .text

    @Option(help: ArgumentHelp("Report only these codes or code prefixes, e.g. PW4 (repeatable, or comma-separated).", valueName: "code"))
    var select: [String] = []

    @Option(help: ArgumentHelp("Never report these codes or code prefixes (repeatable, or comma-separated).", valueName: "code"))
    var ignore: [String] = []

    @Option(help: "Rule profile: default, or pypi (every rule the index enforces on upload is an error).")
    var profile: Profile = .default

    /// The rule profiles `--profile` accepts (`CheckProfile`).
    enum Profile: String, ExpressibleByArgument, CaseIterable {
        case `default`, pypi
    }

    @Option(help: "Most entries a wheel may have.")
    var maxEntries: Int = ResourceLimits().maxEntries

    @Option(help: "Largest uncompressed size of one entry, in bytes.")
    var maxEntrySize: UInt64 = ResourceLimits().maxEntrySize

    @Option(help: "Largest total uncompressed size, in bytes.")
    var maxTotalSize: UInt64 = ResourceLimits().maxTotalSize

    @Option(help: "Largest compression ratio of an entry of 16 MiB or more.")
    var maxRatio: UInt64 = ResourceLimits().maxCompressionRatio

    func validate() throws {
        for code in Self.split(select) + Self.split(ignore) where !Self.isCodePrefix(code) {
            throw ValidationError("'\(code)' is not a finding code or code prefix (such as PW405 or PW4)")
        }
        guard maxEntries > 0, maxEntrySize > 0, maxTotalSize > 0, maxRatio > 0 else {
            throw ValidationError("limits must be positive")
        }
    }

    func execute(in environment: CommandEnvironment) throws -> Int32 {
        let selected = Self.split(select)
        var limits = ResourceLimits()
        limits.maxEntries = maxEntries
        limits.maxEntrySize = maxEntrySize
        limits.maxTotalSize = maxTotalSize
        limits.maxCompressionRatio = maxRatio
        let checker = WheelChecker(
            options: CheckOptions(
                select: selected.isEmpty ? nil : selected, ignore: Self.split(ignore), limits: limits,
                profile: CheckProfile(rawValue: profile.rawValue) ?? .default))
        let reports = wheels.map { checker.check(path: $0) }
        switch format {
        case .text: environment.writeOut(CheckReportRenderer.text(reports))
        case .json: environment.writeOut(CheckReportRenderer.json(reports))
        }
        return reports.contains { $0.hasErrors } ? ExitCodes.code(for: .findings) : ExitCodes.success
    }

    /// `--select A,B --select C` → `[A, B, C]`, upper-cased.
    static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
    }

    /// `PW`, `PW4`, `PW40`, `PW405`.
    static func isCodePrefix(_ text: String) -> Bool {
        text.hasPrefix("PW") && text.count <= 5 && text.dropFirst(2).allSatisfy { $0.isASCII && $0.isNumber }
    }
}

/// Renders check reports: text for people (location first, then code and message, then a hint), or the
/// JSON document described in the README (schema version 1).
enum CheckReportRenderer {
    /// One block per finding, and a summary line per wheel.
    static func text(_ reports: [CheckReport]) -> String {
        var out = ""
        for report in reports {
            for finding in report.findings {
                var location = report.path
                if let entry = finding.entry { location += "!\(entry)" }
                if let line = finding.recordLine { location += " (RECORD line \(line))" }
                out += "\(finding.severity.rawValue): \(location): \(finding.code) \(finding.message)"
                switch (finding.expected, finding.actual) {
                case (let expected?, let actual?): out += " (expected \(expected), got \(actual))"
                case (let expected?, nil): out += " (expected \(expected))"
                case (nil, let actual?): out += " (\(actual))"
                case (nil, nil): break
                }
                out += "\n"
                if let hint = finding.hint { out += "  hint: \(hint)\n" }
            }
            let errors = report.findings.filter { $0.severity == .error }.count
            let warnings = report.findings.count - errors
            out += "\(report.path): " + (report.findings.isEmpty ? "ok" : "\(count(errors, "error")), \(count(warnings, "warning"))") + "\n"
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
