import PurewheelBasics
import Testing

@Suite struct EntryPathTests {
    @Test(arguments: [
        (id: "relative", name: "pkg/mod.py", problem: nil as EntryPath.Problem?),
        (id: "utf8", name: "pkg/dätä.txt", problem: nil),
        (id: "empty", name: "", problem: .empty),
        (id: "absolute", name: "/etc/passwd", problem: .absolute),
        (id: "parent", name: "pkg/../../x", problem: .parentReference),
        (id: "backslash", name: "pkg\\x.py", problem: .backslash),
        (id: "drive", name: "C:/x.py", problem: .driveLetter),
        (id: "nul", name: "a\u{0}b", problem: .controlCharacter),
        (id: "newline", name: "a\nb", problem: .controlCharacter),
        (id: "double slash", name: "a//b", problem: .emptySegment),
        (id: "dot", name: "./a", problem: .emptySegment),
    ])
    func classifiesNames(id: String, name: String, problem: EntryPath.Problem?) {
        #expect(EntryPath.problem(in: name) == problem, "\(id)")
    }

    @Test(arguments: [
        (id: "safe", name: "pkg/mod.py", problems: [EntryPath.Problem]()),
        (id: "folder entry", name: "pkg/", problems: []),
        (id: "absolute only", name: "/", problems: [.absolute]),
        (id: "everything", name: "/C:\\..//x\u{1B}", problems: [.controlCharacter, .absolute, .backslash, .emptySegment]),
        (id: "drive, parent and empty", name: "c:/../a//b", problems: [.driveLetter, .parentReference, .emptySegment]),
        (id: "absolute with parent", name: "/a/../b", problems: [.absolute, .parentReference]),
    ])
    func listsEveryProblemOfARawName(id: String, name: String, problems: [EntryPath.Problem]) {
        #expect(EntryPath.problems(in: Array(name.utf8)) == problems, "\(id)")
    }

    @Test func judgesNamesThatAreNotUTF8ByTheirASCIIBytes() {
        #expect(EntryPath.problems(in: [0xFF, 0x2F, 0x2E, 0x2E, 0x2F, 0x78]) == [.parentReference])
    }

    @Test func ordersByUTF8Bytes() throws {
        let names = ["b", "a/z", "B", "a_", "a/b", "é"]
        let sorted = try names.map { try EntryPath(validating: $0) }.sorted().map(\.rawValue)
        #expect(sorted == ["B", "a/b", "a/z", "a_", "b", "é"])
    }
}
