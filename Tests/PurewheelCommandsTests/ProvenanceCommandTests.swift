import Foundation
import Provenance
import PurewheelBasics
import PurewheelTestSupport
import Testing
import WheelModel

@testable import PurewheelCommands

@Suite struct ProvenanceCommandTests {
    /// A repository (`folder`, holding a `.git`) with a recipe with a strip, a patch and an inject, its upstream
    /// wheel already in a pip download cache, and the paths a build from `folder` (as working directory) produces.
    private struct Fixture {
        let folder: String
        let upstream: String
        var recipe: String { "\(folder)/recipes/demo.toml" }
        var patch: String { "\(folder)/recipes/demo/patches/0001-x-is-2.diff" }
        var wheel: String { "\(folder)/dist/demo_pure-1.0-py3-none-any.whl" }
        var statement: String { wheel + ".intoto.json" }
        /// Variables under which pip cannot run: verification must come from the cache alone.
        var variables: [String: String] { ["PATH": "/nonexistent", "HOME": folder, "TMPDIR": "\(folder)/tmp"] }

        static func make(in folder: String) throws -> Fixture {
            let upstream = try WheelBuilder(
                distribution: "demo", version: "1.0", tag: WheelTag(parsing: "cp311-cp311-manylinux_2_17_x86_64")!,
                files: [WheelBuilder.File("demo/__init__.py", "X = 1\n"), WheelBuilder.File("demo/_ext.so", bytes: NativeMagic.elf)],
                rootIsPurelib: false
            ).write(in: "\(folder)/cache/demo/1.0")
            let fixture = Fixture(folder: folder, upstream: upstream)
            try TemporaryDirectory.write(
                "--- a/demo/__init__.py\n+++ b/demo/__init__.py\n@@ -1,1 +1,1 @@\n-X = 1\n+X = 2\n", to: fixture.patch)
            try TemporaryDirectory.write("Y = 3\n", to: "\(folder)/recipes/demo/inject/extra.py")
            let steps = """
                strip = ["demo/_ext.so"]
                [[patch]]
                file = "demo/patches/0001-x-is-2.diff"
                [[inject]]
                file = "demo/inject/extra.py"
                path = "demo/extra.py"
                """
            let pins = [((upstream as NSString).lastPathComponent, SHA256Digest.of(try TemporaryDirectory.read(upstream)))]
            try BuildCommandTests.recipe(steps: steps, pins: pins).write(to: fixture.recipe)
            try FileManager.default.createDirectory(atPath: "\(folder)/tmp", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: "\(folder)/.git", withIntermediateDirectories: true)
            return fixture
        }

        func build(_ extra: [String] = [], out: String? = nil, recipe typed: String? = nil, from workingDirectory: String? = nil)
            -> CommandRun
        {
            CommandRun.run(
                ["build", typed ?? recipe, "--wheel", upstream, "--out", out ?? "\(folder)/dist"] + extra, environment: variables,
                workingDirectory: workingDirectory ?? folder)
        }

        func verify(_ extra: [String] = [], from workingDirectory: String? = nil) -> CommandRun {
            CommandRun.run(
                ["verify-provenance", wheel, "--cache-dir", "\(folder)/cache", "--pip", "/nonexistent/pip"] + extra, environment: variables,
                workingDirectory: workingDirectory ?? folder
            )
        }

        /// Rewrites the statement's text.
        func editStatement(_ edit: (String) -> String) throws {
            let text = String(decoding: try TemporaryDirectory.read(statement), as: UTF8.self)
            let edited = edit(text)
            #expect(edited != text, "the edit changed nothing")
            try TemporaryDirectory.write(edited, to: statement)
        }
    }

    private func statement(at path: String) throws -> ProvenanceStatement {
        try ProvenanceStatement.decode(try TemporaryDirectory.read(path), path: path)
    }

    @Test func buildWritesTheStatementBesideTheWheel() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            let run = fixture.build()
            #expect(run.status == 0, "\(run.stderr)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: "\(folder)/dist").sorted() == [
                    "demo_pure-1.0-py3-none-any.whl", "demo_pure-1.0-py3-none-any.whl.intoto.json",
                ])
            #expect(run.stdout.split(separator: "\n").contains("  provenance \(fixture.statement)"))
            let recorded = try statement(at: fixture.statement)
            #expect(
                recorded.subject
                    == ResourceDescriptor(
                        name: "demo_pure-1.0-py3-none-any.whl", sha256: SHA256Digest.of(try TemporaryDirectory.read(fixture.wheel))))
            #expect(recorded.buildDefinition.externalParameters.recipe == "recipes/demo.toml")
            #expect(
                recorded.buildDefinition.resolvedDependencies.map(\.name) == [
                    "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", "demo.toml", "demo.lock", "demo/patches/0001-x-is-2.diff",
                    "demo/inject/extra.py",
                ])
        }
    }

    @Test func statementsAreByteIdenticalFromAnyFolderAndOutput() throws {
        try TemporaryDirectory.with { folder in
            let first = try Fixture.make(in: "\(folder)/one")
            let second = try Fixture.make(in: "\(folder)/two/deeper")
            #expect(first.build().status == 0)
            #expect(second.build(out: "\(folder)/elsewhere").status == 0)
            let bytes = try TemporaryDirectory.read(first.statement)
            #expect(bytes == (try TemporaryDirectory.read("\(folder)/elsewhere/demo_pure-1.0-py3-none-any.whl.intoto.json")))
            #expect(first.build(out: "\(folder)/again").status == 0)
            #expect(bytes == (try TemporaryDirectory.read("\(folder)/again/demo_pure-1.0-py3-none-any.whl.intoto.json")))
        }
    }

    @Test func verifySucceedsOnAnUntouchedBuildAndLeavesNoTemporaryFiles() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            #expect(fixture.build().status == 0)
            let run = fixture.verify()
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr == "")
            let digest = SHA256Digest.of(try TemporaryDirectory.read(fixture.wheel))
            #expect(run.stdout == "\(fixture.wheel): provenance verified (sha256 \(digest.hex), recipe \(fixture.recipe))\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(folder)/tmp").isEmpty)
        }
    }

    @Test func verifyWithAnExplicitRecipeAndStatementFromAnotherFolder() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            #expect(fixture.build().status == 0)
            let moved = "\(folder)/statement.json"
            try FileManager.default.moveItem(atPath: fixture.statement, toPath: moved)
            let run = CommandRun.run(
                ["verify-provenance", fixture.wheel, "--provenance", moved, "--recipe", fixture.recipe, "--cache-dir", "\(folder)/cache"],
                environment: fixture.variables, workingDirectory: "/nonexistent"
            )
            #expect(run.status == 0, "\(run.stderr)")
        }
    }

    @Test func verifyExits4WhenTheWheelWasAltered() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            #expect(fixture.build().status == 0)
            let recorded = SHA256Digest.of(try TemporaryDirectory.read(fixture.wheel))
            let altered = try TemporaryDirectory.read(fixture.wheel) + [0]
            try TemporaryDirectory.write(altered, to: fixture.wheel)
            let run = fixture.verify()
            #expect(run.status == 4)
            #expect(
                run.stderr == """
                    error: \(fixture.wheel): wheel does not match its provenance (recorded sha256 \(recorded.hex), file sha256 \(SHA256Digest.of(altered).hex))
                      hint: the wheel was changed or replaced after the build: do not trust it

                    """)
        }
    }

    @Test func verifyExits4WhenAPatchChangedAfterTheBuild() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            #expect(fixture.build().status == 0)
            let recorded = SHA256Digest.of(try TemporaryDirectory.read(fixture.patch))
            let changed = "--- a/demo/__init__.py\n+++ b/demo/__init__.py\n@@ -1,1 +1,1 @@\n-X = 1\n+X = 3\n"
            try TemporaryDirectory.write(changed, to: fixture.patch)
            let run = fixture.verify()
            #expect(run.status == 4)
            #expect(
                run.stderr == """
                    error: \(folder)/recipes/demo/patches/0001-x-is-2.diff: input changed since the build (recorded sha256 \(recorded.hex), now \(SHA256Digest.of(Array(changed.utf8)).hex))
                      hint: verify with the recipe files of the build (check out the commit that built the wheel)

                    """)
        }
    }

    @Test func verifyExits4WhenTheRebuildDiffers() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            #expect(fixture.build().status == 0)
            // Same inputs, but another SOURCE_DATE_EPOCH recorded: the rebuild stamps other entry times.
            let text = String(decoding: try TemporaryDirectory.read(fixture.statement), as: UTF8.self)
            try TemporaryDirectory.write(
                text.replacingOccurrences(of: "\"source_date_epoch\" : null", with: "\"source_date_epoch\" : 1700000000"),
                to: fixture.statement)
            let run = fixture.verify()
            #expect(run.status == 4)
            let digest = SHA256Digest.of(try TemporaryDirectory.read(fixture.wheel))
            #expect(
                run.stderr.hasPrefix("error: \(fixture.wheel): rebuild differs from the wheel (wheel sha256 \(digest.hex), rebuilt sha256 ")
            )
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(folder)/tmp").isEmpty)
        }
    }

    @Test func verifyExits66WhenTheStatementIsMissing() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            #expect(fixture.build().status == 0)
            try FileManager.default.removeItem(atPath: fixture.statement)
            let run = fixture.verify()
            #expect(run.status == 66)
            #expect(
                run.stderr == """
                    error: \(fixture.statement): provenance statement not found
                      hint: a build writes <wheel>.intoto.json beside the wheel; pass --provenance FILE if it is elsewhere

                    """)
        }
    }

    @Test func verifyExits65ForAMalformedStatement() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            #expect(fixture.build().status == 0)
            try TemporaryDirectory.write("{\"_type\": \"https://in-toto.io/Statement/v1\"}", to: fixture.statement)
            let run = fixture.verify()
            #expect(run.status == 65)
            #expect(run.stderr == "error: \(fixture.statement): malformed provenance statement: required key at subject is missing\n")
        }
    }

    @Test func dryRunWritesNoStatement() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            let run = fixture.build(["--dry-run"])
            #expect(run.status == 0)
            #expect(!run.stdout.contains("provenance"))
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/dist"))
        }
    }

    @Test func failedBatchPublishesNoStatement() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            // Sorted after the good input, so the good one is built and staged first; this one is not pinned.
            let unpinned = try WheelBuilder(
                tag: WheelTag(parsing: "cp312-cp312-manylinux_2_17_x86_64")!, files: [WheelBuilder.File("demo/__init__.py", "X = 1\n")],
                rootIsPurelib: false
            )
            .write(in: "\(folder)/other")
            let run = fixture.build(["--wheel", unpinned])
            #expect(run.status == 65)
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(folder)/dist").isEmpty)
        }
    }

    @Test func verifyExits66WhenARecordedInputIsGone() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            #expect(fixture.build().status == 0)
            try FileManager.default.removeItem(atPath: "\(folder)/recipes/demo/inject/extra.py")
            let run = fixture.verify()
            #expect(run.status == 66)
            #expect(run.stderr.hasPrefix("error: \(folder)/recipes/demo.toml (inject[0].file): file demo/inject/extra.py does not exist\n"))
        }
    }

    @Test func verifyRefusesAnUnpinnedBuild() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            // Same file name as the pin, other content: accepted only with --allow-unpinned.
            try FileManager.default.removeItem(atPath: fixture.upstream)
            _ = try WheelBuilder(
                tag: WheelTag(parsing: "cp311-cp311-manylinux_2_17_x86_64")!,
                files: [WheelBuilder.File("demo/__init__.py", "X = 1\n"), WheelBuilder.File("demo/_ext.so", bytes: NativeMagic.elf + [0])],
                rootIsPurelib: false
            ).write(in: "\(folder)/cache/demo/1.0")
            #expect(fixture.build(["--allow-unpinned"]).status == 0)
            let run = fixture.verify()
            #expect(run.status == 65)
            #expect(
                run.stderr.hasPrefix(
                    "error: demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl: the wheel was built from an unpinned upstream file"))
        }
    }

    /// The recorded recipe path depends on where the recipe is, not on the working folder or on how its path was typed.
    @Test func statementsAreByteIdenticalFromAnyWorkingFolderAndSpelling() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            #expect(fixture.build(out: "\(folder)/one").status == 0)
            let sub = "\(folder)/recipes/demo"
            let run = fixture.build(out: "\(folder)/two", recipe: "\(folder)/recipes/../recipes/./demo.toml", from: sub)
            #expect(run.status == 0, "\(run.stderr)")
            let name = "demo_pure-1.0-py3-none-any.whl.intoto.json"
            let bytes = try TemporaryDirectory.read("\(folder)/one/\(name)")
            #expect(bytes == (try TemporaryDirectory.read("\(folder)/two/\(name)")))
            let recorded = try statement(at: "\(folder)/two/\(name)").buildDefinition.externalParameters.recipe
            #expect(recorded == "recipes/demo.toml")
        }
    }

    @Test func verifyFindsTheRecordedRecipeFromAnyFolderOfTheRepository() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            #expect(fixture.build().status == 0)
            let run = fixture.verify(from: "\(folder)/dist")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasSuffix(", recipe \(fixture.recipe))\n"))
        }
    }

    /// A statement field changed after the build, and what verification reports.
    struct ForgedFieldCase: CustomTestStringConvertible, Sendable {
        let name: String
        let edit: @Sendable (String) -> String
        let keyPath: String
        let recorded: String
        let rebuilt: String
        var testDescription: String { name }
    }

    static let notes = "recipe notes\n"

    static let forgedFieldCases: [ForgedFieldCase] = [
        ForgedFieldCase(
            name: "upstream_version",
            edit: { $0.replacingOccurrences(of: #""upstream_version" : "1.0""#, with: #""upstream_version" : "9.9""#) },
            keyPath: "predicate.buildDefinition.externalParameters.upstream_version", recorded: #""9.9""#, rebuilt: #""1.0""#),
        ForgedFieldCase(
            name: "output_distribution",
            edit: { $0.replacingOccurrences(of: #""output_distribution" : "demo-pure""#, with: #""output_distribution" : "evil""#) },
            keyPath: "predicate.buildDefinition.externalParameters.output_distribution", recorded: #""evil""#, rebuilt: #""demo-pure""#),
        ForgedFieldCase(
            name: "upstream uri", edit: { $0.replacingOccurrences(of: "pkg:pypi/demo@1.0?", with: "pkg:pypi/evil@6.6?") },
            keyPath: "predicate.buildDefinition.resolvedDependencies[0].uri",
            recorded: #""pkg:pypi/evil@6.6?file_name=demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl""#,
            rebuilt: #""pkg:pypi/demo@1.0?file_name=demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl""#),
        ForgedFieldCase(
            name: "a revision the recipe does not give",
            edit: { $0.replacingOccurrences(of: #""revision" : null"#, with: #""revision" : 1"#) },
            keyPath: "predicate.buildDefinition.externalParameters.revision", recorded: "1", rebuilt: "null"),
        ForgedFieldCase(
            name: "builder version", edit: { $0.replacingOccurrences(of: #""purewheel" : "0.1.0""#, with: #""purewheel" : "0.0.9""#) },
            keyPath: "predicate.runDetails.builder.version.purewheel", recorded: #""0.0.9""#, rebuilt: #""0.1.0""#),
        ForgedFieldCase(
            name: "an extra input the build never used",
            edit: {
                $0.replacingOccurrences(
                    of: "\"name\" : \"demo/inject/extra.py\"\n        }",
                    with:
                        "\"name\" : \"demo/inject/extra.py\"\n        }, {\"digest\" : {\"sha256\" : \"\(SHA256Digest.of(Array(notes.utf8)).hex)\"}, "
                        + "\"name\" : \"demo/notes.txt\"}")
            },
            keyPath: "predicate.buildDefinition.resolvedDependencies[5]", recorded: #"an entry named "demo/notes.txt""#, rebuilt: "nothing"),
    ]

    @Test(arguments: forgedFieldCases) func verifyExits4ForAFieldTheRebuildDoesNotRecord(_ testCase: ForgedFieldCase) throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            try TemporaryDirectory.write(Self.notes, to: "\(folder)/recipes/demo/notes.txt")
            #expect(fixture.build().status == 0)
            try fixture.editStatement(testCase.edit)
            let run = fixture.verify()
            #expect(run.status == 4)
            #expect(
                run.stderr == """
                    error: \(fixture.statement): the statement records \(testCase.recorded) at \(testCase.keyPath), but a build from the same inputs records \(testCase.rebuilt)
                      hint: the statement was changed after the build: do not trust it

                    """)
            #expect(run.stdout == "")
        }
    }

    /// A statement that the old reader verified although it says something else than what was checked.
    struct RefusedStatementCase: CustomTestStringConvertible, Sendable {
        let name: String
        let edit: @Sendable (_ text: String, _ folder: String) -> String
        let message: String
        var testDescription: String { name }
    }

    static let secret = "outside the recipe folder\n"
    static let zeros = String(repeating: "0", count: 64)

    static let refusedStatementCases: [RefusedStatementCase] = [
        RefusedStatementCase(
            name: "a second subject key, read by Python and jq",
            edit: { text, _ in
                String(text.dropLast(2)) + ",\n  \"subject\" : [{\"digest\" : {\"sha256\" : \"\(zeros)\"}, \"name\" : \"evil.whl\"}]\n}\n"
            },
            message: #"malformed provenance statement: key "subject" appears twice, and JSON readers disagree on which one counts"#),
        RefusedStatementCase(
            name: "a second entry of the upstream wheel's name, which a reader of the first would not check",
            edit: { text, _ in
                text.replacingOccurrences(
                    of: "\"name\" : \"demo/inject/extra.py\"\n        }",
                    with: "\"name\" : \"demo/inject/extra.py\"\n        }, {\"digest\" : {\"sha256\" : \"\(zeros)\"}, "
                        + "\"name\" : \"demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl\", \"uri\" : \"pkg:pypi/evil@6.6\"}")
            },
            message: "malformed provenance statement at predicate.buildDefinition.resolvedDependencies[5].name: "
                + "a second entry named demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"),
        RefusedStatementCase(
            name: "a negative SOURCE_DATE_EPOCH",
            edit: { text, _ in text.replacingOccurrences(of: #""source_date_epoch" : null"#, with: #""source_date_epoch" : -5"#) },
            message: "malformed provenance statement at predicate.buildDefinition.externalParameters.source_date_epoch: "
                + "expected null or a non-negative whole number of seconds that fits in 64 bits, found -5"),
        RefusedStatementCase(
            name: "an input above the recipe's folder",
            edit: { text, _ in
                text.replacingOccurrences(
                    of: "\"name\" : \"demo/inject/extra.py\"\n        }",
                    with:
                        "\"name\" : \"demo/inject/extra.py\"\n        }, {\"digest\" : {\"sha256\" : \"\(SHA256Digest.of(Array(secret.utf8)).hex)\"}, "
                        + "\"name\" : \"../secret.txt\"}")
            },
            message: "malformed provenance statement at predicate.buildDefinition.resolvedDependencies[5].name: "
                + "the recipe-side file ../secret.txt climbs out of its folder with '..'"),
        RefusedStatementCase(
            name: "an input at an absolute path",
            edit: { text, folder in
                text.replacingOccurrences(
                    of: "\"name\" : \"demo/inject/extra.py\"\n        }",
                    with:
                        "\"name\" : \"demo/inject/extra.py\"\n        }, {\"digest\" : {\"sha256\" : \"\(SHA256Digest.of(Array(secret.utf8)).hex)\"}, "
                        + "\"name\" : \"\(folder)/secret.txt\"}")
            },
            message: "malformed provenance statement at predicate.buildDefinition.resolvedDependencies[5].name: "
                + "the recipe-side file <folder>/secret.txt is an absolute path"),
        RefusedStatementCase(
            name: "valid JSON of the wrong shape",
            edit: { text, _ in text.replacingOccurrences(of: #""upstream_pinned" : true"#, with: #""upstream_pinned" : "yes""#) },
            message: "malformed provenance statement at predicate.buildDefinition.internalParameters.upstream_pinned: "
                + "expected a boolean, found a string"),
        RefusedStatementCase(
            name: "not JSON",
            edit: { text, _ in String(text.prefix(20)) },
            message: "not a provenance statement: the file is not JSON (line 2, column 13: a string is not closed)"),
    ]

    @Test(arguments: refusedStatementCases) func verifyExits65ForAStatementThatSaysMoreThanIsChecked(_ testCase: RefusedStatementCase)
        throws
    {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            try TemporaryDirectory.write(Self.secret, to: "\(folder)/secret.txt")
            #expect(fixture.build().status == 0)
            try fixture.editStatement { testCase.edit($0, folder) }
            let run = fixture.verify()
            #expect(run.status == 65)
            let message = testCase.message.replacingOccurrences(of: "<folder>", with: folder)
            #expect(run.stderr == "error: \(fixture.statement): \(message)\n")
        }
    }

    /// A recipe at revision 2 builds `1.0.post2` and records the revision; a statement claiming another one is exit 4.
    @Test func theRevisionIsRecordedAndVerifiedLikeEveryField() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Fixture.make(in: folder)
            let text = String(decoding: try TemporaryDirectory.read(fixture.recipe), as: UTF8.self)
            try TemporaryDirectory.write(text + "\n[versions.\"1.0\"]\nrevision = 2\n", to: fixture.recipe)
            #expect(fixture.build().status == 0)
            let wheel = "\(folder)/dist/demo_pure-1.0.post2-py3-none-any.whl"
            let statementPath = wheel + ".intoto.json"
            let recorded = try statement(at: statementPath)
            #expect(recorded.subject.name == "demo_pure-1.0.post2-py3-none-any.whl")
            #expect(recorded.buildDefinition.externalParameters.revision == 2)
            #expect(recorded.buildDefinition.externalParameters.upstreamVersion == "1.0")
            let verify = {
                CommandRun.run(
                    ["verify-provenance", wheel, "--cache-dir", "\(folder)/cache", "--pip", "/nonexistent/pip"],
                    environment: fixture.variables, workingDirectory: folder)
            }
            let verified = verify()
            #expect(verified.status == 0, "\(verified.stderr)")
            for (claimed, problem) in [("1", nil), ("null", nil), ("0", "expected null or a whole number from 1 up, found 0")] {
                let original = String(decoding: try TemporaryDirectory.read(statementPath), as: UTF8.self)
                try TemporaryDirectory.write(
                    original.replacingOccurrences(of: #""revision" : 2"#, with: "\"revision\" : \(claimed)"), to: statementPath)
                let run = verify()
                if let problem {
                    #expect(run.status == 65)
                    #expect(
                        run.stderr
                            == "error: \(statementPath): malformed provenance statement at "
                            + "predicate.buildDefinition.externalParameters.revision: \(problem)\n")
                } else {
                    #expect(run.status == 4)
                    #expect(
                        run.stderr.hasPrefix(
                            "error: \(statementPath): the statement records \(claimed) at "
                                + "predicate.buildDefinition.externalParameters.revision, but a build from the same inputs records 2\n"))
                }
                try TemporaryDirectory.write(original, to: statementPath)
            }
        }
    }

    @Test func helpIsStable() {
        expectGolden(CommandRun.run(["verify-provenance", "--help"]).stdout, named: "verify-provenance-help.txt")
    }
}
