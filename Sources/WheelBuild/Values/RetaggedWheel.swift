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
