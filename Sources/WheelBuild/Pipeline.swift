// WheelBuild: turns one upstream platform wheel into a verified pure wheel, as its recipe says.
//
// Entry point: `Pipeline(context:).run(_:outputDirectory:dryRun:)`, given a `StageContext` (the recipe, the
// `WheelFetcher` seam, the clock) and a `FetchRequest`; it returns a `BuildResult`. Each stage (`Stages/`) is one
// type that turns one value (`Values/`) into the next. Every failure is a `PipelineError` naming its stage.

import PurewheelBasics
import RecipeFormat
import WheelModel

/// Runs the stages in order: fetch → input check → open → strip → normalize newlines → patch → inject → notice → import check → retag →
/// SBOM → record → write → verify.
///
/// Straight-line code on purpose: each stage's output is the next one's input, and each failure arrives tagged with its stage.
/// Nothing of the input is read before the input check has passed, so a refused input publishes nothing.
///
/// The upstream archive is opened exactly once, here, and lent to the stages that read entries; the written
/// wheel is hashed while it is written and opened once more, by the checker, to verify it.
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
        let fetched = try FetchStage().run(request, in: context)
        let upstream = try InputCheckStage().run(fetched, in: context)
        let archive: UpstreamArchive
        do { archive = try UpstreamArchive(opening: upstream) } catch { throw PipelineError(stage: .open, .zip(error)) }
        let opened = try OpenStage().run(upstream, archive: archive, in: context)
        let steps = context.recipe.steps(version: upstream.version, platform: upstream.filename.platformFamily)
        let stripped = try StripStage(globs: steps.strip).run(opened, in: context)
        let normalized = try NormalizeNewlinesStage(globs: steps.normalizeNewlines).run(stripped, archive: archive, in: context)
        let patched = try PatchStage(patches: steps.patches).run(normalized, archive: archive, in: context)
        let injected = try InjectStage(injects: steps.injects).run(patched, in: context)
        let noticed = try NoticeStage().run(injected, archive: archive, in: context)
        let checked = try ImportCheckStage().run(noticed, archive: archive, in: context)
        let retagged = try RetagStage().run(checked, in: context)
        let described = try SBOMStage().run(retagged, archive: archive, in: context)
        let pure = try RecordStage().run(described, archive: archive, in: context)
        guard !dryRun else { return BuildResult(upstream: upstream, changes: checked.changes, wheel: pure, verified: nil) }
        let staged = try WriteStage(outputDirectory: outputDirectory).run(pure, archive: archive, in: context)
        let verified = try VerifyStage().run(staged, in: context)
        return BuildResult(upstream: upstream, changes: checked.changes, wheel: pure, verified: verified)
    }
}
