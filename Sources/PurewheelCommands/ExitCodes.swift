import PurewheelBasics

/// The only place failure categories become process exit codes (sysexits.h numbers where one fits).
public enum ExitCodes {
    /// Success.
    public static let success: Int32 = 0

    /// The exit code for a failure category.
    public static func code(for category: FailureCategory) -> Int32 {
        switch category {
        case .findings: return 1
        case .pinConflict: return 3
        case .provenanceMismatch: return 4
        case .usage: return 64  // EX_USAGE
        case .badInput: return 65  // EX_DATAERR
        case .missingInput: return 66  // EX_NOINPUT
        case .internal: return 70  // EX_SOFTWARE
        case .io: return 74  // EX_IOERR
        case .recipe: return 78  // EX_CONFIG
        }
    }
}
