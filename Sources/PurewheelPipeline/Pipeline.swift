import PurewheelBasics
import RecipeFormat

/// What a build did: the upstream input, every planned change, and the verified output (absent in a dry run).
public struct BuildResult: Sendable {
    /// The upstream wheel that was converted.
    public let upstream: UpstreamWheel
    /// Every change the strip, normalize, patch and inject stages made, in order.
    public let changes: [PlannedChange]
    /// The wheel as it was (or, in a dry run, would be) written.
    public let wheel: PureWheel
    /// The published wheel; `nil` for `--dry-run`.
    public let verified: VerifiedWheel?
    /// Something the summary should say about how this result was published, if anything.
    public var note: String? = nil
    /// Where the provenance statement of the published wheel is; `nil` for `--dry-run`.
    public var provenancePath: String? = nil
}

/// Runs the stages in order: fetch → open → strip → normalize newlines → patch → inject → import check →
/// retag → record → write → verify. Straight-line code on purpose: each stage's output is the next one's
/// input, and each failure arrives tagged with its stage.
public struct Pipeline: Sendable {
    /// The context every stage receives.
    public let context: StageContext

    /// Creates a pipeline.
    public init(context: StageContext) { self.context = context }

    /// Builds one wheel.
    ///
    /// - Parameters:
    ///   - request: which upstream wheel to convert.
    ///   - outputDirectory: where the wheel goes.
    ///   - dryRun: stop after computing RECORD; nothing is written.
    /// - Throws: `PipelineError` tagged with the failing stage.
    public func run(_ request: FetchRequest, outputDirectory: String, dryRun: Bool = false) throws(PipelineError) -> BuildResult {
        let upstream = try FetchStage().run(request, in: context)
        let opened = try OpenStage().run(upstream, in: context)
        let steps = context.recipe.steps(version: upstream.version, platform: upstream.filename.platformFamily)
        let stripped = try StripStage(globs: steps.strip).run(opened, in: context)
        let normalized = try NormalizeNewlinesStage(globs: steps.normalizeNewlines).run(stripped, in: context)
        let patched = try PatchStage(patches: steps.patches).run(normalized, in: context)
        let injected = try InjectStage(injects: steps.injects).run(patched, in: context)
        let checked = try ImportCheckStage().run(injected, in: context)
        let retagged = try RetagStage().run(checked, in: context)
        let pure = try RecordStage().run(retagged, in: context)
        guard !dryRun else {
            return BuildResult(upstream: upstream, changes: checked.changes, wheel: pure, verified: nil)
        }
        let staged = try WriteStage(outputDirectory: outputDirectory).run(pure, in: context)
        let verified = try VerifyStage().run(staged, in: context)
        return BuildResult(upstream: upstream, changes: checked.changes, wheel: pure, verified: verified)
    }
}

extension BuildResult {
    /// The same result after its wheel was moved (renamed) to `path`; `publishedBytes` when another input's
    /// equal-content file was published there instead.
    public func movedTo(_ path: String, publishedBytes: WrittenWheel? = nil, note: String? = nil) -> BuildResult {
        guard let verified else { return self }
        let source = publishedBytes ?? verified.written
        let written = WrittenWheel(wheel: verified.written.wheel, path: path, sha256: source.sha256, size: source.size)
        var moved = BuildResult(
            upstream: upstream, changes: changes, wheel: wheel, verified: VerifiedWheel(written: written, warnings: verified.warnings))
        moved.note = note
        return moved
    }
}
