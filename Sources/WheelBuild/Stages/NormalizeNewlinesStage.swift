import PurewheelBasics
import RecipeFormat

/// Turns CRLF into LF in the text entries the recipe names, so patches written against LF sources also apply to Windows wheels.
///
/// Each glob must match at least one entry; entries without CR stay untouched upstream entries (and are later copied without
/// recompression).
public struct NormalizeNewlinesStage: ArchiveStage {
    /// Globs in recipe order.
    public let globs: [Recipe.KeyedGlob]

    /// Creates the stage.
    public init(globs: [Recipe.KeyedGlob]) { self.globs = globs }

    /// Replaces CRLF with LF in the entries the globs match.
    ///
    /// - Throws: `PipelineError` at `.normalizeNewlines`: `.build(.globMatchedNothing)`, `.build(.notText)`, or `.zip` when an entry cannot
    ///   be read.
    public func run(_ input: WheelContents, archive: borrowing UpstreamArchive, in context: StageContext) throws(PipelineError)
        -> WheelContents
    {
        guard !globs.isEmpty else { return input }
        return try inStage(.normalizeNewlines) { () throws(PipelineError.Cause) in
            var output = input
            do {
                var done = Set<String>()
                for keyed in globs {
                    let indices = output.entries.indices.filter { keyed.glob.matches(output.entries[$0].path.rawValue) }
                    guard !indices.isEmpty else {
                        throw .build(.globMatchedNothing(recipe: context.recipe.path, keyPath: keyed.keyPath, pattern: keyed.glob.pattern))
                    }
                    for index in indices where done.insert(output.entries[index].path.rawValue).inserted {
                        let entry = output.entries[index]
                        let bytes = try archive.bytes(of: entry)
                        guard bytes.contains(0x0D) else { continue }
                        guard String(validating: bytes, as: UTF8.self) != nil else {
                            throw .build(.notText(archive: input.upstream.path, entry: entry.path.rawValue))
                        }
                        output.entries[index].content = .bytes(NormalizeNewlinesStage.lf(bytes))
                        output.changes.append(.normalized(path: entry.path.rawValue, keyPath: keyed.keyPath))
                    }
                }
            }
            return output
        }
    }

    /// CRLF → LF; a lone CR is left alone (it is not a Windows line ending).
    package static func lf(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                index += 1
                continue
            }
            out.append(bytes[index])
            index += 1
        }
        return out
    }
}
