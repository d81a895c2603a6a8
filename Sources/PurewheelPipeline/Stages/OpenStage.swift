import PurewheelBasics
import WheelModel
import ZipIO

/// Reads the upstream archive's listing, METADATA, WHEEL and RECORD, in memory. Directory entries are left
/// out (a wheel lists files); every file must be listed in RECORD with its size. Entry contents stay
/// compressed in the upstream bytes until a stage needs them.
public struct OpenStage: Stage {
    /// Creates the stage.
    public init() {}

    public func run(_ upstream: UpstreamWheel, in context: StageContext) throws(PipelineError) -> WheelContents {
        try inStage(.open) {
            let archive = upstream.path
            return try ZipReader.withArchive(bytes: upstream.bytes, label: archive) { reader in
                var entries = [WheelEntry]()
                for entry in reader.entries where !entry.isDirectory {
                    if let problem = EntryPath.problem(in: entry.name) {
                        throw BuildError.unsafeEntry(archive: archive, entry: entry.name, problem: problem.rawValue)
                    }
                    let path = try EntryPath(validating: entry.name)
                    if entry.isSymlink || entry.isSpecialFile {
                        throw BuildError.unsafeEntry(archive: archive, entry: entry.name, problem: "not a regular file")
                    }
                    entries.append(WheelEntry(path: path, content: .upstream(entry), isExecutable: entry.isExecutable))
                }
                let distInfos = Set(entries.map(\.path.firstSegment).filter { $0.hasSuffix(".dist-info") }).sorted()
                guard distInfos.count == 1, let distInfo = distInfos.first else {
                    throw BuildError.distInfoCount(archive: archive, found: distInfos)
                }
                func text(_ name: String) throws -> String {
                    guard let entry = reader.entries.first(where: { $0.name == "\(distInfo)/\(name)" }) else {
                        throw BuildError.missingDistInfoFile(archive: archive, entry: "\(distInfo)/\(name)")
                    }
                    return String(decoding: try reader.read(entry, limit: 16 << 20), as: UTF8.self)
                }
                let metadata = try CoreMetadata(parsing: try text("METADATA"), file: "\(distInfo)/METADATA")
                let wheelInfo = try WheelInfo(parsing: try text("WHEEL"), file: "\(distInfo)/WHEEL")
                let record = try Record(parsing: try text("RECORD"), file: "\(distInfo)/RECORD")
                let expected = context.recipe.source.distribution
                guard ProjectName.normalized(metadata.name) == ProjectName.normalized(expected),
                    ProjectName.normalized(upstream.filename.distribution) == ProjectName.normalized(expected)
                else {
                    throw BuildError.unexpectedDistribution(archive: archive, expected: expected, actual: metadata.name)
                }
                try OpenStage.validate(record, against: entries, distInfo: distInfo, archive: archive)
                return WheelContents(
                    upstream: upstream, entries: entries, distInfoDirectory: distInfo, metadata: metadata,
                    wheelInfo: wheelInfo, record: record, changes: []
                )
            }
        }
    }

    /// Every file is listed with its true size, and every listed file exists. Hashes are checked later, while
    /// the kept entries are hashed anyway (`RecordStage`); the whole upstream file is pinned by sha256 already.
    static func validate(_ record: Record, against entries: [WheelEntry], distInfo: String, archive: String) throws(BuildError) {
        var rows = [String: Record.Row]()
        for row in record.rows { rows[row.path] = row }
        let unhashed: Set<String> = ["\(distInfo)/RECORD", "\(distInfo)/RECORD.jws", "\(distInfo)/RECORD.p7s"]
        for entry in entries where !unhashed.contains(entry.path.rawValue) {
            guard let row = rows[entry.path.rawValue] else {
                throw .upstreamRecordMismatch(archive: archive, entry: entry.path.rawValue, detail: "the file is not listed")
            }
            guard row.size == entry.size else {
                throw .upstreamRecordMismatch(
                    archive: archive, entry: entry.path.rawValue,
                    detail: "RECORD says \(row.size.map(String.init) ?? "no size"), the archive holds \(entry.size) bytes")
            }
            guard row.hash?.algorithm == "sha256" else {
                throw .upstreamRecordMismatch(archive: archive, entry: entry.path.rawValue, detail: "RECORD gives no sha256 hash")
            }
        }
        let present = Set(entries.map(\.path.rawValue))
        for row in record.rows where !present.contains(row.path) {
            throw .upstreamRecordMismatch(archive: archive, entry: row.path, detail: "RECORD lists a file the archive does not contain")
        }
    }
}
