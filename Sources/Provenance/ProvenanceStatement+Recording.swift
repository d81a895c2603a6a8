import PurewheelBasics
import RecipeFormat
import WheelBuild
import WheelModel

extension ProvenanceStatement {
    /// The statement for a finished build: the written wheel as subject, and as resolved dependencies the
    /// upstream wheel, the recipe, its lock file when one exists, and every patch and injected file the
    /// build's steps used, each hashed as it is on disk now.
    ///
    /// - Parameters:
    ///   - wheel: the verified output.
    ///   - upstream: the input it was built from.
    ///   - context: the build's context (recipe, `SOURCE_DATE_EPOCH`, and the file reader).
    /// - Throws: `FileSystemError` when a recipe-side file cannot be read (a missing lock file is skipped) or
    ///   the recipe's folder no longer resolves.
    public init(recording wheel: WrittenWheel, from upstream: UpstreamWheel, context: StageContext) throws(FileSystemError) {
        let recipe = context.recipe
        let recipePath = try Self.recordedRecipePath(recipe.path)
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
            outputDistribution: recipe.output.distribution, revision: recipe.revision(for: upstream.version),
            sourceDateEpoch: context.sourceDateEpoch
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

    /// The recipe path a statement records: relative to the root of the repository that holds the recipe (the
    /// nearest folder above it with a `.git`), or the file name alone outside any repository.
    ///
    /// It depends only on where the recipe is, never on the working folder or on how the path was typed
    /// (`../x/recipes/a.toml`, `./recipes/a.toml`), so a build records the same bytes from anywhere, and on no
    /// part of the path above the repository, which differs between checkouts.
    ///
    /// - Parameter path: the recipe file as the build read it.
    /// - Returns: a relative path without `.` or `..` components.
    /// - Throws: `FileSystemError.notFound` when the recipe's folder does not resolve.
    package static func recordedRecipePath(_ path: String) throws(FileSystemError) -> String {
        let name = lastComponent(path)
        let typedFolder = path.lastIndex(of: "/").map { path[..<$0].isEmpty ? "/" : String(path[..<$0]) } ?? "."
        // The folder, not the file, is resolved: the recorded name stays the one the recipe's dependency entry carries.
        guard let folder = FileIO.realPath(typedFolder) else { throw .notFound(path: typedFolder) }
        guard let root = repositoryRoot(containing: folder) else { return name }
        let inside = folder == root ? "" : String(folder.dropFirst(root == "/" ? 1 : root.count + 1)) + "/"
        return inside + name
    }

    /// The root of the repository holding `folder`: `folder` itself or its nearest ancestor that has a `.git`
    /// (a folder, or a file in a worktree or submodule), or `nil` when there is none.
    ///
    /// - Parameter folder: an absolute path without `.` or `..` components.
    /// - Returns: the root, as a prefix of `folder`.
    package static func repositoryRoot(containing folder: String) -> String? {
        var current = folder
        while true {
            if FileIO.kind(of: current == "/" ? "/.git" : current + "/.git") != nil { return current }
            guard current != "/", let slash = current.lastIndex(of: "/") else { return nil }
            current = slash == current.startIndex ? "/" : String(current[..<slash])
        }
    }

    private static func lastComponent(_ path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    /// `file` without the `folder/` prefix the recipe loader put in front of a relative recipe path.
    private static func relative(_ file: String, to folder: String) -> String {
        file.hasPrefix(folder + "/") ? String(file.dropFirst(folder.count + 1)) : file
    }
}
