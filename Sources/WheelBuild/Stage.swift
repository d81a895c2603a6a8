import PurewheelBasics

/// One step of the build that needs only its input value and the context.
///
/// Each stage is a `struct` in its own file; `Pipeline.run` calls them in order.
public protocol Stage: Sendable {
    /// The value the stage consumes.
    associatedtype Input
    /// The value the stage produces.
    associatedtype Output

    /// Runs the stage.
    ///
    /// - Throws: `PipelineError` tagged with the stage.
    func run(_ input: Input, in context: StageContext) throws(PipelineError) -> Output
}

/// A step that reads entry contents from the upstream archive.
///
/// `Pipeline.run` opens the archive once and lends it (`borrowing`) to each such stage; no stage opens or copies the input itself.
public protocol ArchiveStage: Sendable {
    /// The value the stage consumes.
    associatedtype Input
    /// The value the stage produces.
    associatedtype Output

    /// Runs the stage, reading upstream entries from `archive`.
    ///
    /// - Throws: `PipelineError` tagged with the stage.
    func run(_ input: Input, archive: borrowing UpstreamArchive, in context: StageContext) throws(PipelineError) -> Output
}

/// Runs `body`, tagging its failure with `stage`.
///
/// The body throws the closed `PipelineError.Cause`, so no error changes type on the way.
func inStage<T>(_ stage: StageName, _ body: () throws(PipelineError.Cause) -> T) throws(PipelineError) -> T {
    do {
        return try body()
    } catch {
        throw PipelineError(stage: stage, error)
    }
}

/// Validates an entry path a stage builds; an unsafe one is a `BuildError.unsafeEntry` of `archive`.
func entryPath(_ name: String, in archive: String) throws(PipelineError.Cause) -> EntryPath {
    do {
        return try EntryPath(validating: name)
    } catch {
        throw .build(.unsafeEntry(archive: archive, entry: name, problem: error))
    }
}

extension StageContext {
    /// Reads a recipe-side file (a patch, an injected file).
    ///
    /// - Throws: `.fileSystem`.
    func recipeFile(_ path: String) throws(PipelineError.Cause) -> [UInt8] {
        do throws(FileSystemError) { return try readFile(path) } catch { throw .fileSystem(error) }
    }
}
