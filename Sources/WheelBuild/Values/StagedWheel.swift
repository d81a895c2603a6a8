import PurewheelBasics
import ZipIO

/// A wheel written to its temporary path, not yet published, with the SHA-256 of the bytes as they were
/// written (the file is never read back for its digest).
public struct StagedWheel: Sendable {
    /// The wheel.
    public let wheel: PureWheel
    /// Where it will be published, and where it is now.
    public let file: AtomicFile
    /// SHA-256 of the written file.
    public let sha256: SHA256Digest
    /// Size of the written file in bytes.
    public let size: UInt64
}
