import PurewheelBasics
import RecipeFormat
import WheelModel

/// Adds the recipe's files at their destination paths.
///
/// A destination that already exists is an error (strip it first if it is meant to be replaced).
public struct InjectStage: Stage {
    /// Files in recipe order.
    public let injects: [Recipe.InjectStep]

    /// Creates the stage.
    public init(injects: [Recipe.InjectStep]) { self.injects = injects }

    /// Adds each inject step's file at its destination path.
    ///
    /// - Throws: `PipelineError` at `.inject`: `.build(.injectTargetReserved)`, `.build(.injectTargetExists)`, `.fileSystem` when the
    ///   source cannot be read, or `.build(.unsafeEntry)`.
    public func run(_ input: WheelContents, in context: StageContext) throws(PipelineError) -> WheelContents {
        try inStage(.inject) { () throws(PipelineError.Cause) in
            var output = input
            for step in injects {
                // RECORD (and its signatures), METADATA and WHEEL are written by the build itself.
                let segments = step.path.split(separator: "/")
                if segments.count == 2, segments[0].hasSuffix(".dist-info"),
                    (Record.unhashedFiles + ["METADATA", "WHEEL"]).contains(String(segments[1]))
                {
                    throw .build(.injectTargetReserved(recipe: context.recipe.path, keyPath: step.keyPath, path: step.path))
                }
                guard output.entry(step.path) == nil else {
                    throw .build(.injectTargetExists(recipe: context.recipe.path, keyPath: step.keyPath, path: step.path))
                }
                let bytes = try context.recipeFile(step.file)
                output.entries.append(
                    WheelEntry(
                        path: try entryPath(step.path, in: input.upstream.path), content: .bytes(bytes), isExecutable: step.isExecutable))
                output.changes.append(.injected(path: step.path, source: step.file, size: UInt64(bytes.count)))
            }
            return output
        }
    }
}
