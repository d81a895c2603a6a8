import PurewheelBasics
import RecipeFormat

extension ProvenanceStatement {
    /// The statement for a finished build: the written wheel as subject, and as resolved dependencies the
    /// upstream wheel, the recipe, its lock file when one exists, and every patch and injected file the
    /// build's steps used, each hashed as it is on disk now.
    ///
    /// - Parameters:
    ///   - wheel: the verified output.
    ///   - upstream: the input it was built from.
    ///   - recipePath: the recipe path to record: as given on the command line, never an absolute path
    ///     that only exists on this machine when a relative one exists.
    ///   - context: the build's context (recipe, `SOURCE_DATE_EPOCH`, and the file reader).
    /// - Throws: `FileSystemError` when a recipe-side file cannot be read (a missing lock file is skipped).
    public init(recording wheel: WrittenWheel, from upstream: UpstreamWheel, recipePath: String, context: StageContext)
        throws(FileSystemError)
    {
        let recipe = context.recipe
        var dependencies = [
            ResourceDescriptor(
                name: upstream.filename.description,
                uri: ResourceDescriptor.packageURL(
                    distribution: recipe.source.distribution, version: upstream.version, file: upstream.filename.description),
                sha256: upstream.sha256
            )
        ]
        for file in Self.recipeFiles(recipe, version: upstream.version, upstream: upstream) {
            let bytes: [UInt8]
            do {
                bytes = try context.readFile(file.path)
            } catch .notFound where file.isOptional {
                continue
            }
            dependencies.append(ResourceDescriptor(name: file.name, sha256: SHA256Digest.of(bytes)))
        }
        let parameters = ExternalParameters(
            recipe: recipePath, upstreamVersion: upstream.version, upstreamWheel: upstream.filename.description,
            outputDistribution: recipe.output.distribution, sourceDateEpoch: context.sourceDateEpoch
        )
        self.init(
            subject: ResourceDescriptor(name: wheel.wheel.filename.description, sha256: wheel.sha256),
            buildDefinition: BuildDefinition(
                externalParameters: parameters, internalParameters: InternalParameters(upstreamPinned: upstream.pinStatus == .pinned),
                resolvedDependencies: dependencies
            ),
            builderVersion: PurewheelVersion.current
        )
    }

    /// The recipe, its lock, then the patch and inject files of this build's steps, named relative to the
    /// recipe's folder.
    private static func recipeFiles(_ recipe: Recipe, version: String, upstream: UpstreamWheel) -> [(
        name: String, path: String, isOptional: Bool
    )] {
        let steps = recipe.steps(version: version, platform: upstream.filename.platformFamily)
        var files = [
            (name: lastComponent(recipe.path), path: recipe.path, isOptional: false),
            // The lock is optional until every recipe has one.
            (name: lastComponent(recipe.lockPath), path: recipe.lockPath, isOptional: true),
        ]
        files += steps.patches.map { (name: $0.relativeFile, path: $0.file, isOptional: false) }
        files += steps.injects.map { (name: relative($0.file, to: recipe.directory), path: $0.file, isOptional: false) }
        return files
    }

    private static func lastComponent(_ path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    /// `file` without the `folder/` prefix the recipe loader put in front of a relative recipe path.
    private static func relative(_ file: String, to folder: String) -> String {
        file.hasPrefix(folder + "/") ? String(file.dropFirst(folder.count + 1)) : file
    }
}
