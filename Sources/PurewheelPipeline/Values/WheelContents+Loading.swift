import PurewheelBasics
import ZipIO

extension WheelContents {
    /// Opens the upstream archive (held in memory) for the duration of `body`, to read entries on demand.
    func withUpstreamArchive<Result>(_ body: (ZipReader) throws -> Result) throws -> Result {
        try ZipReader.withArchive(bytes: upstream.bytes, label: upstream.path, body)
    }
}

extension WheelEntry {
    /// The entry's bytes, decompressing from `reader` when it is still an upstream entry.
    func bytes(from reader: ZipReader) throws(ZipError) -> [UInt8] {
        switch content {
        case .bytes(let bytes): return bytes
        case .upstream(let entry): return try reader.read(entry)
        }
    }

    /// SHA-256 and size, streaming upstream entries instead of holding them.
    func digest(from reader: ZipReader) throws(ZipError) -> (digest: SHA256Digest, size: UInt64) {
        switch content {
        case .bytes(let bytes): return (SHA256Digest.of(bytes), UInt64(bytes.count))
        case .upstream(let entry): return try reader.digest(entry)
        }
    }
}
