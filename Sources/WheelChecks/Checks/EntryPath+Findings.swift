import PurewheelBasics

extension EntryPath.Problem {
    /// The finding code that reports this problem (PW2xx).
    var findingCode: FindingCode {
        switch self {
        case .empty, .emptySegment: return .emptySegment
        case .controlCharacter: return .controlCharacter
        case .absolute: return .absolutePath
        case .driveLetter: return .driveLetter
        case .backslash: return .backslash
        case .parentReference: return .parentReference
        }
    }

    /// What the finding says.
    var findingMessage: String {
        switch self {
        case .empty, .emptySegment: return "the name is empty or has an empty or '.' segment"
        case .controlCharacter: return "the name contains NUL or a control character"
        case .absolute: return "the name is an absolute path"
        case .driveLetter: return "the name starts with a drive letter"
        case .backslash: return "the name contains a backslash, a separator on Windows"
        case .parentReference: return "the name contains a '..' segment"
        }
    }
}
