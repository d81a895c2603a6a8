import PurewheelBasics
import WheelModel
import ZipIO

/// Where an entry's bytes are: still compressed in the upstream archive, or already in memory.
public enum EntryContent: Sendable, Hashable {
    /// Unchanged upstream entry; written by copying its compressed stream, never decompressed unless a stage
    /// needs its text or its hash.
    case upstream(ZipEntry)
    /// New or changed bytes.
    case bytes([UInt8])
}

/// One file of the wheel being built.
public struct WheelEntry: Sendable, Hashable {
    /// Entry path, validated.
    public var path: EntryPath
    /// Its bytes.
    public var content: EntryContent
    /// Mode 0755 when true.
    public var isExecutable: Bool

    /// Creates an entry.
    public init(path: EntryPath, content: EntryContent, isExecutable: Bool) {
        self.path = path
        self.content = content
        self.isExecutable = isExecutable
    }

    /// The uncompressed size, known without decompressing.
    public var size: UInt64 {
        switch content {
        case .upstream(let entry): return entry.uncompressedSize
        case .bytes(let bytes): return UInt64(bytes.count)
        }
    }
}

/// The opened wheel: its entries (directories left out), parsed METADATA and WHEEL, and its RECORD.
public struct WheelContents: Sendable {
    /// The upstream wheel these entries come from.
    public let upstream: UpstreamWheel
    /// Files in upstream archive order (after stages, in stage order).
    public var entries: [WheelEntry]
    /// Upstream `.dist-info` folder name.
    public let distInfoDirectory: String
    /// Upstream METADATA.
    public let metadata: CoreMetadata
    /// Upstream WHEEL.
    public let wheelInfo: WheelInfo
    /// Upstream RECORD, with every row checked against the archive's listing and sizes.
    public let record: Record
    /// What the stages did so far, for the summary and `--dry-run`.
    public var changes: [PlannedChange]

    /// The entry at `path`, if present.
    public func entry(_ path: String) -> WheelEntry? { entries.first { $0.path.rawValue == path } }
}
