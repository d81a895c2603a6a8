import Foundation
import Provenance
import PurewheelBasics
import PurewheelTestSupport
import Testing
import WheelBuildTestSupport

@Suite struct ProvenanceStatementTests {
    /// Builds the pipeline fixture, with its folder made a repository root, and records its statement as `build` would.
    private func record(_ fixture: PipelineFixture, out: String? = nil, sourceDateEpoch: Int64? = nil) throws -> (
        statement: ProvenanceStatement, wheel: String
    ) {
        try FileManager.default.createDirectory(atPath: "\(fixture.folder)/.git", withIntermediateDirectories: true)
        let result = try fixture.build(out: out, sourceDateEpoch: sourceDateEpoch)
        let written = try #require(result.verified?.written)
        let statement = try ProvenanceStatement(
            recording: written, from: result.upstream, context: fixture.context(sourceDateEpoch: sourceDateEpoch))
        return (statement, written.path)
    }

    @Test func recordsTheWheelAndEveryInputItUsed() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(in: folder)
            let (statement, wheel) = try record(fixture)
            #expect(statement.subject.name == "demo_pure-1.0-py3-none-any.whl")
            #expect(statement.subject.sha256 == SHA256Digest.of(try TemporaryDirectory.read(wheel)))
            let dependencies = statement.buildDefinition.resolvedDependencies
            #expect(
                dependencies.map(\.name) == [
                    "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", "demo.toml", "demo.lock", "demo/patches/0001-pure-import.diff",
                    "demo/inject/_pure.py",
                ])
            #expect(dependencies[0].sha256 == SHA256Digest.of(try TemporaryDirectory.read(fixture.upstreamPath)))
            #expect(dependencies[0].uri == "pkg:pypi/demo@1.0?file_name=demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl")
            #expect(dependencies[2].sha256 == SHA256Digest.of(try TemporaryDirectory.read("\(folder)/recipes/demo.lock")))
            #expect(dependencies[3].sha256 == SHA256Digest.of(Array(PipelineFixture.patch.utf8)))
            #expect(
                statement.buildDefinition.externalParameters
                    == ProvenanceStatement.ExternalParameters(
                        recipe: "recipes/demo.toml", upstreamVersion: "1.0",
                        upstreamWheel: "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl",
                        outputDistribution: "demo-pure", revision: nil, sourceDateEpoch: nil
                    ))
            #expect(statement.builderVersion == PurewheelVersion.current)
            expectGolden(String(decoding: statement.jsonBytes(), as: UTF8.self), named: "demo.intoto.json")
        }
    }

    @Test func aBuildOfALocalFileWithoutALockRecordsNoLock() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(in: folder)
            try FileManager.default.removeItem(atPath: "\(folder)/recipes/demo.lock")
            let context = try fixture.context()
            let result = try fixture.build(.localFile(path: fixture.upstreamPath, allowUnpinned: true))
            let written = try #require(result.verified?.written)
            let statement = try ProvenanceStatement(recording: written, from: result.upstream, context: context)
            #expect(statement.buildDefinition.externalParameters.recipe == "demo.toml", "outside a repository: the file name")
            #expect(!statement.buildDefinition.resolvedDependencies.map(\.name).contains("demo.lock"))
        }
    }

    @Test func sameInputsGiveTheSameBytesWhateverTheFolders() throws {
        try TemporaryDirectory.with { folder in
            let first = try record(PipelineFixture.make(in: "\(folder)/a")).statement
            let second = try record(PipelineFixture.make(in: "\(folder)/b/c"), out: "\(folder)/elsewhere").statement
            #expect(first.jsonBytes() == second.jsonBytes())
            #expect(first.jsonBytes().last == UInt8(ascii: "\n"))
        }
    }

    @Test func roundTripsThroughJSON() throws {
        try TemporaryDirectory.with { folder in
            for epoch in [nil, 1_700_000_000] as [Int64?] {
                let statement = try record(PipelineFixture.make(in: "\(folder)/\(epoch ?? 0)"), sourceDateEpoch: epoch).statement
                let json = statement.jsonBytes()
                #expect(
                    String(decoding: json, as: UTF8.self).contains(
                        epoch.map { "\"source_date_epoch\" : \($0)" } ?? "\"source_date_epoch\" : null"))
                #expect(try ProvenanceStatement.decode(json, path: "s.json") == statement)
            }
        }
    }

    /// A recipe path as typed, and what the statement records for it; the layout is built under a fresh folder.
    struct RecipePathCase: CustomTestStringConvertible, Sendable {
        let typed: String
        let recorded: String
        var testDescription: String { typed }
    }

    @Test(arguments: [
        RecipePathCase(typed: "repo/recipes/x.toml", recorded: "recipes/x.toml"),
        RecipePathCase(typed: "repo/recipes/../recipes/./x.toml", recorded: "recipes/x.toml"),
        RecipePathCase(typed: "repo//recipes/x.toml", recorded: "recipes/x.toml"),
        RecipePathCase(typed: "link-to-recipes/x.toml", recorded: "recipes/x.toml"),
        RecipePathCase(typed: "repo/x.toml", recorded: "x.toml"),
        RecipePathCase(typed: "repo/nested/r/x.toml", recorded: "r/x.toml"),
        RecipePathCase(typed: "worktree/a/b/x.toml", recorded: "a/b/x.toml"),
        RecipePathCase(typed: "plain/recipes/x.toml", recorded: "x.toml"),
    ])
    func recordsTheRecipeRelativeToItsRepository(_ testCase: RecipePathCase) throws {
        try TemporaryDirectory.with { folder in
            for file in ["repo/recipes/x.toml", "repo/x.toml", "repo/nested/r/x.toml", "worktree/a/b/x.toml", "plain/recipes/x.toml"] {
                try TemporaryDirectory.write("", to: "\(folder)/\(file)")
            }
            try FileManager.default.createDirectory(atPath: "\(folder)/repo/.git", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: "\(folder)/repo/nested/.git", withIntermediateDirectories: true)
            // A worktree's or submodule's .git is a file.
            try TemporaryDirectory.write("gitdir: elsewhere\n", to: "\(folder)/worktree/.git")
            try FileManager.default.createSymbolicLink(atPath: "\(folder)/link-to-recipes", withDestinationPath: "\(folder)/repo/recipes")
            #expect(try ProvenanceStatement.recordedRecipePath("\(folder)/\(testCase.typed)") == testCase.recorded)
            // Relative to the process's working folder, wherever that is, the same.
            let relative = String(repeating: "../", count: FileManager.default.currentDirectoryPath.split(separator: "/").count)
            #expect(try ProvenanceStatement.recordedRecipePath(relative + folder.dropFirst() + "/" + testCase.typed) == testCase.recorded)
        }
    }

    @Test func aRecipeFolderThatDoesNotResolveIsNotFound() {
        #expect(throws: FileSystemError.notFound(path: "/nonexistent/recipes")) {
            try ProvenanceStatement.recordedRecipePath("/nonexistent/recipes/x.toml")
        }
    }

    /// Names and paths come from the user's files and may hold anything: every control character, quote and backslash is escaped as
    /// JSON requires, slashes and non-ASCII text are kept, and the text reads back to the same statement.
    @Test func escapesStringsAsJSONRequires() throws {
        let digest = SHA256Digest.of(Array("wheel".utf8))
        let recipe = "recipes/\"quoted\" \\ tab\t nl\n cr\r bs\u{8} ff\u{C} us\u{1F} del\u{7F} caf\u{E9}.toml"
        let recipeName = String(recipe.split(separator: "/").last ?? "")
        let statement = ProvenanceStatement(
            subject: ResourceDescriptor(name: "demo_pure-1.0-py3-none-any.whl", sha256: digest),
            buildDefinition: ProvenanceStatement.BuildDefinition(
                externalParameters: ProvenanceStatement.ExternalParameters(
                    recipe: recipe, upstreamVersion: "1.0", upstreamWheel: "demo-1.0-py3-none-any.whl", outputDistribution: "demo\u{0}pure",
                    revision: 3,
                    sourceDateEpoch: 1),
                internalParameters: ProvenanceStatement.InternalParameters(upstreamPinned: false),
                resolvedDependencies: [
                    ResourceDescriptor(name: "demo-1.0-py3-none-any.whl", uri: "pkg:pypi/demo@1.0", sha256: digest),
                    ResourceDescriptor(name: recipeName, sha256: digest),
                ]
            ),
            builderVersion: "0.1.0"
        )
        let json = statement.jsonBytes()
        let text = String(decoding: json, as: UTF8.self)
        #expect(
            text.contains(
                #""recipe" : "recipes/\"quoted\" \\ tab\t nl\n cr\r bs\b ff\f us\u001f del\#u{7F} caf\#u{E9}.toml","#))
        #expect(text.contains(#""output_distribution" : "demo\u0000pure","#))
        #expect(text.contains(#""source_date_epoch" : 1"#))
        #expect(text.contains(#""upstream_pinned" : false"#))
        #expect(text.contains(#""uri" : "pkg:pypi/demo@1.0""#))
        #expect(try ProvenanceStatement.decode(json, path: "s.json") == statement)
    }

    /// A statement text that must be refused, and where and why.
    struct MalformedCase: CustomTestStringConvertible, Sendable {
        let name: String
        let edit: @Sendable (String) -> String
        let keyPath: String
        let problem: @Sendable (ProvenanceError.Problem) -> Bool
        var testDescription: String { name }

        init(_ name: String, _ edit: @escaping @Sendable (String) -> String, at keyPath: String, _ problem: ProvenanceError.Problem) {
            self.init(name, edit, at: keyPath) { $0 == problem }
        }

        init(
            _ name: String, _ edit: @escaping @Sendable (String) -> String, at keyPath: String,
            matching problem: @escaping @Sendable (ProvenanceError.Problem) -> Bool
        ) {
            self.name = name
            self.edit = edit
            self.keyPath = keyPath
            self.problem = problem
        }
    }

    static let malformedCases: [MalformedCase] = [
        MalformedCase("not JSON", { _ in "not json" }, at: "", .notJSON(reason: "expected a value, found 'n'", line: 1, column: 1)),
        MalformedCase(
            "a trailing comma", { $0.replacingOccurrences(of: "\"upstream_pinned\" : true", with: "\"upstream_pinned\" : true,") }, at: "",
            .notJSON(reason: "expected a member name in double quotes, found '}'", line: 16, column: 7)),
        MalformedCase("an array, not an object", { _ in "[]" }, at: "", .wrongType(expected: "an object", found: "an array")),
        MalformedCase(
            "a subject given twice, the forged one last", { $0.replacingOccurrences(of: "\n}", with: ",\n\"subject\" : []\n}") }, at: "",
            .duplicateKey("subject")),
        MalformedCase(
            "a subject given twice, the forged one first",
            { $0.replacingOccurrences(of: "{\n  \"_type\"", with: "{\"subject\" : [], \"_type\"") },
            at: "", .duplicateKey("subject")),
        MalformedCase(
            "a nested key given twice, spelled with an escape",
            {
                $0.replacingOccurrences(
                    of: "\"upstream_version\" : \"1.0\"", with: "\"upstream_version\" : \"1.0\", \"upstream\\u005fversion\" : \"9\"")
            },
            at: "predicate.buildDefinition.externalParameters", .duplicateKey("upstream_version")),
        MalformedCase(
            "an unknown key", { $0.replacingOccurrences(of: "\"recipe\" :", with: "\"recipes\" : \"x\", \"recipe\" :") },
            at: "predicate.buildDefinition.externalParameters.recipes", .unknownKey),
        MalformedCase(
            "a digest that is not checked",
            { text in
                // The subject comes last (keys are sorted), so the last digest is the wheel's.
                guard let last = text.range(of: "\"sha256\" : \"", options: .backwards) else { return text }
                return text.replacingCharacters(in: last, with: "\"sha512\" : \"00\", \"sha256\" : \"")
            },
            at: "subject[0].digest.sha512", .unknownKey),
        MalformedCase(
            "a negative epoch", { $0.replacingOccurrences(of: "\"source_date_epoch\" : null", with: "\"source_date_epoch\" : -5") },
            at: "predicate.buildDefinition.externalParameters.source_date_epoch",
            .invalidValue("expected null or a non-negative whole number of seconds that fits in 64 bits, found -5")),
        MalformedCase(
            "a fractional epoch", { $0.replacingOccurrences(of: "\"source_date_epoch\" : null", with: "\"source_date_epoch\" : 1.5") },
            at: "predicate.buildDefinition.externalParameters.source_date_epoch",
            .invalidValue("expected null or a non-negative whole number of seconds that fits in 64 bits, found 1.5")),
        MalformedCase(
            "a second entry of one name",
            { $0.replacingOccurrences(of: "\"name\" : \"demo/inject/_pure.py\"", with: "\"name\" : \"demo.toml\"") },
            at: "predicate.buildDefinition.resolvedDependencies[4].name", .invalidValue("a second entry named demo.toml")),
        MalformedCase(
            "an absolute dependency",
            { $0.replacingOccurrences(of: "\"name\" : \"demo/inject/_pure.py\"", with: "\"name\" : \"/etc/passwd\"") },
            at: "predicate.buildDefinition.resolvedDependencies[4].name",
            .invalidValue("the recipe-side file /etc/passwd is an absolute path")),
        MalformedCase(
            "a dependency climbing out",
            { $0.replacingOccurrences(of: "\"name\" : \"demo/inject/_pure.py\"", with: "\"name\" : \"demo/../../x\"") },
            at: "predicate.buildDefinition.resolvedDependencies[4].name",
            .invalidValue("the recipe-side file demo/../../x climbs out of its folder with '..'")),
        MalformedCase(
            "an absolute recipe",
            { $0.replacingOccurrences(of: "\"recipe\" : \"recipes/demo.toml\"", with: "\"recipe\" : \"/w/recipes/demo.toml\"") },
            at: "predicate.buildDefinition.externalParameters.recipe",
            .invalidValue("the recipe path /w/recipes/demo.toml is an absolute path")),
        MalformedCase(
            "a recipe path with '..'",
            { $0.replacingOccurrences(of: "\"recipe\" : \"recipes/demo.toml\"", with: "\"recipe\" : \"../w/demo.toml\"") },
            at: "predicate.buildDefinition.externalParameters.recipe",
            .invalidValue("the recipe path ../w/demo.toml climbs out of its folder with '..'")),
        MalformedCase(
            "an unlisted recipe", { $0.replacingOccurrences(of: "\"name\" : \"demo.toml\"", with: "\"name\" : \"other.toml\"") },
            at: "predicate.buildDefinition.resolvedDependencies", .invalidValue("the recipe demo.toml is not listed")),
        MalformedCase(
            "an upstream wheel name with a folder",
            { $0.replacingOccurrences(of: "\"upstream_wheel\" : \"", with: "\"upstream_wheel\" : \"../") },
            at: "predicate.buildDefinition.externalParameters.upstream_wheel",
            .invalidValue("the upstream wheel's name ../demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl holds a '/'")),
        MalformedCase(
            "another statement type", { $0.replacingOccurrences(of: "Statement/v1", with: "Statement/v0.1") }, at: "_type",
            .invalidValue("expected https://in-toto.io/Statement/v1, found https://in-toto.io/Statement/v0.1")
        ),
        MalformedCase(
            "another build type", { $0.replacingOccurrences(of: "recipe-build:v1", with: "other") },
            at: "predicate.buildDefinition.buildType",
            .invalidValue("expected urn:purewheel:recipe-build:v1, found urn:purewheel:other")
        ),
        MalformedCase("no subject", { $0.replacingOccurrences(of: "\"subject\"", with: "\"subjects\"") }, at: "subject", .missingKey),
        MalformedCase(
            "long digest", { $0.replacingOccurrences(of: "\"sha256\" : \"", with: "\"sha256\" : \"0") }, at: "subject[0].digest.sha256",
            matching: { if case .invalidValue(let reason) = $0 { reason.hasSuffix("' is not 64 hexadecimal digits") } else { false } }
        ),
        MalformedCase(
            "epoch as text", { $0.replacingOccurrences(of: "\"source_date_epoch\" : null", with: "\"source_date_epoch\" : \"0\"") },
            at: "predicate.buildDefinition.externalParameters.source_date_epoch",
            .wrongType(expected: "null or a number", found: "a string")
        ),
        MalformedCase(
            "no epoch", { $0.replacingOccurrences(of: "\"source_date_epoch\" : null,", with: "") },
            at: "predicate.buildDefinition.externalParameters.source_date_epoch", .missingKey),
        MalformedCase(
            "no revision", { $0.replacingOccurrences(of: "\"revision\" : null,", with: "") },
            at: "predicate.buildDefinition.externalParameters.revision", .missingKey),
        MalformedCase(
            "revision as text", { $0.replacingOccurrences(of: "\"revision\" : null", with: "\"revision\" : \"2\"") },
            at: "predicate.buildDefinition.externalParameters.revision", .wrongType(expected: "null or a number", found: "a string")),
        MalformedCase(
            "revision 0", { $0.replacingOccurrences(of: "\"revision\" : null", with: "\"revision\" : 0") },
            at: "predicate.buildDefinition.externalParameters.revision", .invalidValue("expected null or a whole number from 1 up, found 0")
        ),
        MalformedCase(
            "revision spelled otherwise than written", { $0.replacingOccurrences(of: "\"revision\" : null", with: "\"revision\" : 02") },
            at: "", matching: { if case .notJSON = $0 { true } else { false } }),
        MalformedCase(
            "revision with an exponent", { $0.replacingOccurrences(of: "\"revision\" : null", with: "\"revision\" : 2e0") },
            at: "predicate.buildDefinition.externalParameters.revision",
            .invalidValue("expected null or a whole number from 1 up, found 2e0")),
    ]

    @Test(arguments: malformedCases) func refusesMalformedStatements(_ testCase: MalformedCase) throws {
        try TemporaryDirectory.with { folder in
            let json = String(decoding: try record(PipelineFixture.make(in: folder)).statement.jsonBytes(), as: UTF8.self)
            let edited = testCase.edit(json)
            #expect(edited != json)
            let error = #expect(throws: ProvenanceError.self) { try ProvenanceStatement.decode(Array(edited.utf8), path: "s.json") }
            guard case .malformedStatement(let path, let keyPath, let problem) = error else {
                Issue.record("unexpected \(String(describing: error))")
                return
            }
            #expect(path == "s.json")
            #expect(keyPath == testCase.keyPath)
            #expect(testCase.problem(problem), "\(problem)")
            #expect(error?.category == .badInput)
        }
    }
}
