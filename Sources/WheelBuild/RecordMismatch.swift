import WheelModel

/// How an upstream RECORD row disagrees with the archive.
public enum RecordMismatch: Sendable, Hashable, CustomStringConvertible {
    /// The archive holds the file; RECORD does not list it.
    case notListed
    /// RECORD lists the file; the archive does not hold it.
    case notInArchive
    /// RECORD's size (if any) is not the archive's.
    case sizeDiffers(recorded: UInt64?, actual: UInt64)
    /// RECORD gives no sha256 hash for the file.
    case noSHA256
    /// RECORD's hash (if any) is not the content's.
    case hashDiffers(recorded: RecordHash?, actual: RecordHash)

    /// What RECORD says against what the archive holds, for the error message.
    public var description: String {
        switch self {
        case .notListed: return "the file is not listed"
        case .notInArchive: return "RECORD lists a file the archive does not contain"
        case .sizeDiffers(let recorded, let actual):
            return "RECORD says \(recorded.map(String.init) ?? "no size"), the archive holds \(actual) bytes"
        case .noSHA256: return "RECORD gives no sha256 hash"
        case .hashDiffers(let recorded, let actual):
            return "RECORD says \(recorded?.description ?? "nothing"), the content hashes to \(actual)"
        }
    }
}
