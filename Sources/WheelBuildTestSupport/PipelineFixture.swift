// WheelBuildTestSupport: a demo upstream wheel, its recipe and a folder fetcher, for the tests of the build and
// of what builds on it (provenance).
//
// Entry points: `PipelineFixture.make(in:)`, then `build()` or `context()`.

import Foundation
import PurewheelBasics
import PurewheelTestSupport
import RecipeFormat
import WheelBuild
import WheelModel

/// A fake fetcher that serves files from a folder, or fails as told; records what it was asked.
package struct FolderFetcher: WheelFetcher {
    /// The folder the files are served from.
    package let folder: String

    /// Creates a fetcher serving `folder`.
    package init(folder: String) { self.folder = folder }

    /// The path of `wheel` in the folder; `.downloadMissing` when it is not there.
    package func fetch(distribution: String, version: String, wheel: WheelFilename, expected: SHA256Digest) throws(FetchError) -> String {
        let path = "\(folder)/\(wheel)"
        guard FileIO.exists(path) else { throw .downloadMissing(expected: wheel.description, folder: folder) }
        return path
    }
}

/// A platform "upstream" wheel, a recipe that strips its extension and test, patches its import, injects a
/// replacement and edits METADATA — all built in a temporary folder.
package struct PipelineFixture {
    /// The folder that holds everything.
    package let folder: String
    /// The upstream wheel.
    package let upstreamPath: String
    /// The recipe.
    package let recipePath: String

    /// The upstream `demo/core.py`.
    package static let coreSource = """
        \"\"\"Core module.\"\"\"
        import os
        from demo._speedups import fast_sum

        def total(values):
            return fast_sum(values)

        """

    /// The recipe's patch of `demo/core.py`.
    package static let patch = """
        --- a/demo/core.py
        +++ b/demo/core.py
        @@ -1,6 +1,6 @@
         \"\"\"Core module.\"\"\"
         import os
        -from demo._speedups import fast_sum
        +from demo._pure import fast_sum
         
         def total(values):
             return fast_sum(values)

        """

    /// The upstream wheel, with entries in `order`, CRLF sources or a `Platform` line when asked.
    package static func upstream(
        tag: String = "cp311-cp311-manylinux_2_17_x86_64", order: [Int]? = nil, crlf: Bool = false, platformLine: Bool = false
    ) -> WheelBuilder {
        let core = crlf ? coreSource.replacingOccurrences(of: "\n", with: "\r\n") : coreSource
        var files = [
            WheelBuilder.File("demo/__init__.py", "from demo.core import total\n"),
            WheelBuilder.File("demo/core.py", core),
            WheelBuilder.File("demo/_speedups.cpython-311-x86_64-linux-gnu.so", bytes: NativeMagic.elf, isExecutable: true),
            WheelBuilder.File("demo/core_test.py", "from demo._speedups import fast_sum\n"),
            WheelBuilder.File("demo/data/table.txt", "x,y\n"),
            WheelBuilder.File("demo-1.0.dist-info/LICENSE", "License text\n"),
        ]
        if let order { files = order.map { files[$0] } }
        var extra: [(String, String)] = [("Summary", "Demo with a C extension")]
        if platformLine { extra.append(("Platform", "UNKNOWN")) }
        extra += [
            ("Requires-Python", ">=3.9,<3.12"), ("Requires-Dist", "attrs (<22,>=20.3)"), ("Requires-Dist", "six <2,>=1.10"),
            ("Requires-Dist", "numpy"),
        ]
        var builder = WheelBuilder(
            distribution: "demo", version: "1.0", tag: WheelTag(parsing: tag)!, files: files, rootIsPurelib: false, extraMetadata: extra)
        builder.extraMetadata = extra
        return builder
    }

    /// The recipe pinning `pins`.
    package static func recipe(
        pins: [(String, SHA256Digest)], strip: String = "[\"demo/_speedups.*\", \"demo/**/*_test.py\"]", extra: String = ""
    ) -> RecipeFiles {
        RecipeFiles(
            recipe: """
                schema = 1
                strip = \(strip)
                normalize_newlines = ["demo/**/*.py"]
                \(extra)

                [source]
                distribution = "demo"
                canonical_platform = "linux"

                [output]
                distribution = "demo-pure"
                tag = "py3-none-any"

                [metadata]
                summary = "Demo without its extension"
                description_note = "Built by purewheel."
                requires_python = ">=3.9"
                [metadata.requirements]
                replace = { attrs = "attrs>=20.3,<24" }
                remove = ["numpy"]
                add = ["grpcio>=1.8.6"]

                [[patch]]
                file = "demo/patches/0001-pure-import.diff"

                [[inject]]
                file = "demo/inject/_pure.py"
                path = "demo/_pure.py"
                """, distribution: "demo", pins: pins)
    }

    /// Writes everything into `folder`; `recipeText` overrides the recipe; `others` are more upstream files of the same
    /// version, pinned beside the first (as a lock pins every platform's file).
    package static func make(
        in folder: String, upstream: WheelBuilder = upstream(), recipeText: ((String, SHA256Digest) -> RecipeFiles)? = nil,
        patch: String = patch, others: [WheelBuilder] = []
    ) throws -> PipelineFixture {
        let wheelFolder = "\(folder)/upstream"
        try FileManager.default.createDirectory(atPath: wheelFolder, withIntermediateDirectories: true)
        let upstreamPath = try upstream.write(in: wheelFolder)
        let digest = SHA256Digest.of(try TemporaryDirectory.read(upstreamPath))
        var otherPins = [(String, SHA256Digest)]()
        for other in others {
            let path = try other.write(in: wheelFolder)
            otherPins.append((other.filename, SHA256Digest.of(try TemporaryDirectory.read(path))))
        }
        try TemporaryDirectory.write(patch, to: "\(folder)/recipes/demo/patches/0001-pure-import.diff")
        try TemporaryDirectory.write("def fast_sum(values):\n    return sum(values)\n", to: "\(folder)/recipes/demo/inject/_pure.py")
        let files = recipeText?(upstream.filename, digest) ?? recipe(pins: [(upstream.filename, digest)] + otherPins)
        try files.write(to: "\(folder)/recipes/demo.toml")
        return PipelineFixture(folder: folder, upstreamPath: upstreamPath, recipePath: "\(folder)/recipes/demo.toml")
    }

    /// The stage context the fixture's builds use.
    package func context(sourceDateEpoch: Int64? = nil) throws -> StageContext {
        StageContext(
            recipe: try RecipeLoader.load(path: recipePath), fetcher: FolderFetcher(folder: "\(folder)/upstream"),
            sourceDateEpoch: sourceDateEpoch, generator: "purewheel test"
        )
    }

    /// Builds the pinned upstream file `name` of `others`.
    package func build(other name: String, out: String) throws -> BuildResult {
        try build(.localFile(path: "\(folder)/upstream/\(name)", allowUnpinned: false), out: out)
    }

    /// Builds `request` (the fixture's upstream file when nil) into `out` (`<folder>/dist` when nil).
    package func build(_ request: FetchRequest? = nil, out: String? = nil, sourceDateEpoch: Int64? = nil) throws -> BuildResult {
        let output = out ?? "\(folder)/dist"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        return try Pipeline(context: context(sourceDateEpoch: sourceDateEpoch)).run(
            request ?? .localFile(path: upstreamPath, allowUnpinned: false), outputDirectory: output)
    }
}
