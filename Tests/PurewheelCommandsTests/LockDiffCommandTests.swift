import Foundation
import PurewheelTestSupport
import Testing

/// `purewheel lock-diff`: what the release workflow runs on a new lock before a job that may push trusts it.
@Suite struct LockDiffCommandTests {
    static let a = String(repeating: "a", count: 64)
    static let c = String(repeating: "c", count: 64)
    static let pinned = "ml_metadata-1.17.1-cp311-cp311-manylinux_2_17_x86_64.whl"
    static let new = "ml_metadata-1.22.0-cp311-cp311-manylinux_2_17_x86_64.whl"
    static let base = "schema = 1\ndistribution = \"ml-metadata\"\n\n[versions.\"1.17.1\"]\n\"\(pinned)\" = \"\(a)\"\n"

    private func run(_ head: String, versions: [String] = ["1.22.0"], base: String = Self.base) throws -> (CommandRun, String) {
        try TemporaryDirectory.with { folder in
            try TemporaryDirectory.write(base, to: "\(folder)/base.lock")
            try TemporaryDirectory.write(head, to: "\(folder)/head.lock")
            let run = CommandRun.run(
                ["lock-diff", "--base", "\(folder)/base.lock", "--head", "\(folder)/head.lock", "--only-versions"] + versions)
            return (run, folder)
        }
    }

    @Test func onlyAddedPinsOfTheNamedVersionExitZeroAndAreListed() throws {
        let (run, folder) = try run(Self.base + "\n[versions.\"1.22.0\"]\n\"\(Self.new)\" = \"\(Self.c)\"\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "  \(Self.new)  sha256 \(Self.c)\n\(folder)/head.lock only adds pins of 1.22.0 (1 file)\n")
        #expect(run.stderr == "")
    }

    @Test func aChangedPinBesideTheNewVersionIsExitOne() throws {
        let head = Self.base.replacingOccurrences(of: Self.a, with: Self.c) + "\n[versions.\"1.22.0\"]\n\"\(Self.new)\" = \"\(Self.c)\"\n"
        let (run, folder) = try run(head)
        #expect(run.status == 1)
        #expect(
            run.stdout
                == "  1.17.1: \(Self.pinned) changes its pin from sha256 \(Self.a) to sha256 \(Self.c)\n1 change other than added pins\n")
        #expect(
            run.stderr
                == "error: \(folder)/head.lock: the change does more than add pins of 1.22.0\n"
                + "  hint: a lock change from the release workflow must only add pins; find out what else changed it\n")
    }

    @Test func pinsOfAVersionNotNamedAreExitOne() throws {
        let (run, _) = try run(Self.base + "\n[versions.\"1.22.0\"]\n\"\(Self.new)\" = \"\(Self.c)\"\n", versions: ["1.23.0"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("  1.22.0: \(Self.new) is a pin of a version not named\n"))
        #expect(run.stdout.contains("  1.23.0: no pin of this version is added\n"))
    }

    @Test func aMalformedLockIsExit78() throws {
        let (run, folder) = try run("schema = 1\ndistribution = \"ml-metadata\"\nextra = 1\n")
        #expect(run.status == 78)
        #expect(run.stderr.hasPrefix("error: \(folder)/head.lock"))
    }

    @Test func aLockThatIsNotUTF8IsExit78() throws {
        try TemporaryDirectory.with { folder in
            try TemporaryDirectory.write(Self.base, to: "\(folder)/base.lock")
            try TemporaryDirectory.write(Array(Self.base.utf8) + [0x23, 0x20, 0xFF, 0x0A], to: "\(folder)/head.lock")
            let run = CommandRun.run(
                ["lock-diff", "--base", "\(folder)/base.lock", "--head", "\(folder)/head.lock", "--only-versions", "1.22.0"])
            #expect(run.status == 78)
            #expect(run.stderr.hasPrefix("error: \(folder)/head.lock: the lock is not UTF-8 text\n"))
        }
    }

    @Test func aMissingLockIsExit66() {
        let run = CommandRun.run(
            ["lock-diff", "--base", "/nonexistent/base.lock", "--head", "/nonexistent/head.lock", "--only-versions", "1.22.0"])
        #expect(run.status == 66)
        #expect(run.stdout == "")
    }

    @Test(arguments: [["--only-versions"], ["--only-versions", "not a version"]])
    func aMissingOrInvalidVersionIsAUsageError(_ versions: [String]) {
        let run = CommandRun.run(["lock-diff", "--base", "b.lock", "--head", "h.lock"] + versions)
        #expect(run.status == 64)
    }

    @Test func aFIFOIsExit65WithoutBlocking() throws {
        try TemporaryDirectory.with { folder in
            try TemporaryDirectory.write(Self.base, to: "\(folder)/base.lock")
            #expect(mkfifo("\(folder)/head.lock", 0o600) == 0)
            let run = CommandRun.run(
                ["lock-diff", "--base", "\(folder)/base.lock", "--head", "\(folder)/head.lock", "--only-versions", "1.22.0"])
            #expect(run.status == 65)
            #expect(run.stderr.hasPrefix("error: \(folder)/head.lock: "))
        }
    }

    @Test func helpIsStable() {
        expectGolden(CommandRun.run(["lock-diff", "--help"]).stdout, named: "lock-diff-help.txt")
    }
}
