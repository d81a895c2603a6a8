import PurewheelBasics
import ZipIO

/// The upstream wheel's archive, opened once by `Pipeline.run` and lent to the stages that read entry contents.
///
/// Non-copyable: there is exactly one open reader per build, closed when the value goes away.
public struct UpstreamArchive: ~Copyable {
    let reader: ZipReader
    /// The upstream wheel's path, as shown in errors.
    public let label: String

    /// Opens the verified upstream bytes where they are: libzip reads the bytes the pin was checked on.
    ///
    /// - Throws: `ZipError.cannotOpen`.
    init(opening upstream: UpstreamWheel) throws(ZipError) {
        self.reader = try ZipReader.open(bytes: upstream.bytes, label: upstream.path)
        self.label = upstream.path
    }

    /// Every entry, in central-directory order.
    var entries: [ZipEntry] { reader.entries }

    /// The entry's bytes, decompressing it when it is still an upstream entry.
    ///
    /// - Throws: `.zip` for an entry that cannot be read.
    func bytes(of entry: WheelEntry) throws(PipelineError.Cause) -> [UInt8] {
        switch entry.content {
        case .bytes(let bytes): return bytes
        case .upstream(let original):
            // Inflate no more than the entry declares: the input check has vetted the declared sizes.
            do throws(ZipError) { return try reader.read(original, limit: original.uncompressedSize) } catch { throw .zip(error) }
        }
    }

    /// SHA-256 and size, streaming upstream entries instead of holding them.
    ///
    /// - Throws: `.zip` for an entry that cannot be read.
    func digest(of entry: WheelEntry) throws(PipelineError.Cause) -> (digest: SHA256Digest, size: UInt64) {
        switch entry.content {
        case .bytes(let bytes): return (SHA256Digest.of(bytes), UInt64(bytes.count))
        case .upstream(let original):
            do throws(ZipError) { return try reader.digest(original) } catch { throw .zip(error) }
        }
    }

    /// A small upstream file read whole (METADATA, WHEEL, RECORD).
    ///
    /// - Throws: `.zip`.
    func read(_ entry: ZipEntry, limit: UInt64) throws(PipelineError.Cause) -> [UInt8] {
        do throws(ZipError) { return try reader.read(entry, limit: limit) } catch { throw .zip(error) }
    }
}
