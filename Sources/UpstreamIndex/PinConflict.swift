import PurewheelBasics
import RecipeFormat
import WheelBuild

/// One upstream file whose bytes on the index differ from its pin.
public struct PinConflict: Sendable, Hashable {
    /// The file name.
    public let file: String
    /// The sha256 the lock pins.
    public let pinned: SHA256Digest
    /// The sha256 of what the index serves now.
    public let served: SHA256Digest
}
