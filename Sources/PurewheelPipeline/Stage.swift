import PurewheelBasics

/// One step of the build: a pure function of its input value and the context. Each stage is a `struct` in
/// its own file; `Pipeline.run` calls them in order.
public protocol Stage: Sendable {
    /// The value the stage consumes.
    associatedtype Input
    /// The value the stage produces.
    associatedtype Output

    /// Runs the stage.
    ///
    /// - Throws: the stage's failures, tagged with its `StageName`.
    func run(_ input: Input, in context: StageContext) throws(PipelineError) -> Output
}

/// Runs `body`, tagging any purewheel error with `stage`.
func inStage<T>(_ stage: StageName, _ body: () throws -> T) throws(PipelineError) -> T {
    do {
        return try body()
    } catch let error as PipelineError {
        throw error
    } catch let error as any PurewheelError {
        throw PipelineError(stage: stage, error)
    } catch {
        throw PipelineError(stage: stage, InternalError("unexpected error type \(type(of: error))"))
    }
}
