import FoundationEssentials
import PurewheelBasics
import RecipeFormat
import WheelModel

/// Gives the wheel its new identity: distribution name, version (with the recipe's post-release), the `py3-none-any` tag, a renamed
/// `.dist-info` (and `.data`) folder, new METADATA and WHEEL.
///
/// The upstream RECORD and any signature of it are dropped: `RecordStage` writes the only RECORD.
public struct RetagStage: Stage {
    /// Creates the stage.
    public init() {}

    /// Renames the wheel and its `.dist-info` folder, rewrites METADATA and WHEEL, and drops the upstream RECORD.
    ///
    /// - Throws: `PipelineError` at `.retag`: `.build(.invalidOutputVersion)`, `.build(.platlibData)`, `.build(.requirementNotFound)`,
    ///   `.build(.boundNotFound)` or `.build(.unsafeEntry)`, or `.wheelFormat` for a requirement that does not parse.
    public func run(_ input: WheelContents, in context: StageContext) throws(PipelineError) -> RetaggedWheel {
        try inStage(.retag) { () throws(PipelineError.Cause) in
            let recipe = context.recipe
            let spelled = recipe.outputVersion(for: input.upstream.version)
            guard PEP440.isValid(spelled), let parsed = PEP440Version(parsing: spelled) else {
                throw .build(.invalidOutputVersion(spelled))
            }
            // File name and METADATA carry the normalized spelling, so they always agree.
            let version = parsed.description
            let filename = WheelFilename(project: ProjectName(recipe.output.distribution), version: parsed, tag: recipe.output.tag)
            let newDistInfo = filename.distInfoDirectory
            let oldData = input.distInfoDirectory.dropLast(".dist-info".count) + ".data"
            let newData = newDistInfo.dropLast(".dist-info".count) + ".data"
            let edits = recipe.requirementEdits(version: input.upstream.version, platform: input.upstream.filename.platformFamily)
            let platform = input.upstream.filename.platformFamily
            let classifiers = recipe.classifierEdits(version: input.upstream.version, platform: platform)
            let metadata = try MetadataRewriter(
                recipe: recipe, version: version, requirementEdits: edits, classifierEdits: classifiers
            ).rewrite(input.metadata)
            let licenseMoves = try LicenseFiles.moves(recipe: recipe, contents: input)
            let wheelInfo = WheelInfo(generator: context.generator, rootIsPurelib: true, tags: [recipe.output.tag])

            var output = input
            let dropped = Set(Record.unhashedFiles + ["METADATA", "WHEEL"])
            var entries = [WheelEntry]()
            for var entry in input.entries {
                let path = entry.path.rawValue
                if path.hasPrefix(input.distInfoDirectory + "/") {
                    let rest = String(path.dropFirst(input.distInfoDirectory.count + 1))
                    if dropped.contains(rest) { continue }
                    entry.path = try entryPath("\(newDistInfo)/\(licenseMoves[rest] ?? rest)", in: input.upstream.path)
                } else if path.hasPrefix(oldData + "/") {
                    let rest = String(path.dropFirst(oldData.count + 1))
                    if rest.hasPrefix("platlib/") { throw .build(.platlibData(archive: input.upstream.path, entry: path)) }
                    entry.path = try entryPath("\(newData)/\(rest)", in: input.upstream.path)
                }
                entries.append(entry)
            }
            entries.append(
                WheelEntry(
                    path: try entryPath("\(newDistInfo)/METADATA", in: input.upstream.path),
                    content: .bytes(Array(metadata.serialized().utf8)),
                    isExecutable: false))
            entries.append(
                WheelEntry(
                    path: try entryPath("\(newDistInfo)/WHEEL", in: input.upstream.path),
                    content: .bytes(Array(wheelInfo.serialized().utf8)),
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
    let classifierEdits: Recipe.ClassifierEdits

    func rewrite(_ upstream: CoreMetadata) throws(PipelineError.Cause) -> CoreMetadata {
        var metadata = upstream
        var headers = metadata.headers
        let edits = recipe.metadata
        headers.set("Name", to: recipe.output.distribution)
        headers.set("Version", to: version)
        headers.set("Summary", to: edits.summary)
        if let requiresPython = edits.requiresPython { headers.set("Requires-Python", to: requiresPython) }
        // setuptools wrote `Platform: UNKNOWN` for an unset field until v57; it carries nothing, and keeping it
        // would make macOS- and Linux-built METADATA differ.
        headers.remove("Platform") { $0.trimmingWhitespace() == "UNKNOWN" }
        headers.fields = try rewriteRequirements(headers.fields)
        applyReleaseFields(to: &headers)
        let relaxed = Self.relaxationParagraph(requirementEdits.relax, fields: upstream.headers.fields)
        for note in [relaxed, edits.descriptionNote].compactMap({ $0 }) {
            let trimmed = note.hasSuffix("\n") ? String(note.dropLast()) : note
            headers.body = headers.body.map { "\(trimmed)\n\n\($0)" } ?? trimmed + "\n"
        }
        metadata.headers = headers
        return metadata
    }

    /// Canonical PEP 508 spelling for every `Requires-Dist`, with the recipe's replacements, removals and
    /// additions; additions go right after the last upstream requirement.
    private func rewriteRequirements(_ fields: [HeaderFields.Field]) throws(PipelineError.Cause) -> [HeaderFields.Field] {
        let edits = requirementEdits
        var seen = Set<String>()
        var result = [HeaderFields.Field]()
        var lastRequirement: Int?
        var relaxedBounds = Set<Recipe.BoundRelaxation>()
        for field in fields {
            guard field.name.lowercased() == "requires-dist" else {
                result.append(field)
                continue
            }
            let requirement: Requirement
            do throws(WheelFormatError) { requirement = try Requirement(parsing: field.value) } catch { throw .wheelFormat(error) }
            let project = requirement.normalizedName
            seen.insert(project)
            if edits.remove.contains(where: { $0.project == project }) { continue }
            let replaced = edits.replace.first { $0.project == project }?.requirements ?? [requirement]
            for item in replaced {
                let widened = try Self.relaxing(item, by: edits.relax)
                relaxedBounds.formUnion(widened.applied)
                result.append(HeaderFields.Field(name: "Requires-Dist", value: widened.requirement.description))
            }
            lastRequirement = result.count - 1
        }
        for relaxation in edits.relax where !relaxedBounds.contains(relaxation) {
            throw .build(
                .boundNotFound(
                    recipe: recipe.path, keyPath: relaxation.keyPath, project: relaxation.project, bound: relaxation.upstreamBound))
        }
        for replacement in edits.replace where !seen.contains(replacement.project) {
            throw .build(.requirementNotFound(recipe: recipe.path, keyPath: replacement.keyPath, project: replacement.project))
        }
        for removal in edits.remove where !seen.contains(removal.project) {
            throw .build(.requirementNotFound(recipe: recipe.path, keyPath: removal.keyPath, project: removal.project))
        }
        let added = edits.add.map { HeaderFields.Field(name: "Requires-Dist", value: $0.description) }
        result.insert(contentsOf: added, at: (lastRequirement ?? result.count - 1) + 1)
        return result
    }

    /// `requirement` with every upper bound the relaxations name replaced by its wider one, and those relaxations.
    private static func relaxing(_ requirement: Requirement, by relaxations: [Recipe.BoundRelaxation]) throws(PipelineError.Cause)
        -> (requirement: Requirement, applied: [Recipe.BoundRelaxation])
    {
        let applied = relaxations.filter {
            $0.project == requirement.normalizedName && requirement.specifiers.contains($0.upstreamBound)
        }
        guard !applied.isEmpty else { return (requirement, []) }
        let specifiers = requirement.specifiers.map { clause in
            applied.first { $0.upstreamBound == clause }?.relaxedBound ?? clause
        }
        let extras = requirement.extras.isEmpty ? "" : "[" + requirement.extras.joined(separator: ",") + "]"
        let text = requirement.name + extras + specifiers.joined(separator: ",") + (requirement.marker.map { "; " + $0 } ?? "")
        do throws(WheelFormatError) { return (try Requirement(parsing: text), applied) } catch { throw .wheelFormat(error) }
    }

    /// The description paragraph that lists the relaxed bounds (`nil` when none), spelled with upstream's project name.
    static func relaxationParagraph(_ relaxations: [Recipe.BoundRelaxation], fields: [HeaderFields.Field]) -> String? {
        guard !relaxations.isEmpty else { return nil }
        let names = fields.filter { $0.name.lowercased() == "requires-dist" }.compactMap { try? Requirement(parsing: $0.value) }
        let lines = relaxations.map { relaxation in
            let name = names.first { $0.normalizedName == relaxation.project }?.name ?? relaxation.project
            return "- `\(name)\(relaxation.upstreamBound)` → `\(name)\(relaxation.relaxedBound)`: \(relaxation.reason)"
        }
        return (["Upper bounds of upstream's requirements that this build relaxes:", ""] + lines).joined(separator: "\n")
    }
}
