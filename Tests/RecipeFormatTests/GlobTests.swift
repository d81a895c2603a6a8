import RecipeFormat
import Testing

@Suite struct GlobTests {
    @Test(arguments: [
        (pattern: "pkg/*.py", path: "pkg/a.py", matches: true),
        (pattern: "pkg/*.py", path: "pkg/sub/a.py", matches: false),
        (pattern: "pkg/**/*_test.py", path: "pkg/a_test.py", matches: true),
        (pattern: "pkg/**/*_test.py", path: "pkg/x/y/a_test.py", matches: true),
        (pattern: "pkg/**", path: "pkg/x/y", matches: true),
        (pattern: "**/*.so", path: "a.so", matches: true),
        (pattern: "pkg/ext.*", path: "pkg/ext.cpython-311-x86_64-linux-gnu.so", matches: true),
        (pattern: "pkg/ext.*", path: "pkg/extra.py", matches: false),
        (pattern: "pkg/?.py", path: "pkg/ab.py", matches: false),
        (pattern: "pkg/[ab].py", path: "pkg/b.py", matches: true),
        (pattern: "pkg/[!ab].py", path: "pkg/b.py", matches: false),
        (pattern: "pkg/[a-c]x", path: "pkg/cx", matches: true),
        (pattern: "Pkg/a.py", path: "pkg/a.py", matches: false),
        (pattern: "ml_metadata.libs/**", path: "ml_metadata.libs/libfoo.so.1", matches: true),
    ])
    func matchesWholePaths(pattern: String, path: String, matches: Bool) throws {
        #expect(try Glob(pattern).matches(path) == matches)
    }

    @Test(arguments: [
        (pattern: "", problem: Glob.Problem.empty),
        (pattern: "/abs", problem: .absolute),
        (pattern: "a/[bc", problem: .unclosedBracket),
        (pattern: "a/x**", problem: .doubleStarInsideSegment),
    ])
    func rejectsBadPatterns(pattern: String, problem: Glob.Problem) {
        #expect(throws: problem) { try Glob(pattern) }
    }
}
