import Foundation
import Provenance
import PurewheelBasics
import PurewheelTestSupport
import RecipeFormat
import Testing
import WheelBuildTestSupport
import WheelChecks
import WheelModel
import ZipIO

@testable import WheelBuild

/// The recipe's release fields (Metadata 2.5, Import-Name, License-Expression, classifiers, Project-URL), the notice
/// line in changed files, NOTICE kept, and the SBOMs: the repack's own and upstream's kept true.
@Suite struct ReleaseMetadataTests {
    static let notice = "# Modified for demo-pure: the C extension is removed."

    /// The fixture's recipe with every release field set.
    static func releaseRecipe(strip: String = "[\"demo/_speedups.*\", \"demo/**/*_test.py\"]") -> (String, SHA256Digest) -> RecipeFiles {
        { name, digest in
            RecipeFiles(
                recipe: """
                    schema = 1
                    strip = \(strip)
                    notice = "\(notice)"

                    [source]
                    distribution = "demo"
                    canonical_platform = "linux"

                    [output]
                    distribution = "demo-pure"
                    tag = "py3-none-any"

                    [metadata]
                    summary = "Demo without its extension"
                    metadata_version = "2.5"
                    import_names = ["demo"]
                    license_expression = "Apache-2.0"
                    license_files = ["LICENSE"]
                    project_urls = ["Repack, https://example.invalid/demo-pure"]
                    [metadata.classifiers]
                    remove = ["Operating System :: *", "License :: *", "Programming Language :: Python :: 3.*"]
                    add = ["Operating System :: OS Independent", "Programming Language :: Python :: 3.9"]

                    [[overlay]]
                    versions = ">=1.0"
                    classifiers = { add = ["Programming Language :: Python :: 3.13"] }

                    [[patch]]
                    file = "demo/patches/0001-pure-import.diff"

                    [[inject]]
                    file = "demo/inject/_pure.py"
                    path = "demo/_pure.py"
                    """, distribution: "demo", pins: [(name, digest)])
        }
    }

    static func upstream(files extra: [WheelBuilder.File] = []) -> WheelBuilder {
        var builder = PipelineFixture.upstream()
        builder.files += extra
        builder.extraMetadata = [
            ("Summary", "Demo with a C extension"), ("Home-page", "https://example.invalid/demo"), ("License", "Apache 2.0"),
            ("Classifier", "License :: OSI Approved :: Apache Software License"), ("Classifier", "Operating System :: POSIX :: Linux"),
            ("Classifier", "Programming Language :: Python :: 3.11"), ("Classifier", "Topic :: Software Development"),
            ("Requires-Python", ">=3.9"), ("License-File", "LICENSE"), ("Dynamic", "license"), ("Dynamic", "classifier"),
        ]
        return builder
    }

    private func files(_ result: BuildResult) throws -> [String: [UInt8]] {
        let path = try #require(result.verified?.written.path)
        return try ZipReader.withArchive(atPath: path) { reader throws(ZipError) in
            var files = [String: [UInt8]]()
            for entry in reader.entries { files[entry.name] = try reader.read(entry) }
            return files
        }
    }

    private func text(_ files: [String: [UInt8]], _ name: String) throws -> String {
        String(decoding: try #require(files[name], "\(name) is missing"), as: UTF8.self)
    }

    @Test func writesTheRecipesReleaseFieldsAndMovesTheLicence() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(in: folder, upstream: Self.upstream(), recipeText: Self.releaseRecipe())
            let files = try files(try fixture.build())
            let metadata = try text(files, "demo_pure-1.0.dist-info/METADATA")
            #expect(
                metadata == """
                    Metadata-Version: 2.5
                    Name: demo-pure
                    Version: 1.0
                    Summary: Demo without its extension
                    Home-page: https://example.invalid/demo
                    License-Expression: Apache-2.0
                    Classifier: Topic :: Software Development
                    Classifier: Operating System :: OS Independent
                    Classifier: Programming Language :: Python :: 3.9
                    Classifier: Programming Language :: Python :: 3.13
                    Requires-Python: >=3.9
                    License-File: LICENSE
                    Dynamic: classifier
                    Project-URL: Repack, https://example.invalid/demo-pure
                    Import-Name: demo

                    """)
            // PEP 639: License-File names a file under .dist-info/licenses/.
            #expect(files["demo_pure-1.0.dist-info/licenses/LICENSE"] == Array("License text\n".utf8))
            #expect(files["demo_pure-1.0.dist-info/LICENSE"] == nil)
        }
    }

    @Test func aLicenceFileTheWheelLacksIsARecipeError() throws {
        try TemporaryDirectory.with { folder in
            let recipe = { (name: String, digest: SHA256Digest) -> RecipeFiles in
                var files = Self.releaseRecipe()(name, digest)
                files.recipe = files.recipe.replacingOccurrences(of: "license_files = [\"LICENSE\"]", with: "license_files = [\"COPYING\"]")
                return files
            }
            let fixture = try PipelineFixture.make(in: folder, upstream: Self.upstream(), recipeText: recipe)
            #expect(
                throws: PipelineError(
                    stage: .retag,
                    .build(.licenseFileMissing(recipe: fixture.recipePath, keyPath: "metadata.license_files[0]", file: "COPYING")))
            ) { try fixture.build() }
        }
    }

    @Test func patchedAndInjectedPythonFilesCarryTheNoticeAfterTheirHeader() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(in: folder, upstream: Self.upstream(), recipeText: Self.releaseRecipe())
            let files = try files(try fixture.build())
            // core.py opens with code (its docstring): the notice goes first.
            let core = try text(files, "demo/core.py")
            #expect(core.hasPrefix(Self.notice + "\n\"\"\"Core module.\"\"\"\n"))
            #expect(core.contains("from demo._pure import fast_sum"))
            #expect(try text(files, "demo/_pure.py") == Self.notice + "\ndef fast_sum(values):\n    return sum(values)\n")
            // Unchanged files stay as upstream shipped them.
            #expect(try text(files, "demo/__init__.py") == "from demo.core import total\n")
        }
    }

    @Test(arguments: [
        (
            "# Copyright 2024\n# Licensed under Apache-2.0\n\nimport os\n",
            "# Copyright 2024\n# Licensed under Apache-2.0\nNOTICE\n\nimport os\n"
        ),
        ("#!/usr/bin/env python\n# header\nx = 1\n", "#!/usr/bin/env python\n# header\nNOTICE\nx = 1\n"),
        ("x = 1\n", "NOTICE\nx = 1\n"),
        ("", "NOTICE\n"),
        ("# header\nNOTICE\nx = 1\n", "# header\nNOTICE\nx = 1\n"),
    ])
    func theNoticeGoesAfterTheLicenceHeader(_ input: String, _ expected: String) {
        #expect(NoticeStage.inserting("NOTICE", into: input) == expected)
    }

    @Test func aGlobThatStripsTheNoticeFileIsARecipeError() throws {
        try TemporaryDirectory.with { folder in
            let upstream = Self.upstream(files: [WheelBuilder.File("demo/NOTICE", "Demo\nCopyright 2024\n")])
            let fixture = try PipelineFixture.make(
                in: folder, upstream: upstream,
                recipeText: Self.releaseRecipe(strip: "[\"demo/_speedups.*\", \"demo/**/*_test.py\", \"demo/[A-Z]*\"]"))
            #expect(
                throws: PipelineError(
                    stage: .strip, .build(.noticeStripped(recipe: fixture.recipePath, keyPath: "strip[2]", path: "demo/NOTICE")))
            ) { try fixture.build() }
            let keeping = try PipelineFixture.make(in: "\(folder)/keep", upstream: upstream, recipeText: Self.releaseRecipe())
            #expect(try files(try keeping.build())["demo/NOTICE"] == Array("Demo\nCopyright 2024\n".utf8))
        }
    }

    @Test func theRepackSBOMNamesTheOutputItsAncestorAndTheRecipeFiles() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(in: folder, upstream: Self.upstream(), recipeText: Self.releaseRecipe())
            let result = try fixture.build()
            // The repack passes its own SBOM rules: nothing it lists as a file of the wheel is missing or differs.
            let report = WheelChecker().check(path: try #require(result.verified?.written.path))
            #expect(report.findings.filter { ("PW805"..."PW811").contains($0.code.rawValue) }.map(\.code) == [])
            let files = try files(result)
            let sbom = try text(files, "demo_pure-1.0.dist-info/sboms/purewheel.cdx.json")
            let document = try JSONSerialization.jsonObject(with: Data(sbom.utf8)) as? [String: Any]
            #expect(document?["specVersion"] as? String == "1.6")
            #expect(document?["serialNumber"] == nil)
            let metadata = try #require(document?["metadata"] as? [String: Any])
            #expect(metadata["timestamp"] == nil)
            let component = try #require(metadata["component"] as? [String: Any])
            #expect(component["purl"] as? String == "pkg:pypi/demo-pure@1.0")
            let ancestors = try #require((component["pedigree"] as? [String: Any])?["ancestors"] as? [[String: Any]])
            #expect(
                ancestors.map { $0["purl"] as? String } == ["pkg:pypi/demo@1.0?file_name=demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"])
            let ancestorHash = (ancestors.first?["hashes"] as? [[String: String]])?.first?["content"]
            #expect(ancestorHash == result.upstream.sha256.hex)
            let removed = (component["properties"] as? [[String: String]] ?? []).filter { $0["name"] == "purewheel:removed" }
            #expect(removed.map { $0["value"] } == ["demo/_speedups.*", "demo/**/*_test.py"])
            #expect(document?["components"] == nil, "the recipe's files are not files of the wheel")
            let formulation = try #require(document?["formulation"] as? [[String: Any]])
            let components = try #require(formulation.first?["components"] as? [[String: Any]])
            #expect(
                components.map { $0["bom-ref"] as? String } == [
                    "recipe:demo.toml", "lock:demo.lock", "patch:demo/patches/0001-pure-import.diff", "inject:demo/inject/_pure.py",
                ])
            let recipeHash = (components.first?["hashes"] as? [[String: String]])?.first?["content"]
            #expect(recipeHash == SHA256Digest.of(try TemporaryDirectory.read(fixture.recipePath)).hex)
            // Listed in RECORD like every other file.
            #expect(try text(files, "demo_pure-1.0.dist-info/RECORD").contains("demo_pure-1.0.dist-info/sboms/purewheel.cdx.json,sha256="))
            // Deterministic: the same bytes again, keys sorted.
            let again = try self.files(try fixture.build(out: "\(folder)/again"))
            #expect(again["demo_pure-1.0.dist-info/sboms/purewheel.cdx.json"] == Array(sbom.utf8))
            #expect(sbom.hasPrefix("{\n  \"bomFormat\" : \"CycloneDX\",\n  \"formulation\" : ["))
        }
    }

    @Test func aRevisionIsThePostReleaseEveryOutputNameSays() throws {
        try TemporaryDirectory.with { folder in
            let recipe = { (name: String, digest: SHA256Digest) -> RecipeFiles in
                var files = Self.releaseRecipe()(name, digest)
                files.recipe += "\n\n[versions.\"1.0\"]\nrevision = 2\n"
                return files
            }
            let fixture = try PipelineFixture.make(in: folder, upstream: Self.upstream(), recipeText: recipe)
            try FileManager.default.createDirectory(atPath: "\(folder)/.git", withIntermediateDirectories: true)
            let result = try fixture.build()
            let written = try #require(result.verified?.written)
            #expect(written.wheel.filename.description == "demo_pure-1.0.post2-py3-none-any.whl")
            #expect((written.path as NSString).lastPathComponent == "demo_pure-1.0.post2-py3-none-any.whl")
            let files = try files(result)
            #expect(files.keys.filter { !$0.hasPrefix("demo/") }.allSatisfy { $0.hasPrefix("demo_pure-1.0.post2.dist-info/") })
            let metadata = try text(files, "demo_pure-1.0.post2.dist-info/METADATA")
            #expect(metadata.contains("\nName: demo-pure\nVersion: 1.0.post2\n"))
            let sbom = try text(files, "demo_pure-1.0.post2.dist-info/sboms/purewheel.cdx.json")
            let document = try JSONSerialization.jsonObject(with: Data(sbom.utf8)) as? [String: Any]
            let component = try #require((document?["metadata"] as? [String: Any])?["component"] as? [String: Any])
            #expect(component["purl"] as? String == "pkg:pypi/demo-pure@1.0.post2")
            #expect(component["version"] as? String == "1.0.post2")
            // What it derives from is still upstream 1.0's pinned file.
            let ancestors = try #require((component["pedigree"] as? [String: Any])?["ancestors"] as? [[String: Any]])
            #expect(
                ancestors.map { $0["purl"] as? String } == ["pkg:pypi/demo@1.0?file_name=demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"])
            #expect(result.upstream.version == "1.0")
            let statement = try ProvenanceStatement(recording: written, from: result.upstream, context: fixture.context())
            #expect(statement.buildDefinition.externalParameters.revision == 2)
            #expect(statement.buildDefinition.externalParameters.upstreamVersion == "1.0")
            #expect(statement.subject.name == "demo_pure-1.0.post2-py3-none-any.whl")
            #expect(String(decoding: statement.jsonBytes(), as: UTF8.self).contains(#""revision" : 2,"#))
        }
    }

    /// An auditwheel 6.x SBOM: the wheel, and one component per grafted library, named by the OS package it came from.
    static func auditwheelSBOM(libraries: Int) -> String {
        let libs = (0..<libraries).map { index in
            """
            {"type": "library", "bom-ref": "pkg:rpm/almalinux/libfast\(index)@1.0-1.el8#aa\(index)", "name": "libfast\(index)", \
            "version": "1.0-1.el8", "purl": "pkg:rpm/almalinux/libfast\(index)@1.0-1.el8"}
            """
        }
        let wheel = #"{"type": "library", "bom-ref": "pkg:pypi/demo@1.0", "name": "demo", "version": "1.0", "purl": "pkg:pypi/demo@1.0"}"#
        let refs = (0..<libraries).map { "\"pkg:rpm/almalinux/libfast\($0)@1.0-1.el8#aa\($0)\"" }
        return """
            {"bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1,
             "metadata": {"component": \(wheel), "tools": [{"name": "auditwheel", "version": "6.8.2"}]},
             "components": [\(([wheel] + libs).joined(separator: ", "))],
             "dependencies": [{"ref": "pkg:pypi/demo@1.0", "dependsOn": [\(refs.joined(separator: ", "))]}\
            \((0..<libraries).map { ", {\"ref\": \"pkg:rpm/almalinux/libfast\($0)@1.0-1.el8#aa\($0)\"}" }.joined())]}
            """
    }

    static func auditwheelUpstream(sbom: String) -> WheelBuilder {
        upstream(files: [
            WheelBuilder.File("demo.libs/libfast0-1a2b3c4d.so.1.0", bytes: NativeMagic.elf),
            WheelBuilder.File("demo.libs/libfast1-5e6f7a8b.so.1.0", bytes: NativeMagic.elf),
            WheelBuilder.File("demo-1.0.dist-info/sboms/auditwheel.cdx.json", sbom),
        ])
    }

    @Test func anAuditwheelSBOMLosesTheLibrariesTheRecipeStrips() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(
                in: folder, upstream: Self.auditwheelUpstream(sbom: Self.auditwheelSBOM(libraries: 2)),
                recipeText: Self.releaseRecipe(strip: "[\"demo/_speedups.*\", \"demo/**/*_test.py\", \"demo.libs/**\"]"))
            let files = try files(try fixture.build())
            let rewritten = try text(files, "demo_pure-1.0.dist-info/sboms/auditwheel.cdx.json")
            #expect(!rewritten.contains("libfast"))
            let document = try JSONSerialization.jsonObject(with: Data(rewritten.utf8)) as? [String: Any]
            let components = try #require(document?["components"] as? [[String: Any]])
            #expect(components.map { $0["purl"] as? String } == ["pkg:pypi/demo@1.0"])
            let dependencies = try #require(document?["dependencies"] as? [[String: Any]])
            #expect(dependencies.count == 1)
            #expect((dependencies.first?["dependsOn"] as? [String]) == [])
            let own = try text(files, "demo_pure-1.0.dist-info/sboms/purewheel.cdx.json")
            #expect(
                own.contains(
                    "demo_pure-1.0.dist-info/sboms/auditwheel.cdx.json: rewritten without pkg:rpm/almalinux/libfast0@1.0-1.el8, "
                        + "pkg:rpm/almalinux/libfast1@1.0-1.el8 (removed by the recipe)"))
        }
    }

    @Test func anAuditwheelSBOMIsDroppedWhenOnlySomeGraftedLibrariesGo() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(
                in: folder, upstream: Self.auditwheelUpstream(sbom: Self.auditwheelSBOM(libraries: 2)),
                recipeText: Self.releaseRecipe(
                    strip: "[\"demo/_speedups.*\", \"demo/**/*_test.py\", \"demo.libs/libfast0-*\", \"demo.libs/libfast1-*\"]"))
            // Both go here, so it is rewritten; with one kept it must be dropped (next fixture).
            #expect(try files(try fixture.build())["demo_pure-1.0.dist-info/sboms/auditwheel.cdx.json"] != nil)
            var upstream = Self.auditwheelUpstream(sbom: Self.auditwheelSBOM(libraries: 2))
            upstream.files.append(WheelBuilder.File("demo.libs/README.txt", "grafted by auditwheel\n"))
            let partial = try PipelineFixture.make(
                in: "\(folder)/partial", upstream: upstream,
                recipeText: Self.releaseRecipe(strip: "[\"demo/_speedups.*\", \"demo/**/*_test.py\", \"demo.libs/*.so.*\"]"))
            let files = try files(try partial.build())
            #expect(files["demo_pure-1.0.dist-info/sboms/auditwheel.cdx.json"] == nil)
            #expect(
                try text(files, "demo_pure-1.0.dist-info/sboms/purewheel.cdx.json").contains(
                    "auditwheel.cdx.json: dropped (it names grafted libraries of which the recipe removed only some"))
        }
    }

    @Test func anSBOMThatNamesAStrippedFileOrCannotBeReadIsNotLeftClaimingIt() throws {
        try TemporaryDirectory.with { folder in
            let naming = """
                {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
                 {"type": "file", "bom-ref": "ext", "name": "_speedups.cpython-311-x86_64-linux-gnu.so"},
                 {"type": "file", "bom-ref": "core", "name": "core.py"}]}
                """
            let upstream = Self.upstream(files: [
                WheelBuilder.File("demo-1.0.dist-info/sboms/build.cdx.json", naming),
                // Valid SPDX, which purewheel does not rewrite; a malformed SBOM is refused by the input check (PW805).
                WheelBuilder.File(
                    "demo-1.0.dist-info/sboms/other.spdx.json", "{\"spdxVersion\": \"SPDX-2.3\", \"SPDXID\": \"SPDXRef-DOCUMENT\"}"),
            ])
            let fixture = try PipelineFixture.make(in: folder, upstream: upstream, recipeText: Self.releaseRecipe())
            let files = try files(try fixture.build())
            let rewritten = try text(files, "demo_pure-1.0.dist-info/sboms/build.cdx.json")
            #expect(!rewritten.contains("_speedups") && rewritten.contains("core.py"))
            #expect(files["demo_pure-1.0.dist-info/sboms/other.spdx.json"] == nil)
            #expect(
                try text(files, "demo_pure-1.0.dist-info/sboms/purewheel.cdx.json").contains(
                    "other.spdx.json: dropped (not CycloneDX JSON, so purewheel cannot tell what it claims)"))
        }
    }
}
