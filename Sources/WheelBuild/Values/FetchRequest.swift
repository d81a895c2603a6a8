import PurewheelBasics
import RecipeFormat
import WheelModel

/// What to build from.
public enum FetchRequest: Sendable, Hashable {
    /// The canonical pinned wheel of this upstream version, through the fetcher (pip).
    case version(String)
    /// A local file of any platform; `allowUnpinned` accepts a file the recipe does not pin.
    case localFile(path: String, allowUnpinned: Bool)
    /// The pinned upstream file with this exact file name, of any platform, through the fetcher (pip);
    /// `verify-provenance` rebuilds from the file a statement records.
    case pinnedFile(String)
}
