import Provenance
import PurewheelBasics
import WheelBuild

/// One published output: the build it came from, where the wheel and its provenance statement now are, and
/// the digest of the published bytes.
public struct PublishedWheel: Sendable {
    /// The build, as it ran in the staging folder.
    public let build: BuildResult
    /// The wheel's published path.
    public let path: String
    /// The provenance statement's published path (`<wheel>.intoto.json`).
    public let provenancePath: String
    /// SHA-256 of the published file.
    public let sha256: SHA256Digest
    /// Size of the published file in bytes.
    public let size: UInt64
    /// When another input produced the same files under the same name and its bytes were published
    /// instead, that input's upstream path.
    public let publishedFrom: String?
}
