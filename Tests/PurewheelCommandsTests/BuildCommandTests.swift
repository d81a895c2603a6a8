import Foundation
import Provenance
import PurewheelBasics
import PurewheelTestSupport
import Testing
import WheelModel

@Suite struct BuildCommandTests {
    /// A tiny recipe and its platform wheel in `folder`.
    private func makeFixture(in folder: String, recipeExtra: String = "", pin: SHA256Digest? = nil) throws -> (
        recipe: String, wheel: String
    ) {
        let builder = WheelBuilder(
            distribution: "demo", version: "1.0", tag: WheelTag(parsing: "cp311-cp311-manylinux_2_17_x86_64")!,
            files: [WheelBuilder.File("demo/__init__.py", "X = 1\n"), WheelBuilder.File("demo/_ext.so", bytes: NativeMagic.elf)],
            rootIsPurelib: false
        )
        let wheel = try builder.write(in: folder)
        let digest = try pin ?? SHA256Digest.of(TemporaryDirectory.read(wheel))
        let recipe = Self.recipe(steps: "strip = [\"demo/_ext.so\"]\n\(recipeExtra)", pins: [(builder.filename, digest)])
        try recipe.write(to: "\(folder)/recipes/demo.toml")
        return ("\(folder)/recipes/demo.toml", wheel)
    }

    @Test func buildPrintsThePathFirstThenASummary() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder)
            let run = CommandRun.run(["build", fixture.recipe, "--wheel", fixture.wheel, "--out", "\(folder)/dist"])
            #expect(run.status == 0)
            #expect(run.stderr == "")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "\(folder)/dist/demo_pure-1.0-py3-none-any.whl")
            #expect(lines.contains("  dropped   1 file, \(NativeMagic.elf.count) bytes"))
            #expect(lines.contains { $0.hasPrefix("  sha256    ") })
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: "\(folder)/dist").sorted() == [
                    "demo_pure-1.0-py3-none-any.whl", "demo_pure-1.0-py3-none-any.whl.intoto.json",
                ])
        }
    }

    @Test func outWithATrailingSlashPrintsCleanPaths() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder)
            let run = CommandRun.run(["build", fixture.recipe, "--wheel", fixture.wheel, "--out", "\(folder)/dist//"])
            #expect(run.status == 0)
            #expect(!run.stdout.contains("//"), "\(run.stdout)")
            #expect(run.stdout.hasPrefix("\(folder)/dist/demo_pure-1.0-py3-none-any.whl\n"))
            #expect(run.stdout.contains("  provenance \(folder)/dist/demo_pure-1.0-py3-none-any.whl.intoto.json\n"))
        }
    }

    @Test func aFIFOGivenAsWheelIsRefusedWithExit65WithoutBlocking() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder)
            try FileIO.createDirectory("\(folder)/fifo")
            let fifo = "\(folder)/fifo/demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"
            #expect(mkfifo(fifo, 0o644) == 0)
            let outcome = FIFODeadline.run(unblocking: [fifo]) {
                CommandRun.run(["build", fixture.recipe, "--wheel", fifo, "--allow-unpinned", "--out", "\(folder)/dist"])
            }
            #expect(!outcome.timedOut, "build blocked on the FIFO")
            #expect(outcome.value.status == 65)
            #expect(outcome.value.stderr == "error: \(fifo): not a regular file (a FIFO); it was not read\n")
        }
    }

    @Test func anUnpinnedInputWhoseNameLiesAboutItsVersionIsRefused() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder)
            // The file name says 2.0; METADATA and the .dist-info folder say 1.0.
            let renamed = "\(folder)/demo-2.0-cp311-cp311-manylinux_2_17_x86_64.whl"
            try FileIO.rename(fixture.wheel, to: renamed)
            let run = CommandRun.run(["build", fixture.recipe, "--wheel", renamed, "--allow-unpinned", "--out", "\(folder)/dist"])
            #expect(run.status == 65)
            #expect(run.stderr.hasPrefix("error: \(renamed): the input wheel fails the wheel check (PW"), "\(run.stderr)")
            #expect(run.stderr.contains("PW509") || run.stderr.contains("PW603") || run.stderr.contains("PW608"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/dist/demo_pure-2.0-py3-none-any.whl"))
        }
    }

    @Test func anUnpinnedInputKeepingAnExtensionLinkedWithAnInterpreterIsRefused() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder)
            // A second extension the recipe's strip does not name, linked with PT_INTERP: `dlopen` loads it all the same.
            let builder = WheelBuilder(
                distribution: "demo", version: "1.0", tag: WheelTag(parsing: "cp311-cp311-manylinux_2_17_x86_64")!,
                files: [
                    WheelBuilder.File("demo/__init__.py", "from demo import _accel\n"),
                    WheelBuilder.File("demo/_ext.so", bytes: NativeMagic.elf),
                    WheelBuilder.File("demo/_accel.cpython-311-x86_64-linux-gnu.so", bytes: NativeMagic.elfInterpretedSharedObject),
                ],
                rootIsPurelib: false
            )
            let wheel = try builder.write(in: "\(folder)/in")
            let run = CommandRun.run(["build", fixture.recipe, "--wheel", wheel, "--allow-unpinned", "--out", "\(folder)/dist"])
            #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
            #expect(run.stderr.contains("PW701 demo/_accel.cpython-311-x86_64-linux-gnu.so: "), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/dist/demo_pure-1.0-py3-none-any.whl"))
        }
    }

    @Test func anInputDeclaringAHugeCompressibleEntryIsRefusedBeforeInflating() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder)
            // 1 MiB of zeros deflates to about 1 KiB; the entry declares 1.5 GB, a ratio far above the limit.
            var bomb = RawZipBuilder.Entry("demo/_ext.so", bytes: [UInt8](repeating: 0, count: 1 << 20), method: 8)
            bomb.declaredUncompressedSize = 1_500_000_000
            let entries = RawWheel.entries([bomb], tag: "cp311-cp311-manylinux_2_17_x86_64")
            let wheel = "\(folder)/in/demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"
            try TemporaryDirectory.write(RawZipBuilder(entries: entries).bytes(), to: wheel)
            let run = CommandRun.run(["build", fixture.recipe, "--wheel", wheel, "--allow-unpinned", "--out", "\(folder)/dist"])
            #expect(run.status == 65)
            #expect(run.stderr.hasPrefix("error: \(wheel): the input wheel fails the wheel check ("), "\(run.stderr)")
            #expect(run.stderr.contains("PW304 demo/_ext.so: "), "\(run.stderr)")
        }
    }

    @Test func strippingFilesTheBuildWritesAgainIsNotCountedAsDropped() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder)
            let digest = try SHA256Digest.of(TemporaryDirectory.read(fixture.wheel))
            let steps = "strip = [\"demo/_ext.so\", \"*.dist-info/METADATA\", \"*.dist-info/WHEEL\"]"
            try Self.recipe(steps: steps, pins: [((fixture.wheel as NSString).lastPathComponent, digest)]).write(to: fixture.recipe)
            let run = CommandRun.run(["build", fixture.recipe, "--wheel", fixture.wheel, "--out", "\(folder)/dist"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("\n  dropped   1 file, \(NativeMagic.elf.count) bytes\n"), "\(run.stdout)")
            let planned = CommandRun.run(["build", fixture.recipe, "--wheel", fixture.wheel, "--dry-run"])
            #expect(planned.stdout.contains("\n  dropped   1 file, \(NativeMagic.elf.count) bytes\n"), "\(planned.stdout)")
            #expect(planned.stdout.contains("\n  strip     demo-1.0.dist-info/METADATA (written again by the build, so not dropped)\n"))
            #expect(planned.stdout.contains("\n  drop      demo/_ext.so (\(NativeMagic.elf.count) bytes)\n"))
        }
    }

    @Test func stagingLeftByAKilledBuildIsRemoved() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder)
            // A killed build's folder: its lock file is there, but nobody holds the lock any more.
            let abandoned = "\(folder)/dist/.purewheel-staging-9999999-abc"
            try TemporaryDirectory.write("partial", to: "\(abandoned)/0/.x.whl.tmp-1/x.whl")
            try TemporaryDirectory.write("", to: "\(abandoned)/lock")
            let run = CommandRun.run(["build", fixture.recipe, "--wheel", fixture.wheel, "--out", "\(folder)/dist"])
            #expect(run.status == 0)
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: "\(folder)/dist").sorted() == [
                    "demo_pure-1.0-py3-none-any.whl", "demo_pure-1.0-py3-none-any.whl.intoto.json",
                ])
        }
    }

    @Test func aFolderInTheWayOfTheWheelPublishesNeitherWheelNorStatement() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder)
            try FileIO.createDirectory("\(folder)/dist/demo_pure-1.0-py3-none-any.whl")
            let run = CommandRun.run(["build", fixture.recipe, "--wheel", fixture.wheel, "--out", "\(folder)/dist"])
            #expect(run.status == 74)
            #expect(
                run.stderr.hasPrefix(
                    "error: \(folder)/dist/demo_pure-1.0-py3-none-any.whl: an output name is taken by a folder; nothing was published"))
            #expect(try FileIO.contents(ofDirectory: "\(folder)/dist") == ["demo_pure-1.0-py3-none-any.whl"])
        }
    }

    @Test func outIsAFileNamesTheRealError() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder)
            try TemporaryDirectory.write("x", to: "\(folder)/dist")
            let run = CommandRun.run(["build", fixture.recipe, "--wheel", fixture.wheel, "--out", "\(folder)/dist"])
            #expect(run.status == 74)
            #expect(run.stderr.hasPrefix("error: \(folder)/dist: create folder failed: Not a directory"), "\(run.stderr)")
        }
    }

    @Test func aWheelOfAnotherProjectNamesWhereItSaysSo() throws {
        try TemporaryDirectory.with { folder in
            let builder = WheelBuilder(
                distribution: "demox", version: "1.0", tag: WheelTag(parsing: "cp311-cp311-manylinux_2_17_x86_64")!,
                files: [WheelBuilder.File("demo/__init__.py", "X = 1\n")], rootIsPurelib: false)
            let wheel = try builder.write(in: folder)
            try Self.recipe(steps: "", pins: []).write(to: "\(folder)/r.toml")
            let run = CommandRun.run(["build", "\(folder)/r.toml", "--wheel", wheel, "--allow-unpinned", "--out", "\(folder)/dist"])
            #expect(run.status == 65)
            #expect(run.stderr == "error: \(wheel): expected a wheel of demo, but its METADATA names demox\n")
        }
    }

    @Test func pinMismatchExits65AndWritesNothing() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder, pin: SHA256Digest.of([0]))
            let run = CommandRun.run(["build", fixture.recipe, "--wheel", fixture.wheel, "--out", "\(folder)/dist"])
            #expect(run.status == 65)
            #expect(run.stderr.hasPrefix("error: \(fixture.wheel): sha256 mismatch (expected \(SHA256Digest.of([0]).hex), got "))
            #expect(run.stderr.contains("\n  hint: "))
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(folder)/dist").isEmpty)
        }
    }

    @Test func unknownRecipeKeyExits78NamingTheKey() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder, recipeExtra: "colour = 1")
            let run = CommandRun.run(["build", fixture.recipe, "--wheel", fixture.wheel, "--out", "\(folder)/dist"])
            #expect(run.status == 78)
            #expect(
                run.stderr
                    == "error: \(fixture.recipe) (colour): unknown key\n  hint: see recipes/README.md for the keys schema 1 defines\n")
        }
    }

    @Test func missingRecipeExits66() {
        let run = CommandRun.run(["build", "/nonexistent/recipe.toml", "--upstream-version", "1.0"])
        #expect(run.status == 66)
        #expect(run.stderr == "error: /nonexistent/recipe.toml: recipe not found\n")
    }

    @Test func aRecipeThatIsAFolderSaysWhy() throws {
        try TemporaryDirectory.with { folder in
            try FileIO.createDirectory("\(folder)/r.toml")
            let run = CommandRun.run(["build", "\(folder)/r.toml", "--upstream-version", "1.0"])
            #expect(run.status == 74)
            #expect(run.stderr == "error: \(folder)/r.toml: read failed: Is a directory\n")
        }
    }

    @Test func missingPipExits66() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder)
            let run = CommandRun.run(
                ["build", fixture.recipe, "--upstream-version", "1.0", "--out", "\(folder)/dist", "--cache-dir", "\(folder)/cache"],
                environment: ["PATH": "/nonexistent", "HOME": folder])
            #expect(run.status == 66)
            #expect(run.stderr == "error: pip not found (tried pip3, pip)\n  hint: install pip, or pass --pip /path/to/pip\n")
        }
    }

    @Test func usageErrorsExit64() {
        let run = CommandRun.run(["build", "recipe.toml"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("give --upstream-version, --all-versions or --wheel"))
    }

    @Test(arguments: ["abc", "-5", "1.5", "123456789012345678901234567890", " 5"])
    func invalidSourceDateEpochExits64NamingTheVariable(value: String) throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder)
            let run = CommandRun.run(
                ["build", fixture.recipe, "--wheel", fixture.wheel, "--out", "\(folder)/dist"], environment: ["SOURCE_DATE_EPOCH": value])
            #expect(run.status == 64)
            #expect(run.stderr.hasPrefix("error: environment variable SOURCE_DATE_EPOCH='\(value)' is not a non-negative integer"))
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/dist"))
        }
    }

    @Test func patchEscapingTheWheelRootExits78NamingPatchAndHunk() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder, recipeExtra: "[[patch]]\nfile = \"demo/patches/0001-evil.diff\"")
            let patch = "\(folder)/recipes/demo/patches/0001-evil.diff"
            try TemporaryDirectory.write("--- /dev/null\n+++ b/../../evil.py\n@@ -0,0 +1,1 @@\n+import os\n", to: patch)
            let run = CommandRun.run(["build", fixture.recipe, "--wheel", fixture.wheel, "--out", "\(folder)/dist"])
            #expect(run.status == 78)
            #expect(
                run.stderr.hasPrefix(
                    "error: \(patch) (hunk 1): hunk 1 of 0001-evil.diff targets ../../evil.py (patch line 2), an unsafe path: '..' segment"
                ), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/evil.py"))
        }
    }

    @Test func entryNamesInTheSummaryAreEscaped() throws {
        try TemporaryDirectory.with { folder in
            // A right-to-left override would make the terminal show "demo/exe.txt" for "demo/txt.exe".
            let builder = WheelBuilder(
                distribution: "demo", version: "1.0", tag: WheelTag(parsing: "cp311-cp311-manylinux_2_17_x86_64")!,
                files: [WheelBuilder.File("demo/__init__.py", "X = 1\n"), WheelBuilder.File("demo/\u{202E}txt.exe", "x")],
                rootIsPurelib: false
            )
            let wheel = try builder.write(in: folder)
            let pins = [(builder.filename, SHA256Digest.of(try TemporaryDirectory.read(wheel)))]
            try Self.recipe(steps: "strip = [\"demo/*.exe\"]", pins: pins).write(to: "\(folder)/r.toml")
            let run = CommandRun.run(["build", "\(folder)/r.toml", "--wheel", wheel, "--out", "\(folder)/dist", "--dry-run"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!run.stdout.contains("\u{202E}"))
            #expect(run.stdout.contains("  drop      demo/"))
        }
    }

    @Test func dryRunWritesNothing() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try makeFixture(in: folder)
            let run = CommandRun.run(["build", fixture.recipe, "--wheel", fixture.wheel, "--out", "\(folder)/dist", "--dry-run"])
            #expect(run.status == 0)
            #expect(run.stdout.contains("  drop      demo/_ext.so (\(NativeMagic.elf.count) bytes)"))
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/dist"))
        }
    }

    @Test func compareReportsDifferences() throws {
        try TemporaryDirectory.with { folder in
            let a = try WheelBuilder(files: [WheelBuilder.File("demo/a.py", "1\n"), WheelBuilder.File("demo/b.py", "x\r\n")]).write(
                in: "\(folder)/a")
            let b = try WheelBuilder(files: [
                WheelBuilder.File("demo/a.py", "2\n"), WheelBuilder.File("demo/b.py", "x\n"), WheelBuilder.File("demo/c.py", ""),
            ]).write(in: "\(folder)/b")
            let run = CommandRun.run(["compare", a, b])
            #expect(run.status == 1)
            #expect(
                run.stdout == """
                    ~ demo/a.py (content: 2 vs 2 bytes)
                    ~ demo/b.py (line endings only: 3 vs 2 bytes)
                    + demo/c.py (only in the second)
                    3 of 5 files differ

                    """)
            #expect(CommandRun.run(["compare", a, a]).status == 0)
        }
    }

    @Test func compareOfAMissingWheelExits66() throws {
        try TemporaryDirectory.with { folder in
            let a = try WheelBuilder(files: [WheelBuilder.File("demo/a.py", "1\n")]).write(in: "\(folder)/a")
            let run = CommandRun.run(["compare", a, "\(folder)/missing.whl"])
            #expect(run.status == 66)
            #expect(run.stderr == "error: \(folder)/missing.whl: no such file\n")
        }
    }

    @Test func compareOfAFIFOOrAFolderSaysItIsNotARegularFile() throws {
        try TemporaryDirectory.with { folder in
            let a = try WheelBuilder(files: [WheelBuilder.File("demo/a.py", "1\n")]).write(in: "\(folder)/a")
            let fifo = "\(folder)/pipe.whl"
            #expect(mkfifo(fifo, 0o644) == 0)
            let outcome = FIFODeadline.run(unblocking: [fifo]) { CommandRun.run(["compare", fifo, a]) }
            #expect(!outcome.timedOut, "compare blocked on the FIFO")
            #expect(outcome.value.status == 65)
            #expect(outcome.value.stderr == "error: \(fifo): not a regular file (a FIFO); it was not read\n")
            try FileIO.createDirectory("\(folder)/dir.whl")
            let run = CommandRun.run(["compare", a, "\(folder)/dir.whl"])
            #expect(run.status == 65)
            #expect(run.stderr == "error: \(folder)/dir.whl: not a regular file (a folder); it was not read\n")
        }
    }

    /// A recipe for `demo` 1.0 with top-level `steps` and the given pins.
    static func recipe(steps: String, pins: [(String, SHA256Digest)]) -> RecipeFiles {
        RecipeFiles(recipe: RecipeFiles.minimalDemoRecipe(steps: steps), distribution: "demo", pins: pins)
    }

    @Test func batchOfPlatformsWithTheSameFilesPublishesOnce() throws {
        try TemporaryDirectory.with { folder in
            func upstream(_ tag: String, _ newline: String) -> WheelBuilder {
                WheelBuilder(
                    tag: WheelTag(parsing: tag)!, files: [WheelBuilder.File("demo/__init__.py", "A = 1\(newline)B = 2\(newline)")],
                    rootIsPurelib: false)
            }
            let linux = try upstream("cp311-cp311-manylinux_2_17_x86_64", "\n").write(in: "\(folder)/in")
            let windows = try upstream("cp311-cp311-win_amd64", "\r\n").write(in: "\(folder)/in")
            let pins = try [linux, windows].map { (($0 as NSString).lastPathComponent, SHA256Digest.of(try TemporaryDirectory.read($0))) }
            try Self.recipe(steps: "normalize_newlines = [\"demo/*.py\"]", pins: pins).write(to: "\(folder)/r.toml")
            let run = CommandRun.run(["build", "\(folder)/r.toml", "--wheel", windows, "--wheel", linux, "--out", "\(folder)/dist"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: "\(folder)/dist").sorted() == [
                    "demo_pure-1.0-py3-none-any.whl", "demo_pure-1.0-py3-none-any.whl.intoto.json",
                ])
            #expect(
                run.stdout.contains("  note      same files as demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl, whose bytes were published"))
            // The statement describes the input whose bytes were published, not the last one built.
            let statement = try ProvenanceStatement.decode(
                try TemporaryDirectory.read("\(folder)/dist/demo_pure-1.0-py3-none-any.whl.intoto.json"), path: "s")
            #expect(statement.buildDefinition.externalParameters.upstreamWheel == "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl")
            #expect(
                statement.subject.sha256 == SHA256Digest.of(try TemporaryDirectory.read("\(folder)/dist/demo_pure-1.0-py3-none-any.whl")))
        }
    }

    /// A revision that is not a whole number from 1, or of an upstream version that cannot take a post segment, is a recipe error.
    @Test(arguments: [
        ("[versions.\"1.0\"]\nrevision = 0\n", "versions.\"1.0\".revision", "a revision counts from 1 (found 0)"),
        ("[versions.\"1.0\"]\nrevision = \"1\"\n", "versions.\"1.0\".revision", "expected an integer"),
        ("[versions.\"1.0.post1\"]\nrevision = 1\n", "versions.\"1.0.post1\".revision", "upstream 1.0.post1 has a post segment"),
    ])
    func aBadRevisionIsExit78NamingTheKey(_ table: String, _ keyPath: String, _ reason: String) throws {
        try TemporaryDirectory.with { folder in
            let wheel = try WheelBuilder(files: [WheelBuilder.File("demo/__init__.py", "A = 1\n")]).write(in: "\(folder)/in")
            var files = Self.recipe(steps: "", pins: [])
            files.recipe += "\n" + table
            try files.write(to: "\(folder)/r.toml")
            let run = CommandRun.run(["build", "\(folder)/r.toml", "--wheel", wheel, "--allow-unpinned", "--out", "\(folder)/dist"])
            #expect(run.status == 78)
            #expect(run.stderr.hasPrefix("error: \(folder)/r.toml (\(keyPath)): "), "\(run.stderr)")
            #expect(run.stderr.contains(reason), "\(run.stderr)")
        }
    }

    @Test func helpIsStable() {
        expectGolden(CommandRun.run(["build", "--help"]).stdout, named: "build-help.txt")
        expectGolden(CommandRun.run(["--help"]).stdout, named: "purewheel-help.txt")
    }
}
