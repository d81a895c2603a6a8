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

/// Obtains the upstream wheel and checks its bytes against the recipe's pin before anything else reads them.
public struct FetchStage: Stage {
    /// Creates the stage.
    public init() {}

    public func run(_ request: FetchRequest, in context: StageContext) throws(PipelineError) -> UpstreamWheel {
        try inStage(.fetch) {
            let recipe = context.recipe
            switch request {
            case .version(let version):
                let pinned = try recipe.pinnedVersion(version)
                guard let canonical = pinned.wheels.first(where: { $0.filename.platformFamily == recipe.source.canonicalPlatform }) else {
                    throw FetchError.noCanonicalWheel(
                        recipe: recipe.path, version: version, platform: recipe.source.canonicalPlatform.rawValue)
                }
                return try fetchPinned(canonical, version: version, in: context)
            case .pinnedFile(let name):
                guard let pin = recipe.pin(forFilename: name) else {
                    throw FetchError.unpinned(file: name, recipe: recipe.path, version: nil)
                }
                return try fetchPinned(pin.wheel, version: pin.version.version, in: context)
            case .localFile(let path, let allowUnpinned):
                let bytes: [UInt8]
                do {
                    bytes = try FileIO.read(path)
                } catch FileSystemError.notFound {
                    throw FetchError.fileNotFound(path: path)
                }
                let filename = try WheelFilename(parsing: path)
                let actual = SHA256Digest.of(bytes)
                if let pin = recipe.pin(forFilename: filename.description) {
                    if pin.wheel.sha256 == actual {
                        return UpstreamWheel(
                            path: path, filename: filename, version: pin.version.version, bytes: bytes, sha256: actual, pinStatus: .pinned)
                    }
                    guard allowUnpinned else { throw FetchError.digestMismatch(file: path, expected: pin.wheel.sha256, actual: actual) }
                } else {
                    guard allowUnpinned else { throw FetchError.unpinned(file: path, recipe: recipe.path, version: nil) }
                }
                return UpstreamWheel(
                    path: path, filename: filename, version: filename.version, bytes: bytes, sha256: actual, pinStatus: .unpinned)
            }
        }
    }

    /// Fetches a pinned file through the fetcher and checks what arrived against the pin.
    private func fetchPinned(_ pinned: Recipe.PinnedWheel, version: String, in context: StageContext) throws -> UpstreamWheel {
        let path = try context.fetcher.fetch(
            distribution: context.recipe.source.distribution, version: version, wheel: pinned.filename, expected: pinned.sha256)
        let bytes = try FileIO.read(path)
        let actual = SHA256Digest.of(bytes)
        guard actual == pinned.sha256 else {
            throw FetchError.digestMismatch(file: path, expected: pinned.sha256, actual: actual)
        }
        return UpstreamWheel(path: path, filename: pinned.filename, version: version, bytes: bytes, sha256: actual, pinStatus: .pinned)
    }
}
