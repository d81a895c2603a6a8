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
    /// The written and verified wheel; `nil` for `--dry-run`.
    public let verified: VerifiedWheel?

    /// Whether a path the strip stage dropped is really absent from the output.
    ///
    /// A stripped `.dist-info` file that the build writes anyway (METADATA, WHEEL, RECORD, under the renamed folder) or a stripped entry
    /// that an inject put back is not: the output still holds a file of that name, so the summary does not count it as dropped.
    public func isRemovedFromOutput(_ path: String) -> Bool {
        let key = Self.comparableName(path)
        return !wheel.entries.contains { Self.comparableName($0.path.rawValue) == key }
    }

    /// `path`, with any `.dist-info` folder name reduced to `.dist-info`, because retagging renames it.
    private static func comparableName(_ path: String) -> Substring {
        guard let slash = path.firstIndex(of: "/"), path[..<slash].hasSuffix(".dist-info") else { return Substring(path) }
        return ".dist-info" + path[slash...]
    }
}

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
