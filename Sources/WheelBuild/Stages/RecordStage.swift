import PurewheelBasics
import WheelModel
import ZipIO

/// Puts entries in their final order and computes RECORD: every file with `sha256=` (URL-safe base64, no padding) and size, RECORD's own
/// row last with empty hash and size (binary distribution format spec).
///
/// Unchanged upstream entries are hashed while streaming and must match the upstream RECORD.
public struct RecordStage: ArchiveStage {
    /// Creates the stage.
    public init() {}

    /// Orders the entries, hashes each one, and appends the RECORD entry.
    ///
    /// - Throws: `PipelineError` at `.record`: `.build(.upstreamRecordMismatch)` when an unchanged entry does not hash to its upstream row,
    ///   `.zip` when an entry cannot be read, or `.build(.unsafeEntry)`.
    public func run(_ input: RetaggedWheel, archive: borrowing UpstreamArchive, in context: StageContext) throws(PipelineError)
        -> PureWheel
    {
        try inStage(.record) { () throws(PipelineError.Cause) in
            let ordered = RecordStage.order(input.contents.entries, distInfo: input.distInfoDirectory)
            let upstreamRows = Dictionary(input.contents.record.rows.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
            var rows = [Record.Row]()
            for entry in ordered {
                let (digest, size) = try archive.digest(of: entry)
                if case .upstream(let original) = entry.content, let row = upstreamRows[original.name] {
                    let expected = RecordHash(sha256: digest)
                    guard row.hash == expected else {
                        throw .build(
                            .upstreamRecordMismatch(
                                archive: input.contents.upstream.path, entry: original.name,
                                problem: .hashDiffers(recorded: row.hash, actual: expected)))
                    }
                }
                rows.append(Record.Row(path: entry.path.rawValue, hash: RecordHash(sha256: digest), size: size))
            }
            let recordPath = "\(input.distInfoDirectory)/RECORD"
            rows.append(Record.Row(path: recordPath, hash: nil, size: nil))
            let record = Record(rows: rows)
            let recordEntry = WheelEntry(
                path: try entryPath(recordPath, in: input.contents.upstream.path), content: .bytes(Array(record.serialized().utf8)),
                isExecutable: false)
            return PureWheel(retagged: input, entries: ordered + [recordEntry], record: record)
        }
    }

    /// Entries outside `.dist-info` sorted by UTF-8 bytes, then `.dist-info` entries sorted; RECORD is appended by the caller.
    ///
    /// Input order never matters.
    static func order(_ entries: [WheelEntry], distInfo: String) -> [WheelEntry] {
        let prefix = distInfo + "/"
        let payload = entries.filter { !$0.path.rawValue.hasPrefix(prefix) }.sorted { $0.path < $1.path }
        let metadata = entries.filter { $0.path.rawValue.hasPrefix(prefix) }.sorted { $0.path < $1.path }
        return payload + metadata
    }
}
