import Foundation
import PurewheelBasics
import PurewheelPipeline
import PurewheelTestSupport
import Testing
import WheelModel

@testable import PurewheelCommands

@Suite struct ProvenanceCommandTests {
    /// A recipe with a strip, a patch and an inject, its upstream wheel already in a pip download cache, and
    /// the paths a build from `folder` (as working directory) produces.
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
            return fixture
        }

        func build(_ extra: [String] = [], out: String? = nil) -> CommandRun {
            CommandRun.run(
                ["build", recipe, "--wheel", upstream, "--out", out ?? "\(folder)/dist"] + extra, environment: variables,
                workingDirectory: folder)
        }

        func verify(_ extra: [String] = []) -> CommandRun {
            CommandRun.run(
                ["verify-provenance", wheel, "--cache-dir", "\(folder)/cache", "--pip", "/nonexistent/pip"] + extra, environment: variables,
                workingDirectory: folder
            )
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
            #expect(run.stdout == "\(fixture.wheel): provenance verified (sha256 \(digest.hex))\n")
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

    /// A path and the working directory, and how the path is recorded.
    struct PortablePathCase: CustomTestStringConvertible, Sendable {
        let path: String
        let workingDirectory: String
        let recorded: String
        var testDescription: String { "\(path) in \(workingDirectory)" }
    }

    @Test(arguments: [
        PortablePathCase(path: "recipes/x.toml", workingDirectory: "/w", recorded: "recipes/x.toml"),
        PortablePathCase(path: "./recipes/x.toml", workingDirectory: "/w", recorded: "recipes/x.toml"),
        PortablePathCase(path: "/w/recipes/x.toml", workingDirectory: "/w", recorded: "recipes/x.toml"),
        PortablePathCase(path: "/w/recipes/x.toml", workingDirectory: "/w/", recorded: "recipes/x.toml"),
        PortablePathCase(path: "/wx/recipes/x.toml", workingDirectory: "/w", recorded: "/wx/recipes/x.toml"),
        PortablePathCase(path: "/elsewhere/x.toml", workingDirectory: "/w", recorded: "/elsewhere/x.toml"),
    ])
    func recipePathsAreRecordedRelativeToTheWorkingDirectory(_ testCase: PortablePathCase) {
        let environment = CommandEnvironment(
            variables: [:], writeOut: { _ in }, writeError: { _ in }, workingDirectory: testCase.workingDirectory)
        #expect(environment.portablePath(testCase.path) == testCase.recorded)
        if !testCase.recorded.hasPrefix("/") {
            #expect(environment.resolve(testCase.recorded) == "/w/\(testCase.recorded)")
        }
    }

    @Test func helpIsStable() {
        expectGolden(CommandRun.run(["verify-provenance", "--help"]).stdout, named: "verify-provenance-help.txt")
    }
}
