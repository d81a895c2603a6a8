import PurewheelBasics
import WheelChecks
import WheelModel

/// A pure wheel written to its final path.
public struct WrittenWheel: Sendable {
    /// The wheel that was written.
    public let wheel: PureWheel
    /// Its path.
    public let path: String
    /// SHA-256 of the file.
    public let sha256: SHA256Digest
    /// File size in bytes.
    public let size: UInt64
}
