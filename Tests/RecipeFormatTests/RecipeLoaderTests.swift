import Foundation
import RecipeFormat
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

        [output]
        distribution = "demo-pure"
        tag = "py3-none-any"
        post_release = 2

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

        [versions."1.0"]
        post_release = 5
        [versions."1.0".wheels]
        "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl" = "\(pin)"
        "demo-1.0-cp311-cp311-win_amd64.whl" = "\(pin)"
        """

    static func load(_ text: String, existing: Set<String> = ["r/patches/0001.diff", "r/patches/0002.diff", "r/inject/x.py"]) throws(RecipeError) -> Recipe {
        try RecipeLoader.parse(text, path: "r/demo.toml", fileExists: { existing.contains($0) })
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
        #expect(perPython?.requirements.map(\.description) == ["protobuf<5; python_version < \"3.11\"", "protobuf<6; python_version >= \"3.11\""])
        #expect(recipe.requirementEdits(version: "1.0", platform: .linux).replace.count == 1)
        #expect(recipe.outputVersion(for: "1.0") == "1.0.post5")
        #expect(recipe.steps(version: "1.0", platform: .linux).patches.count == 1)
        let windows = recipe.steps(version: "1.0", platform: .windows).patches
        #expect(windows.map(\.keyPath) == ["patch[0]", "overlay[0].patch[0]"])
        #expect(windows.last?.maxOffset == 3)
        #expect(recipe.versions.first?.wheels.count == 2)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let id: String
        let replace: (String, String)
        let error: RecipeError
        var testDescription: String { id }
    }

    static let cases = [
        Case(id: "unknown top-level key", replace: ("schema = 1\n", "schema = 1\nstirp = []\n"),
             error: .unknownKey(path: "r/demo.toml", keyPath: "stirp")),
        Case(id: "unknown nested key", replace: ("post_release = 2\n", "post_release = 2\ncolor = 1\n"),
             error: .unknownKey(path: "r/demo.toml", keyPath: "output.color")),
        Case(id: "wrong type", replace: ("post_release = 2", "post_release = \"2\""),
             error: .wrongType(path: "r/demo.toml", keyPath: "output.post_release", expected: "an integer", actual: "a string")),
        Case(id: "wrong element type", replace: ("\"pkg/_ext.*\"", "3"),
             error: .wrongType(path: "r/demo.toml", keyPath: "strip[0]", expected: "a string", actual: "an integer")),
        Case(id: "missing key", replace: ("summary = \"Pure demo\"\n", ""),
             error: .missingKey(path: "r/demo.toml", keyPath: "metadata.summary")),
        Case(id: "missing file", replace: ("inject/x.py", "inject/y.py"),
             error: .missingFile(path: "r/demo.toml", keyPath: "inject[0].file", file: "inject/y.py")),
        Case(id: "bad pin", replace: ("\(pin)\"\n\"demo", "abc\"\n\"demo"),
             error: .invalidValue(path: "r/demo.toml", keyPath: "versions.\"1.0\".wheels.\"demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl\"", reason: "'abc' is not 64 hexadecimal digits")),
        Case(id: "bad glob", replace: ("\"pkg/_ext.*\"", "\"pkg/[ab\""),
             error: .invalidValue(path: "r/demo.toml", keyPath: "strip[0]", reason: "'pkg/[ab' is not a valid glob (unclosedBracket)")),
        Case(id: "other tag", replace: ("tag = \"py3-none-any\"", "tag = \"cp311-cp311-linux_x86_64\""),
             error: .invalidValue(path: "r/demo.toml", keyPath: "output.tag", reason: "'cp311-cp311-linux_x86_64' is not supported; schema 1 produces py3-none-any wheels only")),
        Case(id: "overlay names unknown version", replace: ("versions = [\"1.0\"]", "versions = [\"9.9\"]"),
             error: .invalidValue(path: "r/demo.toml", keyPath: "overlay[0].versions[0]", reason: "version 9.9 has no [versions] table")),
        Case(id: "schema", replace: ("schema = 1", "schema = 2"),
             error: .invalidValue(path: "r/demo.toml", keyPath: "schema", reason: "schema 2 is not supported (this purewheel reads schema 1)")),
    ]

    @Test(arguments: cases)
    func reportsTheExactKey(_ testCase: Case) {
        let text = Self.valid.replacingOccurrences(of: testCase.replace.0, with: testCase.replace.1)
        #expect(text != Self.valid, "the case must change the recipe")
        #expect(throws: testCase.error) { try Self.load(text) }
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
