import PurewheelBasics
import RecipeFormat
import UnifiedDiff

/// Applies the recipe's unified diffs in order.
///
/// Each hunk must match exactly (within the patch's `max_offset`); a failure names the patch file, hunk and target line.
public struct PatchStage: ArchiveStage {
    /// Patches in recipe order.
    public let patches: [Recipe.PatchStep]

    /// Creates the stage.
    public init(patches: [Recipe.PatchStep]) { self.patches = patches }

    /// Applies each patch step to the entries it names, creating entries for new files.
    ///
    /// - Throws: `PipelineError` at `.patch`: `.patch` (malformed, hunk does not apply, target missing, exists or not text), `.fileSystem`
    ///   when the patch file cannot be read, `.zip` when an entry cannot be read, or `.build(.unsafeEntry)`.
    public func run(_ input: WheelContents, archive: borrowing UpstreamArchive, in context: StageContext) throws(PipelineError)
        -> WheelContents
    {
        guard !patches.isEmpty else { return input }
        return try inStage(.patch) { () throws(PipelineError.Cause) in
            var output = input
            do {
                for step in patches {
                    let text = String(decoding: try context.recipeFile(step.file), as: UTF8.self)
                    let patch: Patch
                    do throws(PatchError) { patch = try PatchParser.parse(text, name: step.file) } catch { throw .patch(error) }
                    let applier = PatchApplier(patchName: step.file, maxOffset: step.maxOffset)
                    for diff in patch.files {
                        let target = diff.target
                        let index = output.entries.firstIndex { $0.path.rawValue == target }
                        var original: String?
                        if diff.createsFile {
                            guard index == nil else { throw .patch(.targetExists(patch: step.file, target: target)) }
                        } else {
                            guard let index else { throw .patch(.targetMissing(patch: step.file, target: target)) }
                            let bytes = try archive.bytes(of: output.entries[index])
                            guard let decoded = String(validating: bytes, as: UTF8.self) else {
                                throw .patch(.targetNotText(patch: step.file, target: target))
                            }
                            original = decoded
                        }
                        let applied: PatchApplier.Applied
                        do throws(PatchError) { applied = try applier.apply(diff, to: original) } catch { throw .patch(error) }
                        let newBytes = Array(applied.text.utf8)
                        if let index {
                            output.entries[index].content = .bytes(newBytes)
                        } else {
                            output.entries.append(
                                WheelEntry(
                                    path: try entryPath(target, in: input.upstream.path), content: .bytes(newBytes), isExecutable: false))
                        }
                        output.changes.append(.patched(path: target, patch: step.relativeFile, offsets: applied.offsets))
                    }
                }
            }
            return output
        }
    }
}
