import Foundation
import PurewheelBasics
import PurewheelTestSupport
import RecipeFormat
import Testing
import WheelBuildTestSupport
import WheelModel

@testable import WheelBuild

@Suite struct StageTests {
    @Test func injectOntoAnExistingEntryFails() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(
                in: folder,
                recipeText: { name, digest in
                    PipelineFixture.recipe(pins: [(name, digest)]).replacingOccurrences(
                        of: "path = \"demo/_pure.py\"", with: "path = \"demo/__init__.py\"")
                })
            #expect(
                throws: PipelineError(
                    stage: .inject,
                    .build(.injectTargetExists(recipe: fixture.recipePath, keyPath: "inject[0]", path: "demo/__init__.py")))
            ) {
                try fixture.build()
            }
        }
    }

    @Test func injectOntoRECORDIsARecipeError() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(
                in: folder,
                recipeText: { name, digest in
                    PipelineFixture.recipe(pins: [(name, digest)]).replacingOccurrences(
                        of: "path = \"demo/_pure.py\"", with: "path = \"demo-1.0.dist-info/RECORD\"")
                })
            let expected = BuildError.injectTargetReserved(
                recipe: fixture.recipePath, keyPath: "inject[0]", path: "demo-1.0.dist-info/RECORD")
            #expect(throws: PipelineError(stage: .inject, .build(expected))) { try fixture.build() }
            #expect(expected.category == .recipe)
        }
    }

    /// The input check reads the bytes the fetch stage read and hashed, not the file again: bytes that fail the
    /// check fail it though a good file is on disk, and a file changed on disk after the fetch changes nothing.
    @Test func inputCheckReadsTheFetchedBytesNotTheFileAgain() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(in: folder)
            let context = try fixture.context()
            let upstream = try FetchStage().run(.localFile(path: fixture.upstreamPath, allowUnpinned: false), in: context)
            try TemporaryDirectory.write(Array("not a wheel".utf8), to: "\(folder)/junk")
            let junk = try FileIO.readWhole("\(folder)/junk")
            let swapped = UpstreamWheel(
                path: upstream.path, filename: upstream.filename, version: upstream.version, bytes: junk,
                sha256: junk.withUnsafeBytes(SHA256Digest.of), pinStatus: .unpinned)
            #expect(
                performing: { _ = try InputCheckStage().run(swapped, in: context) },
                throws: { error in
                    (error as? PipelineError)?.stage == .inputCheck
                })
            try TemporaryDirectory.write(Array("not a wheel".utf8), to: fixture.upstreamPath)
            #expect(try InputCheckStage().run(upstream, in: context).sha256 == upstream.sha256)
        }
    }

    @Test func upstreamRecordMismatchesAreTyped() throws {
        let entry = WheelEntry(path: try EntryPath(validating: "demo/a.py"), content: .bytes([1, 2, 3]), isExecutable: false)
        let record = Record(rows: [Record.Row(path: "demo/a.py", hash: RecordHash(sha256: SHA256Digest.of([1, 2, 3])), size: 4)])
        #expect(
            throws: BuildError.upstreamRecordMismatch(archive: "u.whl", entry: "demo/a.py", problem: .sizeDiffers(recorded: 4, actual: 3))
        ) {
            try OpenStage.validate(record, against: [entry], distInfo: "demo-1.0.dist-info", archive: "u.whl")
        }
        #expect(throws: BuildError.upstreamRecordMismatch(archive: "u.whl", entry: "demo/a.py", problem: .notListed)) {
            try OpenStage.validate(Record(rows: []), against: [entry], distInfo: "demo-1.0.dist-info", archive: "u.whl")
        }
        #expect(RecordMismatch.sizeDiffers(recorded: 4, actual: 3).description == "RECORD says 4, the archive holds 3 bytes")
    }

    @Test func requirementEditOnMissingProjectFails() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(
                in: folder,
                recipeText: { name, digest in
                    PipelineFixture.recipe(pins: [(name, digest)]).replacingOccurrences(
                        of: "remove = [\"numpy\"]", with: "remove = [\"scipy\"]")
                })
            #expect(
                throws: PipelineError(
                    stage: .retag,
                    .build(.requirementNotFound(recipe: fixture.recipePath, keyPath: "metadata.requirements.remove[0]", project: "scipy"))
                )
            ) {
                try fixture.build()
            }
        }
    }

    @Test func pinnedFileIsFetchedByNameAndCheckedAgainstItsPin() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(in: folder)
            let name = (fixture.upstreamPath as NSString).lastPathComponent
            let result = try fixture.build(.pinnedFile(name))
            #expect(result.upstream.filename.description == name)
            #expect(result.upstream.pinStatus == .pinned)
            #expect(
                throws: PipelineError(
                    stage: .fetch, .fetch(.unpinned(file: "demo-1.0-cp39-cp39-win_amd64.whl", recipe: fixture.recipePath, version: nil)))
            ) {
                try fixture.build(.pinnedFile("demo-1.0-cp39-cp39-win_amd64.whl"))
            }
            let pin = SHA256Digest.of(try TemporaryDirectory.read(fixture.upstreamPath))
            try TemporaryDirectory.write("changed", to: fixture.upstreamPath)
            #expect(
                throws: PipelineError(
                    stage: .fetch,
                    .fetch(.digestMismatch(file: fixture.upstreamPath, expected: pin, actual: SHA256Digest.of(Array("changed".utf8)))))
            ) {
                try fixture.build(.pinnedFile(name))
            }
        }
    }

    @Test func dryRunPlansWithoutWriting() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(in: folder)
            let result = try Pipeline(context: fixture.context()).run(
                .localFile(path: fixture.upstreamPath, allowUnpinned: false), outputDirectory: "\(folder)/dist", dryRun: true)
            #expect(result.verified == nil)
            #expect(result.changes.count == 4)
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/dist"))
        }
    }

    @Test(arguments: [
        (id: "plain", source: "import os, demo.ext as e\n", modules: ["os", "demo.ext"]),
        (id: "from", source: "from demo.pkg import (a,\n    b as c)\n", modules: ["demo.pkg", "demo.pkg.a", "demo.pkg.b"]),
        (
            id: "relative", source: "from .pywrap import ext\nfrom .. import top\n",
            modules: ["demo.sub.pywrap", "demo.sub.pywrap.ext", "demo", "demo.top"]
        ),
        (id: "strings and comments", source: "x = 'import fake'  # import fake2\n\"\"\"\nimport fake3\n\"\"\"\n", modules: []),
        (id: "continuation", source: "from demo import \\\n    thing\n", modules: ["demo", "demo.thing"]),
        (id: "indented in try", source: "try:\n    import demo.fast\nexcept ImportError:\n    pass\n", modules: ["demo.fast"]),
        (id: "CRLF inside parentheses", source: "from demo import (a,\r\n    b)\r\n", modules: ["demo", "demo.a", "demo.b"]),
        (id: "non-ASCII names and strings", source: "s = 'é'; import démo.ü as x\n", modules: ["démo.ü"]),
        (id: "from with a long name", source: "fromage = 1\nimportant = 2\n", modules: []),
    ])
    func findsImports(id: String, source: String, modules: [String]) {
        #expect(PythonImports.scan(Array(source.utf8), package: ["demo", "sub"]).map(\.module) == modules, "\(id)")
    }

    @Test(arguments: [
        (id: "try/except ImportError", source: "try:\n    import a\nexcept ImportError:\n    import b\nimport c\n", guarded: ["a"]),
        (id: "bare except", source: "try:\n    import a\nexcept:\n    pass\n", guarded: ["a"]),
        (id: "except Exception as e", source: "try:\n    import a\nexcept Exception as e:\n    pass\n", guarded: ["a"]),
        (id: "unrelated handler", source: "try:\n    import a\nexcept KeyError:\n    pass\n", guarded: []),
        (id: "finally only", source: "try:\n    import a\nfinally:\n    pass\n", guarded: []),
        (
            id: "nested, outer guards",
            source: "try:\n    try:\n        import a\n    except KeyError:\n        import b\nexcept ImportError:\n    pass\n",
            guarded: ["a", "b"]
        ),
        (
            id: "indented in a function, comments and blank lines",
            source:
                "def f():\n    try:\n        # fast path\n\n        import a\n    except ModuleNotFoundError:\n        return None\n    import b\n",
            guarded: ["a"]
        ),
        (id: "a later try at the same level", source: "try:\n    pass\nexcept ImportError:\n    pass\nimport a\n", guarded: []),
    ])
    func tellsGuardedImports(id: String, source: String, guarded: [String]) {
        let found = PythonImports.scan(Array(source.utf8), package: [])
        #expect(found.filter(\.isGuarded).map(\.module) == guarded, "\(id)")
    }

    @Test(arguments: [
        (path: "a/b/ext.cpython-311-x86_64-linux-gnu.so", module: "a.b.ext" as String?),
        (path: "a/b/ext.pyd", module: "a.b.ext"),
        (path: "a/__init__.py", module: "a"),
        (path: "a/data.txt", module: nil),
        (path: "a-1.0.dist-info/x.py", module: nil),
    ])
    func namesModules(path: String, module: String?) {
        #expect(ImportCheckStage.moduleName(of: path) == module)
    }
}
