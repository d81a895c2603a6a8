import PurewheelBasics
import WheelChecks
import WheelModel

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
