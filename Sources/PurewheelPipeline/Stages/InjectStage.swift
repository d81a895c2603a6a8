import PurewheelBasics
import RecipeFormat

/// Adds the recipe's files at their destination paths. A destination that already exists is an error
/// (strip it first if it is meant to be replaced).
public struct InjectStage: Stage {
    /// Files in recipe order.
    public let injects: [Recipe.InjectStep]

    /// Creates the stage.
    public init(injects: [Recipe.InjectStep]) { self.injects = injects }

    public func run(_ input: WheelContents, in context: StageContext) throws(PipelineError) -> WheelContents {
        try inStage(.inject) {
            var output = input
            for step in injects {
                guard output.entry(step.path) == nil else {
                    throw BuildError.injectTargetExists(recipe: context.recipe.path, keyPath: step.keyPath, path: step.path)
                }
                let bytes = try context.readFile(step.file)
                output.entries.append(
                    WheelEntry(path: try EntryPath(validating: step.path), content: .bytes(bytes), isExecutable: step.isExecutable))
                output.changes.append(.injected(path: step.path, source: step.file, size: UInt64(bytes.count)))
            }
            return output
        }
    }
}
