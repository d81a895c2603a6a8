import PurewheelBasics
import TOMLSchema
import WheelModel

/// Reads and validates a recipe file (schema 1; recipes/README.md is the specification).
public enum RecipeLoader {
    /// The only schema this version understands.
    public static let schemaVersion = 1

    /// Loads the recipe at `path` and the lock beside it (`Recipe.lockPath(forRecipe:)`), if there is one.
    ///
    /// - Throws: `RecipeError` naming the key path: `.recipeNotFound`, `.syntax` (with line and column),
    ///   `.unknownKey`, `.missingKey`, `.wrongType`, `.invalidValue`, `.missingFile`; the same cases name the
    ///   lock file for a malformed lock.
    public static func load(path: String) throws(RecipeError) -> Recipe {
        let bytes: [UInt8]
        do throws(FileSystemError) {
            bytes = try FileIO.read(path)
        } catch .notFound {
            throw .recipeNotFound(path: path)
        } catch {
            throw .unreadable(error)
        }
        let lockPath = Recipe.lockPath(forRecipe: path)
        var lockText: String?
        if FileIO.exists(lockPath) {
            do throws(FileSystemError) {
                lockText = String(decoding: try FileIO.read(lockPath), as: UTF8.self)
            } catch {
                throw .unreadable(error)
            }
        }
        return try parse(
            String(decoding: bytes, as: UTF8.self), path: path, lockText: lockText, fileExists: FileIO.exists,
            realPath: FileIO.realPath, isRegularFile: FileIO.isRegularFile)
    }

    /// Validates recipe text and its lock's text (`nil`: no lock yet).
    ///
    /// The file system is injectable for tests: `fileExists` decides whether referenced files exist, `realPath` resolves symbolic links
    /// (`nil`: unresolvable), `isRegularFile` rejects FIFOs and devices.
    ///
    /// - Throws: the same errors as `load(path:)`, except `.recipeNotFound`.
    public static func parse(
        _ text: String, path: String, lockText: String? = nil, fileExists: @escaping (String) -> Bool,
        realPath: @escaping (String) -> String? = { $0 }, isRegularFile: @escaping (String) -> Bool = { _ in true }
    ) throws(RecipeError) -> Recipe {
        var root = try parseTOML(text, path: path)
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        var context = Context(
            path: path, directory: directory, fileExists: fileExists, realPath: realPath, isRegularFile: isRegularFile)

        guard let schema = try root.int("schema") else { throw .missingKey(path: path, keyPath: "schema") }
        guard schema == schemaVersion else {
            throw .invalidValue(
                path: path, keyPath: "schema", reason: "schema \(schema) is not supported (this purewheel reads schema \(schemaVersion))")
        }
        let source = try readSource(&root, context)
        let output = try readOutput(&root, context)
        let metadata = try readMetadata(&root, context)
        let baseSteps = try readSteps(&root, &context)
        var overlays = [Recipe.Overlay]()
        var revisions = [String: Int]()
        if var versionsReader = try root.table("versions", required: false) {
            revisions = try readVersionSettings(&versionsReader, context)
        }
        for var overlayReader in try root.tables("overlay") {
            overlays.append(try readOverlay(&overlayReader, &context))
        }
        let notice = try readNotice(&root, context)
        try root.rejectUnknownKeys()
        let lockPath = Recipe.lockPath(forRecipe: path)
        let lock =
            try lockText.map { text throws(RecipeError) in try LockfileReader.parse(text, path: lockPath, distribution: source.distribution)
            }
            ?? Lockfile(distribution: source.distribution, versions: [])
        return Recipe(
            path: path, directory: directory, source: source, output: output, metadata: metadata,
            baseSteps: baseSteps, overlays: overlays, versions: [], lock: lock, revisions: revisions,
            notice: notice
        ).replacingLock(lock)
    }

    /// Parses TOML text, keeping TOMLKit's line and column on a syntax error (a duplicated key included), and returns
    /// a reader of its root table whose errors name the file at `path`.
    static func parseTOML(_ text: String, path: String) throws(RecipeError) -> TableReader {
        try TableReader.parse(text) { RecipeError(schema: $0, path: path) }
    }

    private struct Context {
        let path: String
        let directory: String
        let fileExists: (String) -> Bool
        let realPath: (String) -> String?
        let isRegularFile: (String) -> Bool

        /// The path of a patch or inject source named at `keyPath`, which must be a regular file inside the
        /// recipe's folder: no absolute path, no `..` above the folder, no symbolic link pointing out of it.
        func locate(_ relative: String, keyPath: String) throws(RecipeError) -> String {
            let outside = RecipeError.fileOutsideRecipeFolder(path: path, keyPath: keyPath, file: relative, resolved: relative)
            guard !relative.hasPrefix("/") else { throw outside }
            var depth = 0
            for segment in relative.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
                depth += segment == ".." ? -1 : 1
                guard depth >= 0 else { throw outside }
            }
            let file = "\(directory)/\(relative)"
            guard fileExists(file) else { throw .missingFile(path: path, keyPath: keyPath, file: relative) }
            guard let real = realPath(file), let folder = realPath(directory) else { throw outside }
            guard real.hasPrefix(folder == "/" ? "/" : folder + "/") else {
                throw .fileOutsideRecipeFolder(path: path, keyPath: keyPath, file: relative, resolved: real)
            }
            guard isRegularFile(file) else { throw .notRegularFile(path: path, keyPath: keyPath, file: relative) }
            return file
        }
    }

    private static func readSource(_ root: inout TableReader, _ context: Context) throws(RecipeError) -> Recipe.Source {
        guard var reader = try root.table("source") else { throw .missingKey(path: context.path, keyPath: "source") }
        let distribution = try reader.string("distribution")!
        try requireProjectName(distribution, keyPath: reader.path("distribution"), context)
        let platformText = try reader.string("canonical_platform")!
        guard let platform = PlatformFamily(rawValue: platformText), [.linux, .macos, .windows].contains(platform) else {
            throw .invalidValue(
                path: context.path, keyPath: reader.path("canonical_platform"), reason: "'\(platformText)' is not linux, macos or windows")
        }
        var versions: VersionSpecifierSet?
        if let text = try reader.string("versions", required: false) {
            guard let set = VersionSpecifierSet(parsing: text) else {
                throw .invalidValue(
                    path: context.path, keyPath: reader.path("versions"),
                    reason: "'\(text)' is not a PEP 440 version specifier such as '>=1.14'")
            }
            versions = set
        }
        let pythonVersions = try reader.strings("python_versions") ?? []
        for (index, version) in pythonVersions.enumerated() where !Self.isPythonVersion(version) {
            throw .invalidValue(
                path: context.path, keyPath: "\(reader.path("python_versions"))[\(index)]",
                reason: "'\(version)' is not a Python version such as '3.11'")
        }
        let platforms = try reader.strings("platforms") ?? []
        for (index, platform) in platforms.enumerated()
        where platform.isEmpty || !platform.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            throw .invalidValue(
                path: context.path, keyPath: "\(reader.path("platforms"))[\(index)]",
                reason: "'\(platform)' is not a platform tag such as 'manylinux2014_x86_64'")
        }
        try reader.rejectUnknownKeys()
        return Recipe.Source(
            distribution: distribution, canonicalPlatform: platform, versions: versions, pythonVersions: pythonVersions,
            platforms: platforms
        )
    }

    private static func readOutput(_ root: inout TableReader, _ context: Context) throws(RecipeError) -> Recipe.Output {
        guard var reader = try root.table("output") else { throw .missingKey(path: context.path, keyPath: "output") }
        let distribution = try reader.string("distribution")!
        try requireProjectName(distribution, keyPath: reader.path("distribution"), context)
        let tagText = try reader.string("tag")!
        guard let tag = WheelTag(parsing: tagText), tag == .py3NoneAny else {
            throw .invalidValue(
                path: context.path, keyPath: reader.path("tag"),
                reason: "'\(tagText)' is not supported; schema 1 produces py3-none-any wheels only")
        }
        try reader.rejectUnknownKeys()
        return Recipe.Output(distribution: distribution, tag: tag)
    }

    private static func readMetadata(_ root: inout TableReader, _ context: Context) throws(RecipeError) -> Recipe.MetadataEdits {
        guard var reader = try root.table("metadata") else { throw .missingKey(path: context.path, keyPath: "metadata") }
        let summary = try reader.string("summary")!
        guard !summary.contains("\n") else {
            throw .invalidValue(path: context.path, keyPath: reader.path("summary"), reason: "a summary is one line")
        }
        let note = try reader.string("description_note", required: false)
        let requiresPython = try reader.string("requires_python", required: false)
        var requirements = Recipe.RequirementEdits.none
        if var requirementsReader = try reader.table("requirements", required: false) {
            requirements = try readRequirementEdits(&requirementsReader, context)
        }
        let metadataVersion = try reader.string("metadata_version", required: false)
        if let metadataVersion, !Self.metadataVersions.contains(metadataVersion) {
            throw .invalidValue(
                path: context.path, keyPath: reader.path("metadata_version"),
                reason: "'\(metadataVersion)' is not one of \(Self.metadataVersions.joined(separator: ", "))")
        }
        let importNames = try reader.strings("import_names") ?? []
        for (index, name) in importNames.enumerated() where !Self.isImportName(name) {
            throw .invalidValue(
                path: context.path, keyPath: "\(reader.path("import_names"))[\(index)]",
                reason: "'\(name)' is not a dotted Python name such as 'ml_metadata' (PEP 794)")
        }
        let licenseExpression = try reader.string("license_expression", required: false)
        if let licenseExpression, licenseExpression.isEmpty || licenseExpression.contains("\n") {
            throw .invalidValue(
                path: context.path, keyPath: reader.path("license_expression"), reason: "an SPDX expression is one non-empty line")
        }
        let licenseFiles = try reader.strings("license_files")
        for (index, file) in (licenseFiles ?? []).enumerated() where EntryPath.problem(in: file) != nil {
            throw .invalidValue(
                path: context.path, keyPath: "\(reader.path("license_files"))[\(index)]",
                reason: "'\(file)' is not a safe path relative to .dist-info/licenses/")
        }
        var classifiers = Recipe.ClassifierEdits.none
        if var classifierReader = try reader.table("classifiers", required: false) {
            classifiers = try readClassifierEdits(&classifierReader, context)
        }
        let projectURLs = try reader.strings("project_urls") ?? []
        for (index, url) in projectURLs.enumerated() where !Self.isProjectURL(url) {
            throw .invalidValue(
                path: context.path, keyPath: "\(reader.path("project_urls"))[\(index)]",
                reason: "'\(url)' is not 'Label, https://…' (a label of at most 32 characters, a comma, an http(s) URL)")
        }
        try reader.rejectUnknownKeys()
        return Recipe.MetadataEdits(
            summary: summary, descriptionNote: note, requiresPython: requiresPython, requirements: requirements,
            metadataVersion: metadataVersion, importNames: importNames, licenseExpression: licenseExpression,
            licenseFiles: licenseFiles, classifiers: classifiers, projectURLs: projectURLs)
    }

    /// The core metadata versions a recipe may write (PyPI accepts these).
    static let metadataVersions = ["2.1", "2.2", "2.3", "2.4", "2.5"]

    private static func readClassifierEdits(_ reader: inout TableReader, _ context: Context) throws(RecipeError)
        -> Recipe.ClassifierEdits
    {
        let remove = try readGlobs("remove", &reader, context)
        let add = try reader.strings("add") ?? []
        for (index, classifier) in add.enumerated()
        where classifier.isEmpty || classifier.contains("\n") || !classifier.contains(" :: ") {
            throw .invalidValue(
                path: context.path, keyPath: "\(reader.path("add"))[\(index)]",
                reason: "'\(classifier)' is not a trove classifier such as 'Operating System :: OS Independent'")
        }
        try reader.rejectUnknownKeys()
        return Recipe.ClassifierEdits(remove: remove, add: add)
    }

    /// `notice`: one comment line, so that it can stand in any Python file.
    private static func readNotice(_ root: inout TableReader, _ context: Context) throws(RecipeError) -> String? {
        guard let notice = try root.string("notice", required: false) else { return nil }
        guard notice.hasPrefix("# "), !notice.contains("\n"), !notice.contains("\r") else {
            throw .invalidValue(path: context.path, keyPath: "notice", reason: "a notice is one Python comment line starting with '# '")
        }
        return notice
    }

    private static func isImportName(_ name: String) -> Bool {
        // PEP 794 allows a trailing `; private`.
        let dotted = name.hasSuffix("; private") ? String(name.dropLast("; private".count)) : name
        return dotted.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.first, first.isASCII, first.isLetter || first == "_" else { return false }
            return part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
    }

    private static func isProjectURL(_ value: String) -> Bool {
        guard let comma = value.firstIndex(of: ","), !value.contains("\n") else { return false }
        let label = value[..<comma].drop { $0 == " " }.reversed().drop { $0 == " " }
        let url = String(value[value.index(after: comma)...].drop { $0 == " " })
        return !label.isEmpty && label.count <= 32 && (url.hasPrefix("https://") || url.hasPrefix("http://"))
            && !url.contains(" ")
    }

    private static func readRequirementEdits(_ requirements: inout TableReader, _ context: Context) throws(RecipeError)
        -> Recipe.RequirementEdits
    {
        var edits = Recipe.RequirementEdits.none
        if var replaceReader = try requirements.table("replace", required: false) {
            for key in replaceReader.keys {
                let keyPath = replaceReader.path(key)
                var texts: [String]
                if replaceReader.kind(of: key) == .string, let single = try replaceReader.string(key) {
                    texts = [single]
                } else {
                    texts = try replaceReader.strings(key, required: true) ?? []
                    guard !texts.isEmpty else {
                        throw .invalidValue(
                            path: context.path, keyPath: keyPath, reason: "give at least one requirement (use remove to drop one)")
                    }
                }
                var parsed = [Requirement]()
                for (index, text) in texts.enumerated() {
                    let requirement = try parseRequirement(text, keyPath: texts.count == 1 ? keyPath : "\(keyPath)[\(index)]", context)
                    guard requirement.normalizedName == ProjectName.normalized(key) else {
                        throw .invalidValue(path: context.path, keyPath: keyPath, reason: "'\(text)' is not a requirement on \(key)")
                    }
                    parsed.append(requirement)
                }
                edits.replace.append(
                    Recipe.RequirementReplacement(project: ProjectName.normalized(key), requirements: parsed, keyPath: keyPath))
            }
            try replaceReader.rejectUnknownKeys()
        }
        edits.replace.sort { $0.project < $1.project }
        for (index, name) in (try requirements.strings("remove") ?? []).enumerated() {
            edits.remove.append((ProjectName.normalized(name), "\(requirements.path("remove"))[\(index)]"))
        }
        for (index, text) in (try requirements.strings("add") ?? []).enumerated() {
            edits.add.append(try parseRequirement(text, keyPath: "\(requirements.path("add"))[\(index)]", context))
        }
        for var entry in try requirements.tables("relax") {
            let relaxation = try readBoundRelaxation(&entry, context)
            if edits.relax.contains(where: { $0.project == relaxation.project && $0.upstreamBound == relaxation.upstreamBound }) {
                throw .invalidValue(
                    path: context.path, keyPath: entry.path("from"),
                    reason: "\(relaxation.project)\(relaxation.upstreamBound) is already relaxed in this table")
            }
            edits.relax.append(relaxation)
        }
        try requirements.rejectUnknownKeys()
        return edits
    }

    /// One `relax` entry: `project`, the upstream upper bound `from`, the wider bound `to` and a one-line `reason`.
    private static func readBoundRelaxation(_ entry: inout TableReader, _ context: Context) throws(RecipeError)
        -> Recipe.BoundRelaxation
    {
        let project = try entry.string("project") ?? ""
        try requireProjectName(project, keyPath: entry.path("project"), context)
        let from = try upperBound(try entry.string("from") ?? "", project: project, keyPath: entry.path("from"), context)
        let to = try upperBound(try entry.string("to") ?? "", project: project, keyPath: entry.path("to"), context)
        guard to.version > from.version else {
            throw .invalidValue(
                path: context.path, keyPath: entry.path("to"), reason: "'\(to.clause)' is not wider than '\(from.clause)'")
        }
        let reason = (try entry.string("reason") ?? "").trimmingWhitespace()
        guard !reason.isEmpty, !reason.contains(where: \.isNewline) else {
            throw .invalidValue(
                path: context.path, keyPath: entry.path("reason"),
                reason: "say in one line why the wider bound is safe (the output's description lists it)")
        }
        try entry.rejectUnknownKeys()
        return Recipe.BoundRelaxation(
            project: ProjectName.normalized(project), upstreamBound: from.clause, relaxedBound: to.clause, reason: reason,
            keyPath: entry.keyPath)
    }

    /// A single `<` or `<=` clause on a release version, canonically spelled, with its version.
    private static func upperBound(_ text: String, project: String, keyPath: String, _ context: Context) throws(RecipeError)
        -> (clause: String, version: PEP440Version)
    {
        let requirement = try parseRequirement(project + text, keyPath: keyPath, context)
        guard requirement.url == nil, requirement.marker == nil, requirement.extras.isEmpty,
            requirement.specifiers.count == 1, let clause = requirement.specifiers.first,
            let set = VersionSpecifierSet(parsing: clause), let only = set.clauses.first, set.clauses.count == 1,
            only.op == .less || only.op == .lessOrEqual, !only.isPrefix, let version = only.version
        else {
            throw .invalidValue(path: context.path, keyPath: keyPath, reason: "'\(text)' is not one upper bound such as '<24'")
        }
        return (clause, version)
    }

    private static func readSteps(_ reader: inout TableReader, _ context: inout Context) throws(RecipeError) -> Recipe.Steps {
        var steps = Recipe.Steps.none
        steps.strip = try readGlobs("strip", &reader, context)
        steps.normalizeNewlines = try readGlobs("normalize_newlines", &reader, context)
        for var patch in try reader.tables("patch") {
            let relative = try patch.string("file")!
            let file = try context.locate(relative, keyPath: patch.path("file"))
            let offset = try patch.int("max_offset", required: false) ?? 0
            try requireNonNegative(offset, keyPath: patch.path("max_offset"), context)
            try patch.rejectUnknownKeys()
            steps.patches.append(Recipe.PatchStep(file: file, relativeFile: relative, maxOffset: offset, keyPath: patch.keyPath))
        }
        for var inject in try reader.tables("inject") {
            let relative = try inject.string("file")!
            let file = try context.locate(relative, keyPath: inject.path("file"))
            let destination = try inject.string("path")!
            if let problem = EntryPath.problem(in: destination) {
                throw .invalidValue(
                    path: context.path, keyPath: inject.path("path"),
                    reason: "'\(destination)' is not a safe entry path: \(problem.rawValue)")
            }
            let executable = try inject.bool("executable", required: false) ?? false
            try inject.rejectUnknownKeys()
            steps.injects.append(Recipe.InjectStep(file: file, path: destination, isExecutable: executable, keyPath: inject.keyPath))
        }
        return steps
    }

    private static func readGlobs(_ key: String, _ reader: inout TableReader, _ context: Context) throws(RecipeError) -> [Recipe.KeyedGlob]
    {
        var result = [Recipe.KeyedGlob]()
        for (index, pattern) in (try reader.strings(key) ?? []).enumerated() {
            let keyPath = "\(reader.path(key))[\(index)]"
            do {
                result.append(Recipe.KeyedGlob(glob: try Glob(pattern), keyPath: keyPath))
            } catch {
                throw .invalidValue(path: context.path, keyPath: keyPath, reason: "'\(pattern)' is not a valid glob (\(error))")
            }
        }
        return result
    }

    private static func readOverlay(_ reader: inout TableReader, _ context: inout Context) throws(RecipeError) -> Recipe.Overlay {
        var versions: Recipe.VersionSelector?
        if reader.kind(of: "versions") == .string, let text = try reader.string("versions") {
            guard let set = VersionSpecifierSet(parsing: text) else {
                throw .invalidValue(
                    path: context.path, keyPath: reader.path("versions"),
                    reason: "'\(text)' is not a PEP 440 version specifier such as '>=1.17'")
            }
            versions = .specifier(set)
        } else if let list = try reader.strings("versions") {
            for (index, version) in list.enumerated() where !PEP440.isValid(version) {
                throw .invalidValue(
                    path: context.path, keyPath: "\(reader.path("versions"))[\(index)]", reason: "'\(version)' is not a PEP 440 version")
            }
            versions = .list(list)
        }
        var platforms: [PlatformFamily]?
        if let names = try reader.strings("platforms") {
            platforms = []
            for (index, name) in names.enumerated() {
                guard let family = PlatformFamily(rawValue: name), [.linux, .macos, .windows].contains(family) else {
                    throw .invalidValue(
                        path: context.path, keyPath: "\(reader.path("platforms"))[\(index)]",
                        reason: "'\(name)' is not linux, macos or windows")
                }
                platforms?.append(family)
            }
        }
        let steps = try readSteps(&reader, &context)
        var requirements = Recipe.RequirementEdits.none
        if var requirementsReader = try reader.table("requirements", required: false) {
            requirements = try readRequirementEdits(&requirementsReader, context)
        }
        var classifiers = Recipe.ClassifierEdits.none
        if var classifierReader = try reader.table("classifiers", required: false) {
            classifiers = try readClassifierEdits(&classifierReader, context)
        }
        guard steps != .none || requirements != .none || classifiers != .none else {
            throw .invalidValue(
                path: context.path, keyPath: reader.keyPath,
                reason: "an overlay needs at least one of strip, normalize_newlines, patch, inject, requirements, classifiers")
        }
        try reader.rejectUnknownKeys()
        return Recipe.Overlay(
            versions: versions, platforms: platforms, steps: steps, requirements: requirements, classifiers: classifiers)
    }

    /// `[versions."X"]` tables hold per-version settings only; the pins live in the lock.
    ///
    /// `revision` is per version, never a default or an overlay setting: it names a published file to replace, and
    /// must not reach a version that was never published (an overlay's specifier reaches releases not seen yet).
    private static func readVersionSettings(_ reader: inout TableReader, _ context: Context) throws(RecipeError) -> [String: Int] {
        var revisions = [String: Int]()
        var seen = [(text: String, version: PEP440Version)]()
        for version in reader.keys {
            guard PEP440.isValid(version), let parsed = PEP440Version(parsing: version) else {
                throw .invalidValue(path: context.path, keyPath: reader.path(version), reason: "'\(version)' is not a PEP 440 version")
            }
            if let same = seen.first(where: { $0.version == parsed }) {
                throw .invalidValue(
                    path: context.path, keyPath: reader.path(version),
                    reason: "'\(version)' is the same PEP 440 version as '\(same.text)', which has a table already")
            }
            seen.append((version, parsed))
            guard var versionReader = try reader.table(version) else { continue }
            if versionReader.keys.contains("wheels") {
                throw .invalidValue(
                    path: context.path, keyPath: versionReader.path("wheels"),
                    reason: "upstream pins live in the lock (\(Recipe.lockPath(forRecipe: context.path))), written by 'purewheel lock'"
                )
            }
            if let revision = try versionReader.int("revision", required: false) {
                try requireRevision(revision, of: parsed, keyPath: versionReader.path("revision"), context)
                revisions[version] = revision
            }
            try versionReader.rejectUnknownKeys()
        }
        try reader.rejectUnknownKeys()
        return revisions
    }

    /// A revision counts from 1, and only a version that can take a post segment can have one.
    private static func requireRevision(_ revision: Int, of version: PEP440Version, keyPath: String, _ context: Context)
        throws(RecipeError)
    {
        guard revision >= 1 else {
            throw .invalidValue(
                path: context.path, keyPath: keyPath,
                reason: "a revision counts from 1 (found \(revision)); leave it out for the first repack of a version")
        }
        guard version.withPostRelease(revision) != nil else {
            let segment = version.postRelease != nil ? "post" : version.devRelease != nil ? "development" : "local"
            throw .invalidValue(
                path: context.path, keyPath: keyPath,
                reason: "upstream \(version.description) has a \(segment) segment, and PEP 440 allows no post segment after it: "
                    + "a revision of it cannot be spelled")
        }
    }

    private static func isPythonVersion(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    private static func parseRequirement(_ text: String, keyPath: String, _ context: Context) throws(RecipeError) -> Requirement {
        do {
            return try Requirement(parsing: text)
        } catch {
            throw .invalidValue(path: context.path, keyPath: keyPath, reason: error.message)
        }
    }

    private static func requireProjectName(_ name: String, keyPath: String, _ context: Context) throws(RecipeError) {
        guard ProjectName.isValid(name) else {
            throw .invalidValue(path: context.path, keyPath: keyPath, reason: "'\(name)' is not a valid project name")
        }
    }

    private static func requireNonNegative(_ value: Int?, keyPath: String, _ context: Context) throws(RecipeError) {
        if let value, value < 0 {
            throw .invalidValue(path: context.path, keyPath: keyPath, reason: "must not be negative")
        }
    }
}
