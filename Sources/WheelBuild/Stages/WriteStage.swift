import PurewheelBasics
import ZipIO

/// Writes the pure wheel deterministically to a temporary file beside its destination: the same timestamp for every entry, fixed modes, no
/// extra fields, unchanged upstream entries copied compressed as they are from the one open upstream archive.
///
/// The archive is assembled in memory and hashed while it goes to disk. `VerifyStage` checks the file before it is renamed into place.
public struct WriteStage: ArchiveStage {
    /// The folder the wheel goes to.
    public let outputDirectory: String

    /// Creates the stage.
    public init(outputDirectory: String) { self.outputDirectory = outputDirectory }

    /// Writes the wheel to a temporary file beside its destination and returns it with its SHA-256 and size.
    ///
    /// - Throws: `PipelineError` at `.write`: `.zip(.cannotWrite)` when the archive cannot be built, `.fileSystem` when the file cannot be
    ///   written.
    public func run(_ input: PureWheel, archive: borrowing UpstreamArchive, in context: StageContext) throws(PipelineError)
        -> StagedWheel
    {
        // The output folder is the build's private staging folder: publishing syncs the real one.
        let file = AtomicFile(destination: "\(outputDirectory)/\(input.filename)", syncsFolder: false)
        let timestamp = context.sourceDateEpoch.map(DOSTimestamp.init(secondsSinceUnixEpoch:)) ?? .zipEpoch
        let reader = archive.reader
        let bytes: [UInt8]
        do {
            bytes = try ZipWriter.archive(label: file.destination, timestamp: timestamp) { writer throws(ZipError) in
                for entry in input.entries {
                    switch entry.content {
                    case .upstream(let original):
                        try writer.addCompressedCopy(entry.path.rawValue, of: original, from: reader, isExecutable: entry.isExecutable)
                    case .bytes(let bytes):
                        try writer.add(entry.path.rawValue, bytes: bytes, isExecutable: entry.isExecutable)
                    }
                }
            }
        } catch {
            throw PipelineError(stage: .write, .zip(error))
        }
        do {
            try file.prepare()
            let (digest, size) = try file.stage(bytes: bytes)
            return StagedWheel(wheel: input, file: file, sha256: digest, size: size)
        } catch {
            file.discard()
            throw PipelineError(stage: .write, .fileSystem(error))
        }
    }
}
