import PurewheelBasics
import ZipIO

/// A wheel written to its temporary path, not yet published.
public struct StagedWheel: Sendable {
    /// The wheel.
    public let wheel: PureWheel
    /// Where it will be published, and where it is now.
    public let file: AtomicFile
}

/// Writes the pure wheel deterministically to a temporary file beside its destination: the same timestamp
/// for every entry, fixed modes, no extra fields, unchanged upstream entries copied compressed as they are.
/// Publishing happens only after `VerifyStage` has checked the file.
public struct WriteStage: Stage {
    /// The folder the wheel goes to.
    public let outputDirectory: String

    /// Creates the stage.
    public init(outputDirectory: String) { self.outputDirectory = outputDirectory }

    public func run(_ input: PureWheel, in context: StageContext) throws(PipelineError) -> StagedWheel {
        try inStage(.write) {
            let file = AtomicFile(destination: "\(outputDirectory)/\(input.filename)")
            let timestamp = context.sourceDateEpoch.map(DOSTimestamp.init(secondsSinceUnixEpoch:)) ?? .zipEpoch
            try file.prepare()
            do {
                try input.retagged.contents.withUpstreamArchive { reader in
                    try ZipWriter.create(at: file.temporaryPath, timestamp: timestamp) { writer in
                        for entry in input.entries {
                            switch entry.content {
                            case .upstream(let original):
                                try writer.addCompressedCopy(
                                    entry.path.rawValue, of: original, from: reader, isExecutable: entry.isExecutable)
                            case .bytes(let bytes):
                                try writer.add(entry.path.rawValue, bytes: bytes, isExecutable: entry.isExecutable)
                            }
                        }
                    }
                }
            } catch {
                file.discard()
                throw error
            }
            return StagedWheel(wheel: input, file: file)
        }
    }
}
