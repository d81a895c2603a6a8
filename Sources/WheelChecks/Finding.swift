import PurewheelBasics

/// How serious a finding is: errors fail `check` (exit 1) and the build's verification; warnings do not.
public enum Severity: String, Sendable, Hashable, Comparable, Codable {
    case warning
    case error

    /// Warnings order before errors.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
}

/// One problem found in a wheel.
public struct Finding: Sendable, Hashable {
    /// The stable code, such as `PW301` (`docs/codes.md`).
    public let code: FindingCode
    /// Error or warning.
    public let severity: Severity
    /// The archive entry concerned, if any.
    public let entry: String?
    /// The RECORD line concerned, if any (1-based).
    public let recordLine: Int?
    /// What is wrong.
    public let message: String
    /// What the spec expects, where that is a value.
    public let expected: String?
    /// What was found.
    public let actual: String?
    /// What to do.
    public let hint: String?

    /// Creates a finding.
    public init(
        code: FindingCode, severity: Severity, entry: String? = nil, recordLine: Int? = nil, message: String,
        expected: String? = nil, actual: String? = nil, hint: String? = nil
    ) {
        self.code = code
        self.severity = severity
        self.entry = entry
        self.recordLine = recordLine
        self.message = message
        self.expected = expected
        self.actual = actual
        self.hint = hint
    }
}

extension Finding {
    /// The finding on one line, as build errors and summaries list it: `PW403 pkg/mod.py: message`.
    ///
    /// Entry and message come from the wheel: a terminal gets this line escaped.
    public var line: String { "\(code.rawValue) \(entry.map { "\($0): " } ?? "")\(message)" }
}

/// The findings for one wheel file.
public struct CheckReport: Sendable, Hashable {
    /// The wheel's path as given.
    public let path: String
    /// Every finding, in a deterministic order.
    public let findings: [Finding]

    /// What the wheel says about its release, for `ReleaseConsistency`; `nil` when its METADATA could not be read.
    public let releaseFacts: ReleaseFacts?

    /// Creates a report.
    public init(path: String, findings: [Finding], releaseFacts: ReleaseFacts? = nil) {
        self.path = path
        self.findings = findings
        self.releaseFacts = releaseFacts
    }

    /// The same report with more findings (a folder's cross-wheel rules), in code order.
    ///
    /// - Parameter more: findings about this wheel found by comparing it with others.
    /// - Returns: the report with every finding sorted by code, the existing order kept within a code.
    public func adding(_ more: [Finding]) -> CheckReport {
        let all = (findings + more).enumerated().sorted { ($0.element.code, $0.offset) < ($1.element.code, $1.offset) }.map(\.element)
        return CheckReport(path: path, findings: all, releaseFacts: releaseFacts)
    }

    /// Whether any finding has error severity.
    public var hasErrors: Bool { findings.contains { $0.severity == .error } }
}
