import PurewheelBasics
import RecipeFormat
import UnifiedDiff

/// Applies the recipe's unified diffs in order. Each hunk must match exactly (within the patch's
/// `max_offset`); a failure names the patch file, hunk and target line.
public struct PatchStage: Stage {
    /// Patches in recipe order.
    public let patches: [Recipe.PatchStep]

    /// Creates the stage.
    public init(patches: [Recipe.PatchStep]) { self.patches = patches }

    public func run(_ input: WheelContents, in context: StageContext) throws(PipelineError) -> WheelContents {
        guard !patches.isEmpty else { return input }
        return try inStage(.patch) {
            var output = input
            try input.withUpstreamArchive { reader in
                for step in patches {
                    let text = String(decoding: try context.readFile(step.file), as: UTF8.self)
                    let patch = try PatchParser.parse(text, name: step.file)
                    let applier = PatchApplier(patchName: step.file, maxOffset: step.maxOffset)
                    for diff in patch.files {
                        let target = diff.target
                        let index = output.entries.firstIndex { $0.path.rawValue == target }
                        var original: String?
                        if diff.createsFile {
                            guard index == nil else { throw PatchError.targetExists(patch: step.file, target: target) }
                        } else {
                            guard let index else { throw PatchError.targetMissing(patch: step.file, target: target) }
                            let bytes = try output.entries[index].bytes(from: reader)
                            guard let decoded = String(validating: bytes, as: UTF8.self) else {
                                throw PatchError.targetNotText(patch: step.file, target: target)
                            }
                            original = decoded
                        }
                        let applied = try applier.apply(diff, to: original)
                        let newBytes = Array(applied.text.utf8)
                        if let index {
                            output.entries[index].content = .bytes(newBytes)
                        } else {
                            output.entries.append(
                                WheelEntry(path: try EntryPath(validating: target), content: .bytes(newBytes), isExecutable: false))
                        }
                        output.changes.append(.patched(path: target, patch: step.relativeFile, offsets: applied.offsets))
                    }
                }
            }
            return output
        }
    }
}
