/// Limits that keep a hostile wheel from exhausting memory, disk or time while it is checked.
///
/// Every limit is checked against what the archive declares before anything is inflated, and the actual
/// inflated size is checked while streaming, so a zip bomb is refused after at most one chunk past its
/// declared size. Defaults fit the largest real wheels measured (torch, tensorflow) with room to spare.
public struct ResourceLimits: Sendable, Hashable {
    /// Most entries an archive may have.
    public var maxEntries: Int
    /// Largest central directory read into memory, in bytes.
    public var maxCentralDirectoryBytes: UInt64
    /// Largest uncompressed size of one entry, in bytes.
    public var maxEntrySize: UInt64
    /// Largest total uncompressed size, in bytes.
    public var maxTotalSize: UInt64
    /// Largest uncompressed/compressed ratio of one entry; applies only above `ratioFloor` bytes.
    public var maxCompressionRatio: UInt64
    /// Entries smaller than this are exempt from the ratio limit (tiny files compress absurdly well).
    public var ratioFloor: UInt64
    /// Largest RECORD, WHEEL, METADATA or top_level.txt read into memory, in bytes.
    public var maxMetadataFileSize: UInt64

    /// The defaults documented in docs/check.md ("Limits").
    public init(
        maxEntries: Int = 200_000, maxCentralDirectoryBytes: UInt64 = 64 << 20, maxEntrySize: UInt64 = 4 << 30,
        maxTotalSize: UInt64 = 16 << 30, maxCompressionRatio: UInt64 = 200, ratioFloor: UInt64 = 16 << 20,
        maxMetadataFileSize: UInt64 = 16 << 20
    ) {
        self.maxEntries = maxEntries
        self.maxCentralDirectoryBytes = maxCentralDirectoryBytes
        self.maxEntrySize = maxEntrySize
        self.maxTotalSize = maxTotalSize
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioFloor = ratioFloor
        self.maxMetadataFileSize = maxMetadataFileSize
    }
}
