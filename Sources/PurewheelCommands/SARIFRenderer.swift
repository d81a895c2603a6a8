import FoundationEssentials
import PurewheelBasics
import WheelChecks

/// Renders check reports as one SARIF 2.1.0 log (OASIS, errata 01): a single run whose `tool.driver.rules` are every finding code (id,
/// name, the README summary, default level), one invocation whose `properties.configuration` names the `pyproject.toml` applied
/// (null for none), and one result per finding with its `ruleId`, `ruleIndex`, `level`, message, the wheel as `artifactLocation.uri`
/// and the entry as a logical location.
///
/// Expected and actual values, the RECORD line and the hint go in the result's `properties`. Strings are exact (JSON-escaped, never
/// terminal-escaped); keys are sorted.
enum SARIFRenderer {
    /// The log as a stream: its start (with the invocation naming `configuration`), results wheel by wheel, its end (the
    /// rules, which do not depend on the results).
    static func stream(configuration: String?) -> StreamedJSONArray {
        StreamedJSONArray { placeholder in
            Log(
                runs: [
                    Run(
                        invocations: [Invocation(properties: InvocationProperties(configuration: configuration))],
                        results: [placeholder],
                        tool: Tool(driver: Driver(version: PurewheelVersion.current, rules: FindingCode.allCases.map(Rule.init))))
                ])
        }
    }

    /// The results of one wheel's findings, as the next elements of `stream`.
    static func results(_ report: CheckReport, in stream: inout StreamedJSONArray) -> String {
        report.findings.map { stream.element(Result(finding: $0, path: report.path, ruleIndex: ruleIndex[$0.code])) }.joined()
    }

    private static let ruleIndex: [FindingCode: Int] = Dictionary(
        uniqueKeysWithValues: FindingCode.allCases.enumerated().map { ($0.element, $0.offset) })

    /// A path as a URI reference: relative paths stay relative, absolute ones become `file://` URIs, and
    /// every byte outside RFC 3986's unreserved characters, sub-delimiters, `@` and `/` is percent-encoded
    /// (`:` too, so that a relative path is never read as a scheme).
    static func uri(for path: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=@/".utf8)
        var encoded = ""
        for byte in path.utf8 {
            if allowed.contains(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }

    private struct Log<Element: Encodable>: Encodable {
        let schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
        let version = "2.1.0"
        let runs: [Run<Element>]
        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    private struct Run<Element: Encodable>: Encodable {
        let invocations: [Invocation]
        let results: [Element]
        let tool: Tool
    }

    /// The run's one invocation: it finished (findings are results, not a failed run), with the configuration applied.
    private struct Invocation: Encodable {
        let executionSuccessful = true
        let properties: InvocationProperties
    }

    /// `configuration`: the `pyproject.toml` applied, or null when none.
    private struct InvocationProperties: Encodable {
        let configuration: String?
        enum CodingKeys: String, CodingKey { case configuration }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(configuration, forKey: .configuration)
        }
    }

    private struct Tool: Encodable { let driver: Driver }

    private struct Driver: Encodable {
        let name = "purewheel"
        let version: String
        let rules: [Rule]
    }

    private struct Text: Encodable { let text: String }

    /// A SARIF `multiformatMessageString`: plain text, and the same in Markdown.
    private struct Help: Encodable {
        let text: String
        let markdown: String
    }

    /// A rule's metadata, from the same descriptions that generate docs/codes.md.
    private struct Rule: Encodable {
        struct Configuration: Encodable { let level: String }
        let id: String
        let name: String
        let shortDescription: Text
        let fullDescription: Text
        let help: Help
        let defaultConfiguration: Configuration

        init(_ code: FindingCode) {
            id = code.rawValue
            name = code.ruleName
            shortDescription = Text(text: code.summary)
            fullDescription = Text(text: "\(code.summary): \(Self.plain(code.why))")
            // `—` marks a rule no spec states (a resource limit, purewheel's own reading).
            let hasSpec = code.specification != "—"
            help = Help(
                text: "Why it matters: \(Self.plain(code.why))." + (hasSpec ? " Spec: \(Self.plain(code.specification))." : ""),
                markdown: "**Why it matters:** \(code.why)." + (hasSpec ? "\n\n**Spec:** \(code.specification)." : ""))
            defaultConfiguration = Configuration(level: code.severity == .error ? "error" : "warning")
        }

        /// The Markdown of a description without its code spans, for the plain-text fields.
        private static func plain(_ markdown: String) -> String { markdown.filter { $0 != "`" } }
    }

    private struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int?
        let level: String
        let message: Text
        let locations: [Location]
        let properties: Properties

        init(finding: Finding, path: String, ruleIndex: Int?) {
            ruleId = finding.code.rawValue
            self.ruleIndex = ruleIndex
            level = finding.severity == .error ? "error" : "warning"
            var text = finding.entry.map { "\($0): " } ?? ""
            text += finding.message
            switch (finding.expected, finding.actual) {
            case (let expected?, let actual?): text += " (expected \(expected), got \(actual))"
            case (let expected?, nil): text += " (expected \(expected))"
            case (nil, let actual?): text += " (\(actual))"
            case (nil, nil): break
            }
            message = Text(text: text)
            let logical = finding.entry.map { [LogicalLocation(name: $0, fullyQualifiedName: "\(path)!\($0)")] }
            locations = [
                Location(
                    physicalLocation: PhysicalLocation(artifactLocation: ArtifactLocation(uri: SARIFRenderer.uri(for: path))),
                    logicalLocations: logical)
            ]
            properties = Properties(
                entry: finding.entry, recordLine: finding.recordLine, expected: finding.expected, actual: finding.actual, hint: finding.hint
            )
        }
    }

    private struct Location: Encodable {
        let physicalLocation: PhysicalLocation
        let logicalLocations: [LogicalLocation]?
    }

    private struct PhysicalLocation: Encodable { let artifactLocation: ArtifactLocation }
    private struct ArtifactLocation: Encodable { let uri: String }

    private struct LogicalLocation: Encodable {
        let name: String
        let fullyQualifiedName: String
        let kind = "resource"
    }

    /// The finding's own fields, kept exact; absent ones are left out.
    private struct Properties: Encodable {
        let entry: String?
        let recordLine: Int?
        let expected: String?
        let actual: String?
        let hint: String?
    }
}
