import PurewheelBasics
import RecipeFormat
import Testing
import WheelModel

@testable import WheelBuild

/// `relax` entries widen upstream's upper bounds in `Requires-Dist`, and the description lists each one with its reason.
@Suite struct RelaxedBoundsTests {
    static let upstream = """
        Metadata-Version: 2.1
        Name: demo
        Version: 1.0
        Summary: Demo
        Requires-Dist: Attrs (<24,>=20.3)
        Requires-Dist: protobuf<5,>=3.20; python_version < "3.11"
        Requires-Dist: protobuf<5,>=4.25; python_version >= "3.11"
        Requires-Dist: six<2,>=1.10
        Description-Content-Type: text/markdown

        Upstream description.

        """

    static func recipe(relax: String) throws -> Recipe {
        let text = """
            schema = 1

            [source]
            distribution = "demo"
            canonical_platform = "linux"

            [output]
            distribution = "demo-pure"
            tag = "py3-none-any"

            [metadata]
            summary = "Demo without its extension"
            description_note = "Built by purewheel."
            [metadata.requirements]
            relax = [{ project = "protobuf", from = "<5", to = "<7", reason = "The workload passes with protobuf 6." }]

            [[overlay]]
            versions = ">=1.0"
            requirements = { relax = [\(relax)] }
            """
        return try RecipeLoader.parse(text, path: "r/demo.toml", lockText: nil, fileExists: { _ in true })
    }

    static func rewrite(_ recipe: Recipe) throws(PipelineError.Cause) -> String {
        let edits = recipe.requirementEdits(version: "1.0", platform: .linux)
        let metadata: CoreMetadata
        do throws(WheelFormatError) { metadata = try CoreMetadata(parsing: upstream, file: "METADATA") } catch { throw .wheelFormat(error) }
        let rewriter = MetadataRewriter(
            recipe: recipe, version: "1.0", requirementEdits: edits,
            classifierEdits: recipe.classifierEdits(version: "1.0", platform: .linux))
        return try rewriter.rewrite(metadata).serialized()
    }

    @Test func relaxedBoundsAreWrittenAndListedAfterTheNote() throws {
        let recipe = try Self.recipe(relax: #"{ project = "attrs", from = "< 24", to = "<27", reason = "attrs 26 passes the workload." }"#)
        let metadata = try Self.rewrite(recipe)
        #expect(
            metadata == """
                Metadata-Version: 2.1
                Name: demo-pure
                Version: 1.0
                Summary: Demo without its extension
                Requires-Dist: Attrs<27,>=20.3
                Requires-Dist: protobuf<7,>=3.20; python_version < "3.11"
                Requires-Dist: protobuf<7,>=4.25; python_version >= "3.11"
                Requires-Dist: six<2,>=1.10
                Description-Content-Type: text/markdown

                Built by purewheel.

                Upper bounds of upstream's requirements that this build relaxes:

                - `protobuf<5` → `protobuf<7`: The workload passes with protobuf 6.
                - `Attrs<24` → `Attrs<27`: attrs 26 passes the workload.

                Upstream description.

                """)
    }

    @Test func aBoundUpstreamDoesNotHaveFailsNamingTheEntry() throws {
        let recipe = try Self.recipe(relax: #"{ project = "six", from = "<3", to = "<4", reason = "six 3 passes." }"#)
        #expect(
            throws: PipelineError.Cause.build(
                .boundNotFound(recipe: "r/demo.toml", keyPath: "overlay[0].requirements.relax[0]", project: "six", bound: "<3"))
        ) {
            try Self.rewrite(recipe)
        }
    }
}
