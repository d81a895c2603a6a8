import PurewheelBasics
import RecipeFormat
import Testing
import UpstreamIndex

/// `LockChange`: a lock handed on by the release workflow must only add pins of the versions it was run for.
@Suite struct LockChangeTests {
    static let a = String(repeating: "a", count: 64)
    static let b = String(repeating: "b", count: 64)
    static let c = String(repeating: "c", count: 64)

    static func lock(_ body: String, distribution: String = "ml-metadata") -> String {
        "schema = 1\ndistribution = \"\(distribution)\"\n" + body
    }

    static func version(_ version: String, _ files: [(String, String)]) -> String {
        "\n[versions.\"\(version)\"]\n" + files.map { "\"\($0.0)\" = \"\($0.1)\"\n" }.joined()
    }

    static func wheel(_ version: String, _ tag: String = "cp311-cp311-manylinux_2_17_x86_64") -> String {
        "ml_metadata-\(version)-\(tag).whl"
    }

    static let base = lock(version("1.17.1", [(wheel("1.17.1"), a), (wheel("1.17.1", "cp310-cp310-manylinux_2_17_x86_64"), b)]))

    static func parse(_ text: String, _ path: String = "head.lock") throws -> Lockfile {
        try Lockfile.parse(bytes: Array(text.utf8), path: path)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let head: String
        let versions: [String]
        let added: [String]
        let differences: [LockChange.Difference]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "adds one version", head: base + version("1.22.0", [(wheel("1.22.0"), c)]), versions: ["1.22.0"],
            added: [wheel("1.22.0")], differences: []),
        Case(
            name: "adds two versions in one change",
            head: base + version("1.22.0", [(wheel("1.22.0"), c)]) + version("1.23.0", [(wheel("1.23.0"), a)]),
            versions: ["1.23.0", "1.22.0"], added: [wheel("1.22.0"), wheel("1.23.0")], differences: []),
        Case(
            name: "adds a file to a named version already pinned",
            head: lock(
                version(
                    "1.17.1",
                    [
                        (wheel("1.17.1"), a), (wheel("1.17.1", "cp310-cp310-manylinux_2_17_x86_64"), b),
                        (wheel("1.17.1", "cp39-cp39-win_amd64"), c),
                    ])),
            versions: ["1.17.1"], added: [wheel("1.17.1", "cp39-cp39-win_amd64")], differences: []),
        Case(
            name: "a named version spelled otherwise", head: base + version("1.22.0", [(wheel("1.22.0"), c)]), versions: ["1.22"],
            added: [wheel("1.22.0")], differences: []),
        Case(
            name: "changes an existing pin",
            head: lock(
                version("1.17.1", [(wheel("1.17.1"), c), (wheel("1.17.1", "cp310-cp310-manylinux_2_17_x86_64"), b)])
                    + version("1.22.0", [(wheel("1.22.0"), c)])),
            versions: ["1.22.0"], added: [wheel("1.22.0")],
            differences: [.pinChanged(version: "1.17.1", file: wheel("1.17.1"), base: digest(a), head: digest(c))]),
        Case(
            name: "removes a pin",
            head: lock(version("1.17.1", [(wheel("1.17.1"), a)]) + version("1.22.0", [(wheel("1.22.0"), c)])),
            versions: ["1.22.0"], added: [wheel("1.22.0")],
            differences: [.pinRemoved(version: "1.17.1", file: wheel("1.17.1", "cp310-cp310-manylinux_2_17_x86_64"))]),
        Case(
            name: "removes a version", head: lock(version("1.22.0", [(wheel("1.22.0"), c)])), versions: ["1.22.0"],
            added: [wheel("1.22.0")], differences: [.versionRemoved(version: "1.17.1")]),
        Case(
            name: "adds a version not named",
            head: base + version("1.22.0", [(wheel("1.22.0"), c)]) + version("1.23.0", [(wheel("1.23.0"), a)]), versions: ["1.22.0"],
            added: [wheel("1.22.0")], differences: [.pinOfOtherVersion(version: "1.23.0", file: wheel("1.23.0"))]),
        Case(
            name: "adds a file to a pinned version not named",
            head: lock(
                version(
                    "1.17.1",
                    [
                        (wheel("1.17.1"), a), (wheel("1.17.1", "cp310-cp310-manylinux_2_17_x86_64"), b),
                        (wheel("1.17.1", "cp39-cp39-win_amd64"), c),
                    ])
                    + version("1.22.0", [(wheel("1.22.0"), c)])),
            versions: ["1.22.0"], added: [wheel("1.22.0")],
            differences: [.pinOfOtherVersion(version: "1.17.1", file: wheel("1.17.1", "cp39-cp39-win_amd64"))]),
        Case(
            name: "respells a pinned version",
            head: lock(
                version("1.17.1.0", [(wheel("1.17.1.0"), a), (wheel("1.17.1.0", "cp310-cp310-manylinux_2_17_x86_64"), b)])
                    + version("1.22.0", [(wheel("1.22.0"), c)])),
            versions: ["1.22.0"], added: [wheel("1.22.0")],
            differences: [
                .versionRespelled(base: "1.17.1", head: "1.17.1.0"),
                .pinRemoved(version: "1.17.1.0", file: wheel("1.17.1", "cp310-cp310-manylinux_2_17_x86_64")),
                .pinRemoved(version: "1.17.1.0", file: wheel("1.17.1")),
                .pinOfOtherVersion(version: "1.17.1.0", file: wheel("1.17.1.0", "cp310-cp310-manylinux_2_17_x86_64")),
                .pinOfOtherVersion(version: "1.17.1.0", file: wheel("1.17.1.0")),
            ]),
        Case(
            name: "a named version gains nothing", head: base + version("1.22.0", [(wheel("1.22.0"), c)]),
            versions: ["1.22.0", "1.23.0"], added: [wheel("1.22.0")], differences: [.nothingAdded(version: "1.23.0")]),
        Case(name: "no change at all", head: base, versions: ["1.22.0"], added: [], differences: [.nothingAdded(version: "1.22.0")]),
    ]

    static func digest(_ hex: String) -> SHA256Digest { SHA256Digest(hex: hex)! }

    @Test(arguments: cases) func comparesAgainstTheNamedVersions(_ entry: Case) throws {
        let change = LockChange(base: try Self.parse(Self.base, "base.lock"), head: try Self.parse(entry.head), versions: entry.versions)
        #expect(change.added.map(\.pin.filename.description) == entry.added)
        #expect(change.differences == entry.differences)
        #expect(change.onlyAddsNamedPins == entry.differences.isEmpty)
    }

    @Test func anotherDistributionIsADifference() throws {
        let other = Self.lock("", distribution: "other-project")
        let change = LockChange(base: try Self.parse(Self.base, "base.lock"), head: try Self.parse(other), versions: ["1.17.1"])
        #expect(change.differences.first == .distributionChanged(base: "ml-metadata", head: "other-project"))
        #expect(change.differences.contains(.versionRemoved(version: "1.17.1")))
    }

    @Test func theAddedPinsCarryTheirDigests() throws {
        let change = LockChange(
            base: try Self.parse(Self.base, "base.lock"),
            head: try Self.parse(Self.base + Self.version("1.22.0", [(Self.wheel("1.22.0"), Self.c)])),
            versions: ["1.22.0"])
        #expect(change.added.map(\.pin.sha256) == [Self.digest(Self.c)])
        #expect(change.added.map(\.version) == ["1.22.0"])
    }

    @Test func aLockThatIsNotUTF8IsRefusedNotRepaired() {
        var bytes = Array(Self.base.utf8)
        bytes.insert(0xFF, at: bytes.count - 3)
        #expect(throws: RecipeError.invalidValue(path: "head.lock", keyPath: "", reason: "the lock is not UTF-8 text")) {
            try Lockfile.parse(bytes: bytes, path: "head.lock")
        }
    }

    @Test func aLockWithoutADistributionNamesTheKey() {
        #expect(throws: RecipeError.missingKey(path: "head.lock", keyPath: "distribution")) {
            try Lockfile.parse(bytes: Array("schema = 1\n".utf8), path: "head.lock")
        }
    }

    @Test func aFileOfAnotherVersionIsRefusedAsTheReaderRefusesIt() {
        let text = Self.lock(Self.version("1.22.0", [(Self.wheel("1.23.0"), Self.c)]))
        #expect(throws: RecipeError.self) { try Lockfile.parse(bytes: Array(text.utf8), path: "head.lock") }
    }
}
