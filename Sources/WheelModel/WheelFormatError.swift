import PurewheelBasics

/// A wheel file name, METADATA, WHEEL or RECORD that does not follow the specifications.
public enum WheelFormatError: PurewheelError, Equatable {
    /// The file name is not `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl` (PEP 427).
    case invalidFilename(String, reason: String)
    /// A METADATA or WHEEL header line is not `Key: Value`.
    case invalidHeaderLine(file: String, line: Int, text: String)
    /// A required field is missing.
    case missingField(file: String, field: String)
    /// A RECORD row cannot be parsed.
    case invalidRecordRow(file: String, line: Int, reason: String)
    /// A requirement does not parse as PEP 508.
    case invalidRequirement(String, reason: String)
    /// A version does not parse as PEP 440.
    case invalidVersion(String)

    /// Where the failure is: the wheel file name or the METADATA, WHEEL or RECORD file; `nil` for a requirement or version.
    public var location: SourceLocation? {
        switch self {
        case .invalidFilename(let name, _): return .file(name)
        case .invalidHeaderLine(let file, _, _), .missingField(let file, _), .invalidRecordRow(let file, _, _): return .file(file)
        case .invalidRequirement, .invalidVersion: return nil
        }
    }

    /// Always `.badInput`: the wheel does not follow the specifications.
    public var category: FailureCategory { .badInput }

    /// What is wrong, with the offending line, field or text.
    public var message: String {
        switch self {
        case .invalidFilename(_, let reason): return "not a valid wheel file name: \(reason)"
        case .invalidHeaderLine(_, let line, let text): return "line \(line) is not 'Key: Value': \(text)"
        case .missingField(_, let field): return "required field '\(field)' is missing"
        case .invalidRecordRow(_, let line, let reason): return "RECORD line \(line): \(reason)"
        case .invalidRequirement(let text, let reason): return "invalid requirement '\(text)': \(reason)"
        case .invalidVersion(let text): return "'\(text)' is not a valid PEP 440 version"
        }
    }
}
