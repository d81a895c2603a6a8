import PurewheelBasics
import RecipeFormat
import WheelModel

/// Obtains the upstream wheel and checks its bytes against the recipe's pin before anything else reads them.
public struct FetchStage: Stage {
    /// Creates the stage.
    public init() {}

    /// Gets the upstream wheel (from pip, the cache or a local file) and checks its SHA-256 against the pin.
    ///
    /// - Throws: `PipelineError` at `.fetch`: `.recipe` for a version without pins, `.fetch` (pip, unpinned file, digest mismatch, no
    ///   canonical wheel, missing file), `.wheelFormat(.invalidFilename)` or `.fileSystem`.
    public func run(_ request: FetchRequest, in context: StageContext) throws(PipelineError) -> UpstreamWheel {
        try inStage(.fetch) { () throws(PipelineError.Cause) in
            let recipe = context.recipe
            switch request {
            case .version(let requested):
                let pinned: Recipe.PinnedVersion
                do throws(RecipeError) { pinned = try recipe.pinnedVersion(requested) } catch { throw .recipe(error) }
                // The lock's spelling, whichever spelling was asked for: the cache folder and the provenance use it.
                let version = pinned.version.description
                guard let canonical = pinned.wheels.first(where: { $0.filename.platformFamily == recipe.source.canonicalPlatform }) else {
                    throw .fetch(
                        .noCanonicalWheel(recipe: recipe.path, version: version, platform: recipe.source.canonicalPlatform.rawValue))
                }
                return try fetchPinned(canonical, version: version, in: context)
            case .pinnedFile(let name):
                guard let pin = recipe.pin(forFilename: name) else {
                    throw .fetch(.unpinned(file: name, recipe: recipe.path, version: nil))
                }
                return try fetchPinned(pin.wheel, version: pin.version.version.description, in: context)
            case .localFile(let path, let allowUnpinned):
                let bytes: FileBytes
                do throws(FileSystemError) {
                    bytes = try FileIO.readWhole(path)
                } catch .notFound {
                    throw .fetch(.fileNotFound(path: path))
                } catch {
                    throw .fileSystem(error)
                }
                let filename: WheelFilename
                do throws(WheelFormatError) { filename = try WheelFilename(parsing: path) } catch { throw .wheelFormat(error) }
                let actual = bytes.withUnsafeBytes(SHA256Digest.of)
                if let pin = recipe.pin(forFilename: filename.description) {
                    if pin.wheel.sha256 == actual {
                        return UpstreamWheel(
                            path: path, filename: filename, version: pin.version.version.description, bytes: bytes, sha256: actual,
                            pinStatus: .pinned)
                    }
                    guard allowUnpinned else { throw .fetch(.digestMismatch(file: path, expected: pin.wheel.sha256, actual: actual)) }
                } else {
                    guard allowUnpinned else { throw .fetch(.unpinned(file: path, recipe: recipe.path, version: nil)) }
                }
                return UpstreamWheel(
                    path: path, filename: filename, version: filename.version, bytes: bytes, sha256: actual, pinStatus: .unpinned)
            }
        }
    }

    /// Fetches a pinned file through the fetcher and checks what arrived against the pin.
    private func fetchPinned(_ pinned: Recipe.PinnedWheel, version: String, in context: StageContext) throws(PipelineError.Cause)
        -> UpstreamWheel
    {
        let path: String
        do throws(FetchError) {
            path = try context.fetcher.fetch(
                distribution: context.recipe.source.distribution, version: version, wheel: pinned.filename, expected: pinned.sha256)
        } catch {
            throw .fetch(error)
        }
        let bytes: FileBytes
        do throws(FileSystemError) { bytes = try FileIO.readWhole(path) } catch { throw .fileSystem(error) }
        let actual = bytes.withUnsafeBytes(SHA256Digest.of)
        guard actual == pinned.sha256 else {
            throw .fetch(.digestMismatch(file: path, expected: pinned.sha256, actual: actual))
        }
        return UpstreamWheel(path: path, filename: pinned.filename, version: version, bytes: bytes, sha256: actual, pinStatus: .pinned)
    }
}
