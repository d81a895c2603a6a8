import Foundation
import PurewheelBasics
import PurewheelTestSupport
import RecipeFormat
import Testing
import UnifiedDiff
import WheelBuild
import WheelBuildTestSupport
import WheelModel
import ZipIO

@Suite struct PipelineTests {
    private func contents(of path: String) throws -> [String: [UInt8]] {
        try ZipReader.withArchive(atPath: path) { reader throws(ZipError) in
            var result = [String: [UInt8]]()
            for entry in reader.entries { result[entry.name] = try reader.read(entry) }
            return result
        }
    }

    private func names(of path: String) throws -> [String] {
        try ZipReader.withArchive(atPath: path) { reader throws(ZipError) in reader.entries.map(\.name) }
    }

    @Test func buildsAPureWheel() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(in: folder)
            let result = try fixture.build()
            let path = try #require(result.verified?.written.path)
            #expect(path == "\(folder)/dist/demo_pure-1.0-py3-none-any.whl")
            #expect(
                try names(of: path) == [
                    "demo/__init__.py", "demo/_pure.py", "demo/core.py", "demo/data/table.txt",
                    "demo_pure-1.0.dist-info/LICENSE", "demo_pure-1.0.dist-info/METADATA", "demo_pure-1.0.dist-info/WHEEL",
                    "demo_pure-1.0.dist-info/sboms/purewheel.cdx.json", "demo_pure-1.0.dist-info/RECORD",
                ])
            let files = try contents(of: path)
            let core = String(decoding: try #require(files["demo/core.py"]), as: UTF8.self)
            #expect(core.contains("from demo._pure import fast_sum"))
            #expect(!core.contains("_speedups"))
            expectGolden(String(decoding: try #require(files["demo_pure-1.0.dist-info/METADATA"]), as: UTF8.self), named: "demo.METADATA")
            expectGolden(String(decoding: try #require(files["demo_pure-1.0.dist-info/WHEEL"]), as: UTF8.self), named: "demo.WHEEL")
            expectGolden(String(decoding: try #require(files["demo_pure-1.0.dist-info/RECORD"]), as: UTF8.self), named: "demo.RECORD")
            expectGolden(
                String(decoding: try #require(files["demo_pure-1.0.dist-info/sboms/purewheel.cdx.json"]), as: UTF8.self),
                named: "demo.cdx.json")
            #expect(
                result.changes.contains(
                    .dropped(
                        path: "demo/_speedups.cpython-311-x86_64-linux-gnu.so", size: UInt64(NativeMagic.elf.count), keyPath: "strip[0]")))
            #expect(result.changes.contains(.dropped(path: "demo/core_test.py", size: 36, keyPath: "strip[1]")))
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(folder)/dist") == ["demo_pure-1.0-py3-none-any.whl"])
        }
    }

    @Test func recordMatchesEveryEntry() throws {
        try TemporaryDirectory.with { folder in
            let result = try PipelineFixture.make(in: folder).build()
            let path = try #require(result.verified?.written.path)
            let files = try contents(of: path)
            let record = try Record(
                parsing: String(decoding: try #require(files["demo_pure-1.0.dist-info/RECORD"]), as: UTF8.self), file: "RECORD")
            #expect(record.rows.map(\.path) == (try names(of: path)))
            for row in record.rows.dropLast() {
                let bytes = try #require(files[row.path])
                #expect(row.hash == RecordHash(sha256: SHA256Digest.of(bytes)), "\(row.path)")
                #expect(row.size == UInt64(bytes.count))
            }
            #expect(record.rows.last?.hash == nil && record.rows.last?.size == nil)
        }
    }

    @Test func outputIsDeterministicWhateverTheInputOrderTimeAndPlatform() throws {
        try TemporaryDirectory.with { folder in
            // One recipe pins all three files of the version, as a lock does; each builds the same bytes.
            let reordered = PipelineFixture.upstream(tag: "cp312-cp312-manylinux_2_17_x86_64", order: [5, 4, 3, 2, 1, 0])
            let macOS = PipelineFixture.upstream(tag: "cp310-cp310-macosx_12_0_x86_64", platformLine: true)
            let a = try PipelineFixture.make(in: "\(folder)/a", others: [reordered, macOS])
            let first = try TemporaryDirectory.read(try #require(a.build().verified?.written.path))
            let second = try TemporaryDirectory.read(
                try #require(a.build(other: reordered.filename, out: "\(folder)/b").verified?.written.path))
            let third = try TemporaryDirectory.read(try #require(a.build(other: macOS.filename, out: "\(folder)/c").verified?.written.path))
            #expect(first == second)
            #expect(first == third)
            let again = try TemporaryDirectory.read(try #require(a.build(out: "\(folder)/again").verified?.written.path))
            #expect(first == again)
            let stamped = try TemporaryDirectory.read(
                try #require(a.build(out: "\(folder)/stamped", sourceDateEpoch: 1_700_000_000).verified?.written.path))
            #expect(first != stamped)
        }
    }

    @Test func windowsSourcesAreNormalizedBeforePatching() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(
                in: folder, upstream: PipelineFixture.upstream(tag: "cp311-cp311-win_amd64", crlf: true),
                others: [PipelineFixture.upstream()])
            let result = try fixture.build()
            #expect(result.changes.contains(.normalized(path: "demo/core.py", keyPath: "normalize_newlines[0]")))
            let linux = try fixture.build(other: PipelineFixture.upstream().filename, out: "\(folder)/linux")
            let windowsBytes = try TemporaryDirectory.read(try #require(result.verified?.written.path))
            let linuxBytes = try TemporaryDirectory.read(try #require(linux.verified?.written.path))
            #expect(windowsBytes == linuxBytes)
        }
    }

    @Test func stripGlobMatchingNothingFails() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(
                in: folder,
                recipeText: { name, digest in
                    PipelineFixture.recipe(pins: [(name, digest)], strip: "[\"demo/_speedups.*\", \"demo/gone/**\"]")
                })
            #expect(
                throws: PipelineError(
                    stage: .strip, .build(.globMatchedNothing(recipe: fixture.recipePath, keyPath: "strip[1]", pattern: "demo/gone/**")))
            ) {
                try fixture.build()
            }
            #expect(!FileIO.exists("\(folder)/dist/demo_pure-1.0-py3-none-any.whl"))
        }
    }

    @Test func misappliedHunkNamesPatchHunkAndLine() throws {
        try TemporaryDirectory.with { folder in
            let bad = PipelineFixture.patch.replacingOccurrences(of: " import os\n", with: " import sys\n")
            let fixture = try PipelineFixture.make(in: folder, patch: bad)
            let patchPath = "\(folder)/recipes/demo/patches/0001-pure-import.diff"
            let expected = PatchError.hunkDoesNotApply(
                patch: patchPath, target: "demo/core.py", hunk: 1, line: 1,
                reason: "line 2 is 'import os', the patch expects 'import sys'; its first line is at line 1, but the lines after it differ"
                    + " (max_offset is 0)")
            #expect(throws: PipelineError(stage: .patch, .patch(expected))) { try fixture.build() }
        }
    }

    @Test func strippedModuleStillImportedFails() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(
                in: folder,
                recipeText: { name, digest in
                    PipelineFixture.recipe(pins: [(name, digest)], strip: "[\"demo/_speedups.*\"]")
                })
            #expect(
                throws: PipelineError(
                    stage: .importCheck,
                    .build(
                        .importOfStrippedModule(
                            archive: fixture.upstreamPath, entry: "demo/core_test.py", line: 1, module: "demo._speedups"
                        )))
            ) { try fixture.build() }
        }
    }

    @Test func pinMismatchIsRefusedBeforeReading() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(
                in: folder,
                recipeText: { name, _ in
                    PipelineFixture.recipe(pins: [(name, SHA256Digest.of([1, 2, 3]))])
                })
            let actual = SHA256Digest.of(try TemporaryDirectory.read(fixture.upstreamPath))
            #expect(
                throws: PipelineError(
                    stage: .fetch,
                    .fetch(.digestMismatch(file: fixture.upstreamPath, expected: SHA256Digest.of([1, 2, 3]), actual: actual)))
            ) {
                try fixture.build()
            }
            // --allow-unpinned accepts it, and the result says so.
            let result = try fixture.build(.localFile(path: fixture.upstreamPath, allowUnpinned: true))
            #expect(result.upstream.pinStatus == .unpinned)
        }
    }

    @Test func unpinnedFileIsRefused() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(in: folder)
            let other = try PipelineFixture.upstream(tag: "cp312-cp312-manylinux_2_17_x86_64").write(in: folder)
            #expect(throws: PipelineError(stage: .fetch, .fetch(.unpinned(file: other, recipe: fixture.recipePath, version: nil)))) {
                try fixture.build(.localFile(path: other, allowUnpinned: false))
            }
        }
    }

    @Test func versionRequestGoesThroughTheFetcher() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(in: folder)
            let result = try fixture.build(.version(try #require(PEP440Version(parsing: "1.0"))))
            #expect(result.upstream.filename.description == "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl")
            // Another spelling of the version builds the same pin, under the lock's spelling.
            let respelled = try fixture.build(.version(try #require(PEP440Version(parsing: "v1.0.0"))))
            #expect(respelled.upstream.version == "1.0")
            #expect(respelled.upstream.filename == result.upstream.filename)
            #expect(
                throws: PipelineError(stage: .fetch, .recipe(.unknownVersion(path: fixture.recipePath, version: "2.0", known: ["1.0"])))
            ) {
                try fixture.build(.version(PEP440Version(parsing: "2.0")!))
            }
        }
    }

    @Test func failedVerificationLeavesNothingAndKeepsTheGoodWheel() throws {
        try TemporaryDirectory.with { folder in
            // An injected ELF file passes the import check but must fail verification (no binaries in -none-any).
            let fixture = try PipelineFixture.make(
                in: folder,
                recipeText: { name, digest in
                    PipelineFixture.recipe(pins: [(name, digest)]) + "\n"
                })
            let good = try fixture.build()
            let goodPath = try #require(good.verified?.written.path)
            let goodBytes = try TemporaryDirectory.read(goodPath)
            try TemporaryDirectory.write(NativeMagic.elf, to: "\(folder)/recipes/demo/inject/_pure.py")
            #expect {
                try fixture.build()
            } throws: { error in
                guard let error = error as? PipelineError, error.stage == .verify else { return false }
                return error.category == .findings
            }
            #expect(try TemporaryDirectory.read(goodPath) == goodBytes)
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(folder)/dist") == ["demo_pure-1.0-py3-none-any.whl"])
        }
    }

    @Test func inputsAreNeverModified() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(in: folder)
            let before = try TemporaryDirectory.read(fixture.upstreamPath)
            _ = try fixture.build()
            #expect(try TemporaryDirectory.read(fixture.upstreamPath) == before)
        }
    }
}

/// An import inside `try: … except ImportError:` is optional, transitively: a stripped module
/// imported only by a module that is itself imported only under such a guard is fine.
@Suite struct GuardedImportTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let initSource: String
        /// The entry, line and module the build names, or `nil` when it builds.
        let failure: (entry: String, line: Int, module: String)?
        var testDescription: String { name }
    }

    static let cases = [
        Case(
            name: "guarded one level up (google-crc32c)",
            initSource: "try:\n    from demo import cext as impl\nexcept ImportError:\n    from demo import python as impl\n", failure: nil),
        Case(
            name: "guarded by a tuple with ModuleNotFoundError",
            initSource: "try:\n    import demo.cext\nexcept (AttributeError, ModuleNotFoundError) as e:\n    pass\n", failure: nil),
        Case(name: "unguarded one level up", initSource: "from demo import cext\n", failure: ("demo/cext.py", 1, "demo._speedups")),
        Case(
            name: "guarded only by an unrelated handler",
            initSource: "try:\n    from demo import cext\nexcept KeyError:\n    pass\n", failure: ("demo/cext.py", 1, "demo._speedups")),
        Case(
            name: "imported in the else clause, which no handler guards",
            initSource: "try:\n    pass\nexcept ImportError:\n    pass\nelse:\n    from demo import cext\n",
            failure: ("demo/cext.py", 1, "demo._speedups")),
        Case(
            name: "nothing imports the broken module", initSource: "from demo import python\n",
            failure: ("demo/cext.py", 1, "demo._speedups")),
    ]

    @Test(arguments: cases)
    func strippedBackendImportedOnlyUnderAGuard(_ example: Case) throws {
        try TemporaryDirectory.with { folder in
            let upstream = WheelBuilder(
                distribution: "demo", version: "1.0", tag: WheelTag(parsing: "cp311-cp311-manylinux_2_17_x86_64")!,
                files: [
                    WheelBuilder.File("demo/__init__.py", example.initSource),
                    WheelBuilder.File("demo/cext.py", "from demo._speedups import fast_sum\n"),
                    WheelBuilder.File("demo/python.py", "def fast_sum(values):\n    return sum(values)\n"),
                    WheelBuilder.File("demo/_speedups.cpython-311-x86_64-linux-gnu.so", bytes: NativeMagic.elf),
                ], rootIsPurelib: false)
            let fixture = try PipelineFixture.make(
                in: folder, upstream: upstream,
                recipeText: { name, digest in
                    RecipeFiles(
                        recipe: RecipeFiles.minimalDemoRecipe(steps: "strip = [\"demo/_speedups.*\"]"), distribution: "demo",
                        pins: [(name, digest)])
                })
            if let failure = example.failure {
                #expect(
                    throws: PipelineError(
                        stage: .importCheck,
                        .build(
                            .importOfStrippedModule(
                                archive: fixture.upstreamPath, entry: failure.entry, line: failure.line, module: failure.module)))
                ) { try fixture.build() }
            } else {
                #expect(try fixture.build().verified != nil)
            }
        }
    }
}

/// The input check refuses every error finding but PW512.
@Suite struct InputCheckTests {
    /// delocate writes a second `Generator` line into every macOS wheel it repairs (google-crc32c 1.9.0 on
    /// PyPI); the build writes its own WHEEL, so that input is still built.
    @Test func aRepeatedGeneratorLineDoesNotRefuseTheInput() throws {
        try TemporaryDirectory.with { folder in
            var upstream = PipelineFixture.upstream()
            upstream.wheelText =
                "Wheel-Version: 1.0\nGenerator: bdist_wheel (0.41.2)\nRoot-Is-Purelib: false\n"
                + "Tag: cp311-cp311-manylinux_2_17_x86_64\nGenerator: delocate 0.10.7\n"
            let fixture = try PipelineFixture.make(in: folder, upstream: upstream)
            let result = try fixture.build()
            #expect(result.verified != nil)
        }
    }
}
