import PurewheelBasics
import RecipeFormat

/// Removes entries matching the recipe's strip globs; fails if a glob matches nothing, so a changed upstream layout is noticed instead of
/// silently skipped.
///
/// Dropped entries are never decompressed.
public struct StripStage: Stage {
    /// Globs in recipe order.
    public let globs: [Recipe.KeyedGlob]

    /// Creates the stage.
    public init(globs: [Recipe.KeyedGlob]) { self.globs = globs }

    /// The entries each glob would drop, in archive order; the plan `--dry-run` shows.
    public func plan(_ input: WheelContents, in context: StageContext) throws(PipelineError) -> [PlannedChange] {
        var planned = [PlannedChange]()
        var taken = Set<String>()
        for keyed in globs {
            let matches = input.entries.filter { keyed.glob.matches($0.path.rawValue) }
            guard !matches.isEmpty else {
                throw PipelineError(
                    stage: .strip,
                    .build(.globMatchedNothing(recipe: context.recipe.path, keyPath: keyed.keyPath, pattern: keyed.glob.pattern)))
            }
            if let notice = matches.first(where: { Self.isNotice($0.path.rawValue) }) {
                throw PipelineError(
                    stage: .strip,
                    .build(.noticeStripped(recipe: context.recipe.path, keyPath: keyed.keyPath, path: notice.path.rawValue)))
            }
            for entry in matches where taken.insert(entry.path.rawValue).inserted {
                planned.append(.dropped(path: entry.path.rawValue, size: entry.size, keyPath: keyed.keyPath))
            }
        }
        return planned
    }

    /// Whether `path` is a NOTICE file (`NOTICE`, `NOTICE.txt`, `notice.md`, in any folder), which Apache-2.0 §4(d)
    /// requires to travel with every copy of the work.
    static func isNotice(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let stem = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
        return stem.uppercased() == "NOTICE"
    }

    /// Drops the entries `plan(_:in:)` names and records them as changes.
    ///
    /// - Throws: `PipelineError` at `.strip` with `.build(.globMatchedNothing)` when a glob matches no entry, or
    ///   `.build(.noticeStripped)` when one matches a NOTICE file.
    public func run(_ input: WheelContents, in context: StageContext) throws(PipelineError) -> WheelContents {
        let planned = try plan(input, in: context)
        var dropped = Set<String>()
        for case .dropped(let path, _, _) in planned { dropped.insert(path) }
        var output = input
        output.entries.removeAll { dropped.contains($0.path.rawValue) }
        output.changes += planned
        return output
    }
}
