import PurewheelBasics
import WheelChecks
import WheelModel

/// The wheel after retagging: new name and version, `py3-none-any`, new METADATA and WHEEL, renamed
/// `.dist-info`, and no RECORD yet (only `RecordStage` writes one, so no stale RECORD can be written).
public struct RetaggedWheel: Sendable {
    /// The contents, with `.dist-info` entries renamed and METADATA / WHEEL replaced.
    public let contents: WheelContents
    /// The output file name.
    public let filename: WheelFilename
    /// The output `.dist-info` folder.
    public let distInfoDirectory: String
    /// The new METADATA.
    public let metadata: CoreMetadata
    /// The new WHEEL.
    public let wheelInfo: WheelInfo
}

/// A complete pure wheel in memory: entries in their final order and the recomputed RECORD last.
public struct PureWheel: Sendable {
    /// The retagged wheel it was made from.
    public let retagged: RetaggedWheel
    /// Entries in output order, RECORD last.
    public let entries: [WheelEntry]
    /// The RECORD written as the last entry.
    public let record: Record

    /// The output file name.
    public var filename: WheelFilename { retagged.filename }
}

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

/// A written wheel that was re-read from disk and passed the checker.
public struct VerifiedWheel: Sendable {
    /// The written wheel.
    public let written: WrittenWheel
    /// Warnings the checker reported (errors would have failed the build).
    public let warnings: [Finding]
}
