import Foundation
import PurewheelBasics
import RecipeFormat
import WheelModel

/// Gives the wheel its new identity: distribution name, version (with the recipe's post-release), the
/// `py3-none-any` tag, a renamed `.dist-info` (and `.data`) folder, new METADATA and WHEEL. The upstream
/// RECORD and any signature of it are dropped: `RecordStage` writes the only RECORD.
public struct RetagStage: Stage {
    /// Creates the stage.
    public init() {}

    public func run(_ input: WheelContents, in context: StageContext) throws(PipelineError) -> RetaggedWheel {
        try inStage(.retag) {
            let recipe = context.recipe
            let version = recipe.outputVersion(for: input.upstream.version)
            guard PEP440.isValid(version) else { throw BuildError.invalidOutputVersion(version) }
            let filename = WheelFilename(distribution: recipe.output.distribution, version: version, tag: recipe.output.tag)
            let newDistInfo = filename.distInfoDirectory
            let oldData = input.distInfoDirectory.dropLast(".dist-info".count) + ".data"
            let newData = newDistInfo.dropLast(".dist-info".count) + ".data"
            let edits = recipe.requirementEdits(version: input.upstream.version, platform: input.upstream.filename.platformFamily)
            let metadata = try MetadataRewriter(recipe: recipe, version: version, requirementEdits: edits).rewrite(input.metadata)
            let wheelInfo = WheelInfo(generator: context.generator, rootIsPurelib: true, tags: [recipe.output.tag])

            var output = input
            let dropped: Set<String> = ["RECORD", "RECORD.jws", "RECORD.p7s", "METADATA", "WHEEL"]
            var entries = [WheelEntry]()
            for var entry in input.entries {
                let path = entry.path.rawValue
                if path.hasPrefix(input.distInfoDirectory + "/") {
                    let rest = String(path.dropFirst(input.distInfoDirectory.count + 1))
                    if dropped.contains(rest) { continue }
                    entry.path = try EntryPath(validating: "\(newDistInfo)/\(rest)")
                } else if path.hasPrefix(oldData + "/") {
                    let rest = String(path.dropFirst(oldData.count + 1))
                    if rest.hasPrefix("platlib/") { throw BuildError.platlibData(archive: input.upstream.path, entry: path) }
                    entry.path = try EntryPath(validating: "\(newData)/\(rest)")
                }
                entries.append(entry)
            }
            entries.append(
                WheelEntry(
                    path: try EntryPath(validating: "\(newDistInfo)/METADATA"), content: .bytes(Array(metadata.serialized().utf8)),
                    isExecutable: false))
            entries.append(
                WheelEntry(
                    path: try EntryPath(validating: "\(newDistInfo)/WHEEL"), content: .bytes(Array(wheelInfo.serialized().utf8)),
                    isExecutable: false))
            output.entries = entries
            return RetaggedWheel(
                contents: output, filename: filename, distInfoDirectory: newDistInfo, metadata: metadata, wheelInfo: wheelInfo)
        }
    }
}

/// Applies the recipe's `[metadata]` edits to upstream METADATA, keeping field order and untouched fields.
struct MetadataRewriter {
    let recipe: Recipe
    let version: String
    let requirementEdits: Recipe.RequirementEdits

    func rewrite(_ upstream: CoreMetadata) throws -> CoreMetadata {
        var metadata = upstream
        var headers = metadata.headers
        let edits = recipe.metadata
        headers.set("Name", to: recipe.output.distribution)
        headers.set("Version", to: version)
        headers.set("Summary", to: edits.summary)
        if let requiresPython = edits.requiresPython { headers.set("Requires-Python", to: requiresPython) }
        // setuptools wrote `Platform: UNKNOWN` for an unset field until v57; it carries nothing, and keeping it
        // would make macOS- and Linux-built METADATA differ.
        headers.remove("Platform") { $0.trimmingCharacters(in: .whitespaces) == "UNKNOWN" }
        headers.fields = try rewriteRequirements(headers.fields)
        if let note = edits.descriptionNote {
            let trimmed = note.hasSuffix("\n") ? String(note.dropLast()) : note
            headers.body = headers.body.map { "\(trimmed)\n\n\($0)" } ?? trimmed + "\n"
        }
        metadata.headers = headers
        return metadata
    }

    /// Canonical PEP 508 spelling for every `Requires-Dist`, with the recipe's replacements, removals and
    /// additions; additions go right after the last upstream requirement.
    private func rewriteRequirements(_ fields: [HeaderFields.Field]) throws -> [HeaderFields.Field] {
        let edits = requirementEdits
        var seen = Set<String>()
        var result = [HeaderFields.Field]()
        var lastRequirement: Int?
        for field in fields {
            guard field.name.lowercased() == "requires-dist" else {
                result.append(field)
                continue
            }
            let requirement = try Requirement(parsing: field.value)
            let project = requirement.normalizedName
            seen.insert(project)
            if edits.remove.contains(where: { $0.project == project }) { continue }
            let replaced = edits.replace.first { $0.project == project }?.requirements ?? [requirement]
            for item in replaced {
                result.append(HeaderFields.Field(name: "Requires-Dist", value: item.description))
            }
            lastRequirement = result.count - 1
        }
        for replacement in edits.replace where !seen.contains(replacement.project) {
            throw BuildError.requirementNotFound(recipe: recipe.path, keyPath: replacement.keyPath, project: replacement.project)
        }
        for removal in edits.remove where !seen.contains(removal.project) {
            throw BuildError.requirementNotFound(recipe: recipe.path, keyPath: removal.keyPath, project: removal.project)
        }
        let added = edits.add.map { HeaderFields.Field(name: "Requires-Dist", value: $0.description) }
        result.insert(contentsOf: added, at: (lastRequirement ?? result.count - 1) + 1)
        return result
    }
}
