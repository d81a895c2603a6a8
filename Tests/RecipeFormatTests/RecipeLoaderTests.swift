import Foundation
import PurewheelBasics
import PurewheelTestSupport
import RecipeFormat
import TOMLSchema
import Testing
import WheelModel

@Suite struct RecipeLoaderTests {
    static let pin = String(repeating: "ab", count: 32)
    static let valid = """
        schema = 1
        strip = ["pkg/_ext.*", "pkg/**/*_test.py"]
        normalize_newlines = ["pkg/**/*.py"]

        [source]
        distribution = "demo"
        canonical_platform = "linux"
        versions = ">=0.9"
        python_versions = ["3.10", "3.11"]
        platforms = ["manylinux2014_x86_64", "win_amd64"]

        [output]
        distribution = "demo-pure"
        tag = "py3-none-any"

        [metadata]
        summary = "Pure demo"
        description_note = "Note."
        requires_python = ">=3.9"
        [metadata.requirements]
        replace = { attrs = "attrs>=20" }
        remove = ["Six"]
        add = ["grpcio (>=1.0)"]

        [[patch]]
        file = "patches/0001.diff"

        [[inject]]
        file = "inject/x.py"
        path = "pkg/x.py"

        [[overlay]]
        versions = ["1.0"]
        platforms = ["windows"]
        patch = [{ file = "patches/0002.diff", max_offset = 3 }]
        requirements = { replace = { protobuf = ['protobuf<5; python_version < "3.11"', 'protobuf<6; python_version >= "3.11"'] } }

        [[overlay]]
        versions = ">=1.1"
        strip = ["pkg/new_layout.py"]
        requirements = { relax = [{ project = "Protobuf", from = "< 5", to = "<7.0", reason = "Proven by the e2e." }] }

        [versions."1.0"]
        revision = 5
        """

    static let validLock = """
        schema = 1
        distribution = "demo"

        [versions."1.0"]
        "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl" = "\(pin)"
        "demo-1.0-cp311-cp311-win_amd64.whl" = "\(pin)"
        """

    static func load(
        _ text: String, lock: String? = validLock, existing: Set<String> = ["r/patches/0001.diff", "r/patches/0002.diff", "r/inject/x.py"]
    ) throws(RecipeError) -> Recipe {
        try RecipeLoader.parse(text, path: "r/demo.toml", lockText: lock, fileExists: { existing.contains($0) })
    }

    @Test func loadsEveryKey() throws {
        let recipe = try Self.load(Self.valid)
        #expect(recipe.source.canonicalPlatform == .linux)
        #expect(recipe.output.distribution == "demo-pure")
        #expect(recipe.baseSteps.strip.map(\.keyPath) == ["strip[0]", "strip[1]"])
        #expect(recipe.baseSteps.patches.first?.file == "r/patches/0001.diff")
        #expect(recipe.metadata.requirements.replace.first?.requirements.map(\.description) == ["attrs>=20"])
        #expect(recipe.metadata.requirements.remove.map(\.project) == ["six"])
        #expect(recipe.metadata.requirements.add.map(\.description) == ["grpcio>=1.0"])
        let perPython = recipe.requirementEdits(version: "1.0", platform: .windows).replace.first { $0.project == "protobuf" }
        #expect(
            perPython?.requirements.map(\.description) == [
                "protobuf<5; python_version < \"3.11\"", "protobuf<6; python_version >= \"3.11\"",
            ])
        #expect(recipe.requirementEdits(version: "1.0", platform: .linux).replace.count == 1)
        #expect(recipe.outputVersion(for: "1.0") == "1.0.post5")
        #expect(recipe.steps(version: "1.0", platform: .linux).patches.count == 1)
        let windows = recipe.steps(version: "1.0", platform: .windows).patches
        #expect(windows.map(\.keyPath) == ["patch[0]", "overlay[0].patch[0]"])
        #expect(windows.last?.maxOffset == 3)
        #expect(recipe.versions.first?.wheels.count == 2)
        #expect(recipe.source.pythonVersions == ["3.10", "3.11"])
        #expect(recipe.source.platforms == ["manylinux2014_x86_64", "win_amd64"])
        #expect(recipe.builds(version: PEP440Version(parsing: "1.0")!) && !recipe.builds(version: PEP440Version(parsing: "0.8")!))
    }

    @Test func overlaysSelectVersionsBySpecifier() throws {
        let recipe = try Self.load(Self.valid)
        // A release the recipe has never seen gets the newest layout's steps.
        #expect(recipe.steps(version: "1.4.2", platform: .linux).strip.map(\.keyPath) == ["strip[0]", "strip[1]", "overlay[1].strip[0]"])
        #expect(recipe.steps(version: "1.0", platform: .linux).strip.count == 2)
        // Lists compare by PEP 440 equality: 1.0.0 is 1.0.
        #expect(recipe.steps(version: "1.0.0", platform: .windows).patches.count == 2)
        // A revision is per version: a release the recipe has never seen has none.
        #expect(recipe.outputVersion(for: "1.4.2") == "1.4.2")
    }

    @Test func relaxationsApplyToTheirOverlaysVersions() throws {
        let recipe = try Self.load(Self.valid)
        #expect(recipe.requirementEdits(version: "1.0", platform: .linux).relax.isEmpty)
        let relaxation = try #require(recipe.requirementEdits(version: "1.2", platform: .linux).relax.first)
        #expect(relaxation.project == "protobuf" && relaxation.reason == "Proven by the e2e.")
        #expect(relaxation.upstreamBound == "<5" && relaxation.relaxedBound == "<7.0")
        #expect(relaxation.keyPath == "overlay[1].requirements.relax[0]")
    }

    @Test func aRecipeWithoutALockPinsNothing() throws {
        let recipe = try Self.load(Self.valid, lock: nil)
        #expect(recipe.versions.isEmpty)
        #expect(throws: RecipeError.unknownVersion(path: "r/demo.toml", version: "1.0", known: [])) {
            try recipe.pinnedVersion(PEP440Version(parsing: "1.0")!)
        }
    }

    @Test func pinsInTheRecipeArePointedToTheLock() {
        let text = Self.valid + "\n[versions.\"1.0\".wheels]\n\"demo-1.0-py3-none-any.whl\" = \"\(Self.pin)\"\n"
        #expect(
            throws: RecipeError.invalidValue(
                path: "r/demo.toml", keyPath: "versions.\"1.0\".wheels",
                reason: "upstream pins live in the lock (r/demo.lock), written by 'purewheel lock'"
            )
        ) { try Self.load(text) }
    }

    struct LockCase: CustomTestStringConvertible, Sendable {
        let id: String
        let replace: (String, String)
        let error: RecipeError
        var testDescription: String { id }
    }

    static let lockCases = [
        LockCase(
            id: "short hash", replace: ("\(pin)\"\n\"demo", "abcdef0123\"\n\"demo"),
            error: .invalidValue(
                path: "r/demo.lock", keyPath: "versions.\"1.0\".\"demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl\"",
                reason: "'abcdef0123' is not a sha256 (64 hexadecimal digits)")),
        LockCase(
            id: "other version in the file name", replace: ("demo-1.0-cp311-cp311-win", "demo-2.0-cp311-cp311-win"),
            error: .invalidValue(
                path: "r/demo.lock", keyPath: "versions.\"1.0\".\"demo-2.0-cp311-cp311-win_amd64.whl\"",
                reason: "the file name is not a wheel of demo at version 1.0")),
        LockCase(
            id: "other distribution", replace: ("distribution = \"demo\"", "distribution = \"other\""),
            error: .invalidValue(path: "r/demo.lock", keyPath: "distribution", reason: "the lock pins other, the recipe builds from demo")),
        LockCase(
            id: "unknown key", replace: ("schema = 1\n", "schema = 1\ncomment = 1\n"),
            error: .unknownKey(path: "r/demo.lock", keyPath: "comment")),
        LockCase(
            id: "schema", replace: ("schema = 1", "schema = 7"),
            error: .invalidValue(
                path: "r/demo.lock", keyPath: "schema", reason: "lock schema 7 is not supported (this purewheel reads schema 1)")),
    ]

    @Test(arguments: lockCases)
    func malformedLockNamesTheLockAndKey(_ testCase: LockCase) {
        let lock = Self.validLock.replacingOccurrences(of: testCase.replace.0, with: testCase.replace.1)
        #expect(lock != Self.validLock, "the case must change the lock")
        #expect(throws: testCase.error) { try Self.load(Self.valid, lock: lock) }
    }

    @Test func duplicatedLockEntryIsASyntaxErrorInTheLock() {
        let lock = Self.validLock + "\n\"demo-1.0-cp311-cp311-win_amd64.whl\" = \"\(Self.pin)\"\n"
        #expect {
            try Self.load(Self.valid, lock: lock)
        } throws: { error in
            guard case RecipeError.syntax(let path, let line, _, _) = error else { return false }
            return path == "r/demo.lock" && line == 7
        }
    }

    @Test func lockRendersSortedAndRoundTrips() throws {
        let recipe = try Self.load(Self.valid)
        let digest = try #require(SHA256Digest(hex: String(repeating: "cd", count: 32)))
        let newer = recipe.lock.adding(
            [Recipe.PinnedWheel(filename: try WheelFilename(parsing: "demo-1.10-py3-none-any.whl"), sha256: digest)],
            version: try #require(PEP440Version(parsing: "1.10"))
        )
        .adding(
            [Recipe.PinnedWheel(filename: try WheelFilename(parsing: "demo-1.9-py3-none-any.whl"), sha256: digest)],
            version: try #require(PEP440Version(parsing: "1.9")))
        #expect(newer.versions.map(\.version.description) == ["1.0", "1.9", "1.10"])
        let reloaded = try Self.load(Self.valid, lock: newer.rendered())
        #expect(reloaded.lock == newer)
        #expect(reloaded.lock.rendered() == newer.rendered())
        // Adding a file that is already pinned keeps the pin.
        #expect(newer.adding(newer.versions[2].wheels, version: newer.versions[2].version) == newer)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let id: String
        let replace: (String, String)
        let error: RecipeError
        var testDescription: String { id }
    }

    static let cases = [
        Case(
            id: "unknown top-level key", replace: ("schema = 1\n", "schema = 1\nstirp = []\n"),
            error: .unknownKey(path: "r/demo.toml", keyPath: "stirp")),
        Case(
            id: "unknown nested key", replace: ("tag = \"py3-none-any\"\n", "tag = \"py3-none-any\"\ncolor = 1\n"),
            error: .unknownKey(path: "r/demo.toml", keyPath: "output.color")),
        Case(
            id: "wrong type", replace: ("revision = 5", "revision = \"5\""),
            error: .wrongType(path: "r/demo.toml", keyPath: "versions.\"1.0\".revision", expected: "an integer", actual: "a string")),
        Case(
            id: "wrong element type", replace: ("\"pkg/_ext.*\"", "3"),
            error: .wrongType(path: "r/demo.toml", keyPath: "strip[0]", expected: "a string", actual: "an integer")),
        Case(
            id: "missing key", replace: ("summary = \"Pure demo\"\n", ""),
            error: .missingKey(path: "r/demo.toml", keyPath: "metadata.summary")),
        Case(
            id: "missing file", replace: ("inject/x.py", "inject/y.py"),
            error: .missingFile(path: "r/demo.toml", keyPath: "inject[0].file", file: "inject/y.py")),
        Case(
            id: "bad source versions", replace: ("versions = \">=0.9\"", "versions = \"newest\""),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "source.versions", reason: "'newest' is not a PEP 440 version specifier such as '>=1.14'")),
        Case(
            id: "bad python version", replace: ("\"3.10\", \"3.11\"", "\"3.10\", \"py3\""),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "source.python_versions[1]", reason: "'py3' is not a Python version such as '3.11'")),
        Case(
            id: "bad overlay specifier", replace: ("versions = \">=1.1\"", "versions = \">=1.1,foo\""),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "overlay[1].versions",
                reason: "'>=1.1,foo' is not a PEP 440 version specifier such as '>=1.17'")),
        Case(
            id: "bad glob", replace: ("\"pkg/_ext.*\"", "\"pkg/[ab\""),
            error: .invalidValue(path: "r/demo.toml", keyPath: "strip[0]", reason: "'pkg/[ab' is not a valid glob (unclosedBracket)")),
        Case(
            id: "other tag", replace: ("tag = \"py3-none-any\"", "tag = \"cp311-cp311-linux_x86_64\""),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "output.tag",
                reason: "'cp311-cp311-linux_x86_64' is not supported; schema 1 produces py3-none-any wheels only")),
        Case(
            id: "overlay names no version", replace: ("versions = [\"1.0\"]", "versions = [\"latest\"]"),
            error: .invalidValue(path: "r/demo.toml", keyPath: "overlay[0].versions[0]", reason: "'latest' is not a PEP 440 version")),
        Case(
            id: "metadata version PyPI refuses",
            replace: ("summary = \"Pure demo\"\n", "summary = \"Pure demo\"\nmetadata_version = \"3.0\"\n"),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "metadata.metadata_version", reason: "'3.0' is not one of 2.1, 2.2, 2.3, 2.4, 2.5")),
        Case(
            id: "import name not dotted",
            replace: ("summary = \"Pure demo\"\n", "summary = \"Pure demo\"\nimport_names = [\"demo\", \"de-mo\"]\n"),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "metadata.import_names[1]",
                reason: "'de-mo' is not a dotted Python name such as 'ml_metadata' (PEP 794)")),
        Case(
            id: "project URL without label",
            replace: ("summary = \"Pure demo\"\n", "summary = \"Pure demo\"\nproject_urls = [\"https://example.invalid/x\"]\n"),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "metadata.project_urls[0]",
                reason: "'https://example.invalid/x' is not 'Label, https://…' (a label of at most 32 characters, a comma, an http(s) URL)")
        ),
        Case(
            id: "classifier that is no classifier",
            replace: ("summary = \"Pure demo\"\n", "summary = \"Pure demo\"\n[metadata.classifiers]\nadd = [\"OS Independent\"]\n"),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "metadata.classifiers.add[0]",
                reason: "'OS Independent' is not a trove classifier such as 'Operating System :: OS Independent'")),
        Case(
            id: "notice that is no comment", replace: ("schema = 1\n", "schema = 1\nnotice = \"Modified by us\"\n"),
            error: .invalidValue(path: "r/demo.toml", keyPath: "notice", reason: "a notice is one Python comment line starting with '# '")),
        Case(
            id: "relaxation without a reason", replace: (", reason = \"Proven by the e2e.\"", ""),
            error: .missingKey(path: "r/demo.toml", keyPath: "overlay[1].requirements.relax[0].reason")),
        Case(
            id: "relaxation with an empty reason", replace: ("\"Proven by the e2e.\"", "\" \""),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "overlay[1].requirements.relax[0].reason",
                reason: "say in one line why the wider bound is safe (the output's description lists it)")),
        Case(
            id: "relaxation of a lower bound", replace: ("from = \"< 5\"", "from = \">=3\""),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "overlay[1].requirements.relax[0].from",
                reason: "'>=3' is not one upper bound such as '<24'")),
        Case(
            id: "relaxation to two clauses", replace: ("to = \"<7.0\"", "to = \"<7,>=4\""),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "overlay[1].requirements.relax[0].to",
                reason: "'<7,>=4' is not one upper bound such as '<24'")),
        Case(
            id: "relaxation that narrows", replace: ("to = \"<7.0\"", "to = \"<=4\""),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "overlay[1].requirements.relax[0].to", reason: "'<=4' is not wider than '<5'")),
        Case(
            id: "relaxation of an invalid project", replace: ("project = \"Protobuf\"", "project = \"proto buf\""),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "overlay[1].requirements.relax[0].project",
                reason: "'proto buf' is not a valid project name")),
        Case(
            id: "relaxation with an unknown key", replace: ("to = \"<7.0\"", "to = \"<7.0\", upto = \"<8\""),
            error: .unknownKey(path: "r/demo.toml", keyPath: "overlay[1].requirements.relax[0].upto")),
        Case(
            id: "relaxation given twice",
            replace: ("e2e.\" }] }", "e2e.\" }, { project = \"protobuf\", from = \"<5\", to = \"<8\", reason = \"Again.\" }] }"),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "overlay[1].requirements.relax[1].from",
                reason: "protobuf<5 is already relaxed in this table")),
        Case(
            id: "relaxation that is no table", replace: ("relax = [{", "relax = [\"protobuf<7\", {"),
            error: .wrongType(
                path: "r/demo.toml", keyPath: "overlay[1].requirements.relax[0]", expected: "a table", actual: "a string")),
        Case(
            id: "schema", replace: ("schema = 1", "schema = 2"),
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "schema", reason: "schema 2 is not supported (this purewheel reads schema 1)")),
    ]

    @Test(arguments: cases)
    func reportsTheExactKey(_ testCase: Case) {
        let text = Self.valid.replacingOccurrences(of: testCase.replace.0, with: testCase.replace.1)
        #expect(text != Self.valid, "the case must change the recipe")
        #expect(throws: testCase.error) { try Self.load(text) }
    }

    /// A `[versions."X"]` table's text, and the error loading it gives (`nil`: it loads).
    struct RevisionCase: CustomTestStringConvertible, Sendable {
        let id: String
        let table: String
        let error: RecipeError?
        var testDescription: String { id }
    }

    static func revisionError(_ version: String, _ reason: String) -> RecipeError {
        .invalidValue(path: "r/demo.toml", keyPath: "versions.\"\(version)\".revision", reason: reason)
    }

    static let revisionCases = [
        RevisionCase(id: "first revision", table: "[versions.\"1.0\"]\nrevision = 1\n", error: nil),
        RevisionCase(id: "pre-release takes a post segment", table: "[versions.\"1.0rc1\"]\nrevision = 3\n", error: nil),
        RevisionCase(
            id: "zero", table: "[versions.\"1.0\"]\nrevision = 0\n",
            error: revisionError("1.0", "a revision counts from 1 (found 0); leave it out for the first repack of a version")),
        RevisionCase(
            id: "negative", table: "[versions.\"1.0\"]\nrevision = -1\n",
            error: revisionError("1.0", "a revision counts from 1 (found -1); leave it out for the first repack of a version")),
        RevisionCase(
            id: "float", table: "[versions.\"1.0\"]\nrevision = 1.5\n",
            error: .wrongType(path: "r/demo.toml", keyPath: "versions.\"1.0\".revision", expected: "an integer", actual: "a float")),
        RevisionCase(
            id: "boolean", table: "[versions.\"1.0\"]\nrevision = true\n",
            error: .wrongType(path: "r/demo.toml", keyPath: "versions.\"1.0\".revision", expected: "an integer", actual: "a boolean")),
        RevisionCase(
            id: "upstream post release", table: "[versions.\"1.0.post1\"]\nrevision = 1\n",
            error: revisionError(
                "1.0.post1",
                "upstream 1.0.post1 has a post segment, and PEP 440 allows no post segment after it: a revision of it cannot be spelled")),
        RevisionCase(
            id: "upstream dev release", table: "[versions.\"1.0.dev2\"]\nrevision = 1\n",
            error: revisionError(
                "1.0.dev2",
                "upstream 1.0.dev2 has a development segment, and PEP 440 allows no post segment after it: a revision of it cannot be spelled"
            )),
        RevisionCase(
            id: "the old key", table: "[versions.\"1.0\"]\npost_release = 1\n",
            error: .unknownKey(path: "r/demo.toml", keyPath: "versions.\"1.0\".post_release")),
        RevisionCase(
            id: "one version twice", table: "[versions.\"1.0\"]\nrevision = 1\n[versions.\"1.0.0\"]\nrevision = 2\n",
            error: .invalidValue(
                path: "r/demo.toml", keyPath: "versions.\"1.0.0\"",
                reason: "'1.0.0' is the same PEP 440 version as '1.0', which has a table already")),
    ]

    @Test(arguments: revisionCases)
    func aRevisionIsAPositiveIntegerOfAVersionThatCanTakeAPostSegment(_ testCase: RevisionCase) throws {
        let base = Self.valid.replacingOccurrences(of: "[versions.\"1.0\"]\nrevision = 5", with: "")
        let text = base + "\n" + testCase.table
        if let error = testCase.error {
            #expect(throws: error) { try Self.load(text) }
        } else {
            #expect(throws: Never.self) { try Self.load(text) }
        }
    }

    @Test func aRevisionNamesTheOutputVersionOfItsVersionOnly() throws {
        let recipe = try Self.load(Self.valid)
        #expect(recipe.revision(for: "1.0") == 5)
        #expect(recipe.revision(for: "1.0.0") == 5, "matched by PEP 440 equality")
        #expect(recipe.outputVersion(for: "1.0.0") == "1.0.0.post5")
        #expect(recipe.revision(for: "1.1") == nil)
        #expect(recipe.outputVersion(for: "1.1") == "1.1")
        #expect(recipe.versions.first?.revision == 5)
        // The pins stay upstream's: the lock pins 1.0's files, not 1.0.post5's.
        #expect(recipe.versions.map(\.version.description) == ["1.0"])
        #expect(recipe.versions.first?.wheels.allSatisfy { $0.filename.version == "1.0" } == true)
        // No default for every version: a revision never reaches a version that was not published.
        let everyVersion = Self.valid.replacingOccurrences(of: "tag = \"py3-none-any\"\n", with: "tag = \"py3-none-any\"\nrevision = 1\n")
        #expect(throws: RecipeError.unknownKey(path: "r/demo.toml", keyPath: "output.revision")) { try Self.load(everyVersion) }
    }

    @Test func syntaxErrorsKeepLineAndColumn() {
        #expect {
            try Self.load("schema = 1\n[source\n")
        } throws: { error in
            guard case RecipeError.syntax(_, let line, _, _) = error else { return false }
            return line == 2
        }
    }

    @Test func missingRecipeIsMissingInput() {
        #expect(throws: RecipeError.recipeNotFound(path: "/nonexistent/r.toml")) { try RecipeLoader.load(path: "/nonexistent/r.toml") }
        #expect(RecipeError.recipeNotFound(path: "x").category == .missingInput)
        #expect(RecipeError.unknownKey(path: "x", keyPath: "y").category == .recipe)
    }
}

/// Patches and inject sources must be regular files inside the recipe's folder.
@Suite struct RecipeFileContainmentTests {
    static let base = RecipeFiles.minimalDemoRecipe()

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let key: String
        let file: String
        var testDescription: String { name }
    }

    static let outside: [Case] = [
        Case(name: "inject climbing out", key: "inject", file: "../../../../etc/passwd"),
        Case(name: "inject absolute", key: "inject", file: "/etc/passwd"),
        Case(name: "patch climbing out after a folder", key: "patch", file: "patches/../../x.diff"),
    ]

    private static func text(_ key: String, file: String) -> String {
        key == "inject" ? base + "[[inject]]\nfile = \"\(file)\"\npath = \"pkg/x.py\"\n" : base + "[[patch]]\nfile = \"\(file)\"\n"
    }

    @Test(arguments: outside)
    func aFileOutsideTheRecipeFolderIsARecipeError(_ example: Case) {
        #expect(
            throws: RecipeError.fileOutsideRecipeFolder(
                path: "r/demo.toml", keyPath: "\(example.key)[0].file", file: example.file, resolved: example.file)
        ) {
            try RecipeLoader.parse(Self.text(example.key, file: example.file), path: "r/demo.toml", fileExists: { _ in true })
        }
    }

    @Test func aSymbolicLinkPointingOutIsRefusedWithExit78() throws {
        try TemporaryDirectory.with { folder in
            try FileIO.createDirectory("\(folder)/recipes/demo")
            try FileManager.default.createSymbolicLink(atPath: "\(folder)/recipes/demo/passwd", withDestinationPath: "/etc/passwd")
            try Self.text("inject", file: "demo/passwd").write(toFile: "\(folder)/recipes/demo.toml", atomically: true, encoding: .utf8)
            #expect(
                throws: RecipeError.fileOutsideRecipeFolder(
                    path: "\(folder)/recipes/demo.toml", keyPath: "inject[0].file", file: "demo/passwd", resolved: "/etc/passwd")
            ) { try RecipeLoader.load(path: "\(folder)/recipes/demo.toml") }
            let error = RecipeError.fileOutsideRecipeFolder(
                path: "r", keyPath: "inject[0].file", file: "demo/passwd", resolved: "/etc/passwd")
            #expect(error.category == .recipe)
            #expect(error.message == "file demo/passwd is outside the recipe's folder (it resolves to /etc/passwd)")
        }
    }

    @Test func aSymbolicLinkInsideTheFolderIsFine() throws {
        try TemporaryDirectory.with { folder in
            try TemporaryDirectory.write("X = 1\n", to: "\(folder)/recipes/demo/real.py")
            try FileManager.default.createSymbolicLink(atPath: "\(folder)/recipes/demo/x.py", withDestinationPath: "real.py")
            try Self.text("inject", file: "demo/x.py").write(toFile: "\(folder)/recipes/demo.toml", atomically: true, encoding: .utf8)
            let recipe = try RecipeLoader.load(path: "\(folder)/recipes/demo.toml")
            #expect(recipe.baseSteps.injects.first?.file == "\(folder)/recipes/demo/x.py")
        }
    }

    @Test func aFIFOIsNotARegularFile() throws {
        try TemporaryDirectory.with { folder in
            try FileIO.createDirectory("\(folder)/recipes/demo")
            #expect(mkfifo("\(folder)/recipes/demo/0001.diff", 0o644) == 0)
            try Self.text("patch", file: "demo/0001.diff").write(toFile: "\(folder)/recipes/demo.toml", atomically: true, encoding: .utf8)
            let recipe = "\(folder)/recipes/demo.toml"
            #expect(throws: RecipeError.notRegularFile(path: recipe, keyPath: "patch[0].file", file: "demo/0001.diff")) {
                try RecipeLoader.load(path: recipe)
            }
        }
    }

    @Test func aRecipeThatIsAFIFOIsRefusedWithoutBlocking() throws {
        try TemporaryDirectory.with { folder in
            #expect(mkfifo("\(folder)/demo.toml", 0o644) == 0)
            // The old code blocked in open(2) waiting for a writer; this one must return at once.
            let path = "\(folder)/demo.toml"
            let outcome = FIFODeadline.run(unblocking: [path]) { () -> RecipeError? in
                do throws(RecipeError) { _ = try RecipeLoader.load(path: path) } catch { return error }
                return nil
            }
            #expect(!outcome.timedOut, "reading the recipe blocked on the FIFO")
            #expect(outcome.value == .unreadable(.notRegularFile(path: path, kind: .fifo)))
            #expect(outcome.value?.category == .missingInput)
        }
    }
}

/// toml++ aborts the process on a table header whose first key starts with a non-ASCII character; the loader
/// must report it as a syntax error instead (found by the fuzzer: fixtures/fuzz-seeds/regressions/).
@Suite struct TOMLHeaderGuardTests {
    @Test(arguments: [
        "[é]", "[[中]]", "[\tx]\n[€.b]", "schema = 1\n  [ \u{FFFD}]", "[\u{01}x]", "[@x]", "[[{x]]", "[\n",
        // A combining mark after `[` is one Swift character with it; CRLF line ends are one character too.
        "[\u{346}\0\0\u{05}\u{FFFD}", "[[\u{301}a]]", "a = 1\r\n[é]\r\n",
    ])
    func aNonASCIIHeaderKeyIsASyntaxErrorNotACrash(_ text: String) {
        #expect {
            try RecipeLoader.parse(text, path: "r.toml", fileExists: { _ in true })
        } throws: { error in
            guard case RecipeError.syntax(_, _, _, let reason) = error else { return false }
            return reason.hasPrefix("a table header's key must start with")
        }
        #expect(throws: RecipeError.self) {
            try RecipeLoader.parse(RecipeLoaderTests.valid, path: "r.toml", lockText: text, fileExists: { _ in true })
        }
    }

    @Test func headersInsideMultiLineStringsAreText() {
        #expect(TOMLHeaderGuard.firstUnsafeHeader(in: "note = \"\"\"\n[é]\n\"\"\"\n[source]\n") == nil)
        #expect(TOMLHeaderGuard.firstUnsafeHeader(in: "note = '''\n[é]\n'''\n") == nil)
        #expect(TOMLHeaderGuard.firstUnsafeHeader(in: "[\"é\"]\n[a.é]\n") == nil)
        // Nested arrays of a multi-line value are values, not headers.
        #expect(TOMLHeaderGuard.firstUnsafeHeader(in: "x = [ # [\n  [\n    1,\n  ],\n  [{ a = 1 }],\n]\n[b]\n") == nil)
        #expect(TOMLHeaderGuard.firstUnsafeHeader(in: "x = '['\n[{b]\n")?.line == 2)
        let position = TOMLHeaderGuard.firstUnsafeHeader(in: "a = 1\n [[ é]]")
        #expect(position?.line == 2 && position?.column == 5)
    }
}
