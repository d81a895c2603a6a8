import PurewheelBasics
import RecipeFormat

/// Everything a stage may use from outside its input value: the recipe, the fetch seam, the clock and the file reader.
///
/// Built once by the command layer, so stages read no environment and no global state.
public struct StageContext: Sendable {
    /// The validated recipe.
    public let recipe: Recipe
    /// Where upstream wheels come from.
    public let fetcher: any WheelFetcher
    /// `SOURCE_DATE_EPOCH`, when set; otherwise entries get 1980-01-01.
    public let sourceDateEpoch: Int64?
    /// The `Generator` value for WHEEL, for example `purewheel 0.1.0`.
    public let generator: String
    /// Reads a recipe-side file (patches, injected files).
    public let readFile: @Sendable (String) throws(FileSystemError) -> [UInt8]

    /// Creates a context.
    public init(
        recipe: Recipe, fetcher: any WheelFetcher, sourceDateEpoch: Int64?, generator: String,
        readFile: @escaping @Sendable (String) throws(FileSystemError) -> [UInt8] = { path throws(FileSystemError) in try FileIO.read(path)
        }
    ) {
        self.recipe = recipe
        self.fetcher = fetcher
        self.sourceDateEpoch = sourceDateEpoch
        self.generator = generator
        self.readFile = readFile
    }
}
