import PurewheelBasics
import WheelModel

/// An upstream wheel whose bytes have been matched against the recipe's pin (or explicitly allowed unpinned).
///
/// Only `FetchStage` creates one, so unverified bytes never reach `OpenStage`.
public struct UpstreamWheel: Sendable {
    /// How the file relates to the recipe's pins.
    public enum PinStatus: Sendable, Hashable {
        /// Its sha256 equals the pin for its file name.
        case pinned
        /// `--allow-unpinned`: not pinned, or pinned differently; the summary says so.
        case unpinned
    }

    /// Where it was read from.
    public let path: String
    /// Its parsed file name.
    public let filename: WheelFilename
    /// The upstream version it belongs to.
    public let version: String
    /// The whole file, as read once: hashed for the pin, then opened by libzip without a copy.
    public let bytes: FileBytes
    /// The file's SHA-256.
    public let sha256: SHA256Digest
    /// Whether it matched a pin.
    public let pinStatus: PinStatus

}
