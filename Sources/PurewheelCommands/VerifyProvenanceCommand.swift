import ArgumentParser
import FoundationEssentials
import Provenance
import PurewheelBasics
import RecipeFormat
import WheelBuild

/// `purewheel verify-provenance WHEEL`: checks a wheel against its provenance statement by rebuilding it.
///
/// In order: the wheel must be the statement's subject (name and sha256); the recipe, lock, patch and inject
/// files the statement records must have the recorded sha256 now; then the recorded upstream file is fetched
/// again through pip (and checked against its pin) and rebuilt with the recorded `SOURCE_DATE_EPOCH` into a
/// private temporary folder, and the rebuilt bytes must equal the wheel's; last, the statement the rebuild
/// records must equal the one read, field by field, so that nothing in it is certified unchecked. Any
/// difference is exit 4.
struct VerifyProvenanceCommand: EnvironmentCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-provenance",
        abstract: "Rebuild a wheel from its provenance statement and check that the bytes are the same.",
        discussion: """
            Checks that WHEEL is the statement's subject and that every recorded recipe, lock, patch and inject \
            file is unchanged, then downloads the recorded upstream file with pip (checked against its pin), \
            rebuilds it with the recorded SOURCE_DATE_EPOCH and compares the result with WHEEL, and every field \
            of the statement with what the rebuild records. \
            Exit status: 0 verified, 4 on any difference, 65 for a malformed statement, 66 for a missing one.
            """
    )

    @Argument(help: "The wheel to verify.")
    var wheel: String

    @Option(
        name: .customLong("provenance"), help: ArgumentHelp("The provenance statement (default: WHEEL.intoto.json).", valueName: "file"))
    var provenance: String?

    @Option(
        name: .customLong("recipe"),
        help: ArgumentHelp(
            "The recipe to rebuild with (default: the path the statement records, under the repository holding the current folder).",
            valueName: "file"))
    var recipe: String?

    @OptionGroup var download: DownloadOptions

    func perform(in environment: CommandEnvironment) throws(CommandError) -> Int32 {
        let statementPath = provenance ?? wheel + ProvenanceStatement.fileSuffix
        let statement = try readStatement(statementPath)
        let digest = try checkSubject(of: statement)
        let (loaded, recipePath) = try checkRecipeFiles(of: statement, in: environment)
        let rebuilt = try rebuild(statement, recipe: loaded, in: environment)
        guard rebuilt.sha256 == digest else {
            throw .provenance(
                .rebuildMismatch(
                    wheel: wheel, expected: digest, rebuilt: rebuilt.sha256, builtBy: statement.builderVersion,
                    verifiedBy: PurewheelVersion.current
                ))
        }
        // Every field must be what the rebuild records, so nothing in the statement is certified unchecked. The recipe path is
        // the one exception: it says where the recipe was found (here, or `--recipe`), and the recipe's bytes are compared
        // through its resolved dependency.
        var expected = rebuilt.statement
        expected.buildDefinition.externalParameters.recipe = statement.buildDefinition.externalParameters.recipe
        if let difference = statement.firstDifference(from: expected) {
            throw .provenance(
                .recordMismatch(
                    statement: statementPath, keyPath: difference.keyPath, recorded: difference.recorded, rebuilt: difference.rebuilt))
        }
        environment.writeOut(
            "\(TerminalText.escape(wheel)): provenance verified (sha256 \(digest.hex), recipe \(TerminalText.escape(recipePath)))\n")
        return ExitCodes.success
    }

    private func readStatement(_ path: String) throws(CommandError) -> ProvenanceStatement {
        let bytes: [UInt8]
        do throws(FileSystemError) {
            bytes = try FileIO.read(path)
        } catch .notFound {
            throw .provenance(.statementNotFound(path: path))
        } catch {
            throw .fileSystem(error)
        }
        return try CommandError.wrapping(CommandError.provenance) { () throws(ProvenanceError) in
            try ProvenanceStatement.decode(bytes, path: path)
        }
    }

    /// The wheel's sha256, once it is known to be the statement's subject.
    private func checkSubject(of statement: ProvenanceStatement) throws(CommandError) -> SHA256Digest {
        let name = PathText.lastComponent(wheel)
        guard name.unicodeScalars.elementsEqual(statement.subject.name.unicodeScalars) else {
            throw .provenance(.subjectNameMismatch(wheel: wheel, recorded: statement.subject.name))
        }
        let digest = try CommandError.wrapping(CommandError.fileSystem) { () throws(FileSystemError) in try FileIO.digest(wheel).digest }
        guard digest == statement.subject.sha256 else {
            throw .provenance(.subjectDigestMismatch(wheel: wheel, recorded: statement.subject.sha256, actual: digest))
        }
        return digest
    }

    /// Checks the recipe file before loading it, then every other recorded recipe-side file (named relative
    /// to the recipe's folder, which the statement's decoding guarantees); returns the loaded recipe and its path.
    private func checkRecipeFiles(of statement: ProvenanceStatement, in environment: CommandEnvironment) throws(CommandError) -> (
        Recipe, String
    ) {
        let recorded = statement.buildDefinition.externalParameters.recipe
        let recipeName = PathText.lastComponent(recorded)
        guard let recipeFile = statement.recipeFiles.first(where: { $0.name == recipeName }) else {
            throw .internal(InternalError("a decoded statement does not list its recipe \(recipeName)"))
        }
        let recipePath = recipe ?? Self.defaultRecipePath(recorded, in: environment)
        try checkInput(recipePath, recorded: recipeFile.sha256)
        let loaded = try CommandError.wrapping(CommandError.recipe) { () throws(RecipeError) in try RecipeLoader.load(path: recipePath) }
        for file in statement.recipeFiles where file.name != recipeName {
            try checkInput("\(loaded.directory)/\(file.name)", recorded: file.sha256)
        }
        return (loaded, recipePath)
    }

    /// The recorded recipe path (relative to the root of the repository that held it) under the repository
    /// that holds the working folder, or under the working folder itself outside a repository.
    private static func defaultRecipePath(_ recorded: String, in environment: CommandEnvironment) -> String {
        let folder = FileIO.realPath(environment.workingDirectory) ?? environment.workingDirectory
        guard let root = ProvenanceStatement.repositoryRoot(containing: folder) else { return environment.resolve(recorded) }
        return (root == "/" ? "" : root) + "/" + recorded
    }

    private func checkInput(_ path: String, recorded: SHA256Digest) throws(CommandError) {
        let actual: SHA256Digest
        do throws(FileSystemError) {
            actual = try FileIO.digest(path).digest
        } catch .notFound {
            throw .provenance(.inputMissing(file: path))
        } catch {
            throw .fileSystem(error)
        }
        guard actual == recorded else { throw .provenance(.inputChanged(file: path, recorded: recorded, actual: actual)) }
    }

    /// Fetches the recorded upstream file and rebuilds it in a private temporary folder, removed afterwards.
    ///
    /// - Returns: the rebuilt wheel's sha256 and the statement the rebuild records.
    private func rebuild(_ statement: ProvenanceStatement, recipe: Recipe, in environment: CommandEnvironment) throws(CommandError)
        -> (sha256: SHA256Digest, statement: ProvenanceStatement)
    {
        let parameters = statement.buildDefinition.externalParameters
        guard statement.buildDefinition.internalParameters.upstreamPinned else {
            throw .provenance(.upstreamUnpinned(file: parameters.upstreamWheel))
        }
        guard let upstream = statement.upstream else {
            throw .internal(InternalError("a decoded statement does not list its upstream wheel \(parameters.upstreamWheel)"))
        }
        let fetcher = try CommandError.wrapping(CommandError.environment) { () throws(EnvironmentError) in
            try download.fetcher(in: environment)
        }
        let context = StageContext(
            recipe: recipe, fetcher: fetcher, sourceDateEpoch: parameters.sourceDateEpoch,
            generator: "purewheel \(PurewheelVersion.current)"
        )
        let folder = try CommandError.wrapping(CommandError.fileSystem) { () throws(FileSystemError) in
            try Self.makeTemporaryFolder(in: environment.variables["TMPDIR"] ?? "/tmp")
        }
        defer { ScratchFolder.remove(folder) }
        let result = try CommandError.wrapping(CommandError.pipeline) { () throws(PipelineError) in
            try Pipeline(context: context).run(.pinnedFile(parameters.upstreamWheel), outputDirectory: folder)
        }
        guard result.upstream.sha256 == upstream.sha256 else {
            throw .provenance(.inputChanged(file: parameters.upstreamWheel, recorded: upstream.sha256, actual: result.upstream.sha256))
        }
        guard let written = result.verified?.written else { throw .internal(InternalError("a build that is not a dry run wrote no wheel")) }
        let recorded = try CommandError.wrapping(CommandError.fileSystem) { () throws(FileSystemError) in
            try ProvenanceStatement(recording: written, from: result.upstream, context: context)
        }
        return (written.sha256, recorded)
    }

    /// A new folder only this process can use (`mkdtemp`, mode 0700), removed on a signal too, or by a later
    /// run once a killed one left it.
    private static func makeTemporaryFolder(in base: String) throws(FileSystemError) -> String {
        try ScratchFolder.create(in: base, prefix: "purewheel-verify-", sweeping: "purewheel-verify-")
    }
}
