import PurewheelBasics
import RecipeFormat
import WheelModel
import ZipIO

/// Reads the upstream archive's listing, METADATA, WHEEL and RECORD, in memory.
///
/// Directory entries are left out (a wheel lists files); every file must be listed in RECORD with its size. Entry contents stay compressed
/// in the upstream bytes until a stage needs them.
public struct OpenStage: ArchiveStage {
    /// Creates the stage.
    public init() {}

    /// Lists the upstream entries and parses METADATA, WHEEL and RECORD.
    ///
    /// - Throws: `PipelineError` at `.open`: `.build` (unsafe or special entry, `.dist-info` count, missing `.dist-info` file, unexpected
    ///   distribution, RECORD mismatch), `.wheelFormat` or `.zip`.
    public func run(_ upstream: UpstreamWheel, archive: borrowing UpstreamArchive, in context: StageContext) throws(PipelineError)
        -> WheelContents
    {
        try inStage(.open) { () throws(PipelineError.Cause) in
            let label = upstream.path
            var entries = [WheelEntry]()
            for entry in archive.entries where !entry.isDirectory {
                let path = try entryPath(entry.name, in: label)
                if entry.isSymlink || entry.isSpecialFile {
                    throw .build(.notRegularFile(archive: label, entry: entry.name))
                }
                entries.append(WheelEntry(path: path, content: .upstream(entry), isExecutable: entry.isExecutable))
            }
            let distInfos = Set(entries.map(\.path.firstSegment).filter { $0.hasSuffix(".dist-info") }).sorted()
            guard distInfos.count == 1, let distInfo = distInfos.first else {
                throw .build(.distInfoCount(archive: label, found: distInfos))
            }
            let allEntries = archive.entries
            func text(_ name: String) throws(PipelineError.Cause) -> String {
                guard let entry = allEntries.first(where: { $0.name == "\(distInfo)/\(name)" }) else {
                    throw .build(.missingDistInfoFile(archive: label, entry: "\(distInfo)/\(name)"))
                }
                return String(decoding: try archive.read(entry, limit: 16 << 20), as: UTF8.self)
            }
            let metadataText = try text("METADATA")
            let wheelText = try text("WHEEL")
            let recordText = try text("RECORD")
            let metadata: CoreMetadata
            let wheelInfo: WheelInfo
            let record: Record
            do throws(WheelFormatError) {
                metadata = try CoreMetadata(parsing: metadataText, file: "\(distInfo)/METADATA")
                wheelInfo = try WheelInfo(parsing: wheelText, file: "\(distInfo)/WHEEL")
                record = try Record(parsing: recordText, file: "\(distInfo)/RECORD")
            } catch {
                throw .wheelFormat(error)
            }
            let expected = ProjectName(context.recipe.source.distribution)
            for (source, found) in [("METADATA", ProjectName(metadata.name)), ("file name", upstream.filename.project)]
            where found != expected {
                throw .build(.unexpectedDistribution(archive: label, expected: expected, actual: found, source: source))
            }
            do throws(BuildError) {
                try OpenStage.validate(record, against: entries, distInfo: distInfo, archive: label)
            } catch {
                throw .build(error)
            }
            return WheelContents(
                upstream: upstream, entries: entries, distInfoDirectory: distInfo, metadata: metadata,
                wheelInfo: wheelInfo, record: record, changes: []
            )
        }
    }

    /// Every file is listed with its true size, and every listed file exists.
    ///
    /// Hashes are checked later, while the kept entries are hashed anyway (`RecordStage`); the whole upstream file is pinned by sha256
    /// already.
    static func validate(_ record: Record, against entries: [WheelEntry], distInfo: String, archive: String) throws(BuildError) {
        var rows = [String: Record.Row]()
        for row in record.rows { rows[row.path] = row }
        let unhashed = Set(Record.unhashedFiles.map { "\(distInfo)/\($0)" })
        for entry in entries where !unhashed.contains(entry.path.rawValue) {
            guard let row = rows[entry.path.rawValue] else {
                throw .upstreamRecordMismatch(archive: archive, entry: entry.path.rawValue, problem: .notListed)
            }
            guard row.size == entry.size else {
                throw .upstreamRecordMismatch(
                    archive: archive, entry: entry.path.rawValue, problem: .sizeDiffers(recorded: row.size, actual: entry.size))
            }
            guard row.hash?.algorithm == "sha256" else {
                throw .upstreamRecordMismatch(archive: archive, entry: entry.path.rawValue, problem: .noSHA256)
            }
        }
        let present = Set(entries.map(\.path.rawValue))
        for row in record.rows where !present.contains(row.path) {
            throw .upstreamRecordMismatch(archive: archive, entry: row.path, problem: .notInArchive)
        }
    }
}
