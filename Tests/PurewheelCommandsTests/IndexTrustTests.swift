import Foundation
import PurewheelBasics
import PurewheelTestSupport
import RecipeFormat
import Testing
import UpstreamIndex
import WheelModel

/// An index that was not read is never "nothing pending" or "up to date", a published folder counts only wheels,
/// and concurrent `lock` runs keep each other's pins; against `ReleaseCommandTests`' stand-in pip.
@Suite struct IndexTrustTests {
    struct Unread: CustomTestStringConvertible, Sendable {
        let id: String
        /// What pip prints (with -vv) before "No matching distribution"; `nil`: nothing at all.
        let says: String?
        /// What the error must quote.
        let quoted: String
        var testDescription: String { id }
    }

    static let unread: [Unread] = [
        Unread(
            id: "429",
            says: "Could not fetch URL https://i.invalid/simple/demo/: 429 Client Error: Too Many Requests for url: x - skipping",
            quoted: "429 Client Error: Too Many Requests"),
        Unread(
            id: "407",
            says: "Could not fetch URL https://i.invalid/simple/demo/: 407 Client Error: Proxy Authentication Required - skipping",
            quoted: "407 Client Error"),
        Unread(
            id: "410", says: "Could not fetch URL https://i.invalid/simple/demo/: 410 Client Error: Gone - skipping",
            quoted: "410 Client Error: Gone"),
        Unread(
            id: "a status no list names",
            says: "Could not fetch URL https://i.invalid/simple/demo/: 451 Client Error: Unavailable - skipping",
            quoted: "451 Client Error"),
        Unread(
            id: "untrusted http host",
            says: "WARNING: The repository located at vm is not a trusted or secure host and is being ignored.",
            quoted: "is not a trusted or secure host"),
        Unread(
            id: "TLS (pip 26.3)",
            says: "WARNING: There was a problem confirming the ssl certificate: certificate verify failed",
            quoted: "confirming the ssl certificate"
        ),
        Unread(
            id: "timeout (pip 26.3)", says: "WARNING: i.invalid didn't respond within 15 seconds",
            quoted: "didn't respond within 15 seconds"),
        Unread(id: "a 200 page without links", says: nil, quoted: "lists none of the versions of demo the lock pins (1.0)"),
    ]

    static func misbehave(_ fixture: ReleaseCommandTests.Fixture, _ unread: Unread) throws {
        if let says = unread.says {
            try TemporaryDirectory.write(says + "\n", to: "\(fixture.folder)/pip/says")
        } else {
            try TemporaryDirectory.write("", to: "\(fixture.folder)/pip/nolinks")
        }
    }

    @Test(arguments: unread)
    func pendingOnAnIndexThatWasNotReadIsExit74(_ unread: Unread) throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            try FileManager.default.createDirectory(atPath: "\(folder)/published", withIntermediateDirectories: true)
            try Self.misbehave(fixture, unread)
            let run = fixture.run(["pending", fixture.recipe, "--published", "\(folder)/published"])
            #expect(run.status == 74, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout == "")
            #expect(run.stderr.contains(unread.quoted), "\(run.stderr)")
        }
    }

    @Test(arguments: unread)
    func lockOnAnIndexThatWasNotReadIsExit74AndTheLockStays(_ unread: Unread) throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            let before = try fixture.lockBytes()
            try Self.misbehave(fixture, unread)
            let run = fixture.run(["lock", fixture.recipe])
            #expect(run.status == 74, "\(run.stdout)\(run.stderr)")
            #expect(run.stderr.contains(unread.quoted), "\(run.stderr)")
            #expect(try fixture.lockBytes() == before)
        }
    }

    /// Without pins there is no evidence that the index was read, so an answer listing nothing is not "nothing".
    @Test func anIndexListingNothingIsExit74EvenWithoutALock() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            try FileManager.default.removeItem(atPath: fixture.lock)
            try TemporaryDirectory.write("", to: "\(folder)/pip/nolinks")
            let run = fixture.run(["lock", fixture.recipe])
            #expect(run.status == 74, "\(run.stdout)\(run.stderr)")
            #expect(run.stderr.contains("the index lists no version of demo"), "\(run.stderr)")
            #expect(!FileIO.exists(fixture.lock))
        }
    }

    /// Every third pip call is rate-limited: whichever download that hits, the version is pinned with all its
    /// files or none, and the run says so with exit 74, run after run.
    @Test func aRateLimitingIndexPinsAllOfAVersionOrNothing() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            try ReleaseCommandTests.upstream("1.1", "cp311-cp311-win_amd64").write(in: fixture.served)
            let before = try fixture.lockBytes()
            try TemporaryDirectory.write("", to: "\(folder)/pip/flaky")
            for _ in 0..<2 {
                let run = fixture.run(["lock", fixture.recipe, "--upstream-version", "1.1"])
                #expect(run.status == 74, "\(run.stdout)\(run.stderr)")
                #expect(run.stderr.contains("429 Client Error"), "\(run.stderr)")
                #expect(try fixture.lockBytes() == before)
            }
            try FileManager.default.removeItem(atPath: "\(folder)/pip/flaky")
            let run = fixture.run(["lock", fixture.recipe, "--upstream-version", "1.1"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("1.1: pinned 2 new files\n"), "\(run.stdout)")
        }
    }

    @Test func aFileWhoseContentsContradictItsNameIsNamedSo() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            let before = try fixture.lockBytes()
            try TemporaryDirectory.write("", to: "\(folder)/pip/lying")
            let run = fixture.run(["lock", fixture.recipe, "--upstream-version", "1.1"])
            #expect(run.status == 65, "\(run.stdout)\(run.stderr)")
            #expect(run.stderr.contains("the index serves a file whose contents contradict its name"), "\(run.stderr)")
            #expect(run.stderr.contains("has inconsistent version: expected '1.1', but metadata has '0.5'"), "\(run.stderr)")
            #expect(!run.stderr.contains("the index has no wheel"), "\(run.stderr)")
            #expect(try fixture.lockBytes() == before)
        }
    }

    @Test func onlyARegularFileThatOpensAsAWheelIsPublished() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            let published = "\(folder)/published"
            let name = "demo_pure-1.0-py3-none-any.whl"
            try TemporaryDirectory.write("", to: "\(published)/\(name)")
            try TemporaryDirectory.write("", to: "\(published)/demo_pure-1.1-py3-none-any.whl/x")
            #expect(mkfifo("\(published)/demo_pure-1.0.post1-py3-none-any.whl", 0o600) == 0)
            #expect(symlink("\(folder)/gone.whl", "\(published)/demo_pure-1.0-py2.py3-none-any.whl") == 0)
            try TemporaryDirectory.write("not a zip", to: "\(published)/demo_pure-1.1-py2.py3-none-any.whl")
            let run = fixture.run(["pending", fixture.recipe, "--published", published])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("1.0  pinned: build, check and publish\n1.1  not pinned"), "\(run.stdout)")
            // A real wheel under the name counts.
            try FileManager.default.removeItem(atPath: "\(published)/\(name)")
            try WheelBuilder(distribution: "demo_pure", version: "1.0").write(in: published)
            let after = fixture.run(["pending", fixture.recipe, "--published", published])
            #expect(after.stdout.hasPrefix("1.1  not pinned"), "\(after.stdout)")
        }
    }

    @Test func aMissingPublishedFolderFailsBeforeAnyPipQuery() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            let run = fixture.run(["pending", fixture.recipe, "--published", "\(folder)/typo"])
            #expect(run.status == 66, "\(run.stdout)\(run.stderr)")
            #expect(run.stderr.contains("\(folder)/typo: no such folder"), "\(run.stderr)")
            #expect(fixture.pipCalls().isEmpty, "\(fixture.pipCalls())")
        }
    }

    /// pip's find-links (here from a pip.conf, as on this machine) and extra index URLs are cleared for the
    /// question "what is published there", or a local wheelhouse would read as published.
    @Test func thePublishIndexQuestionIgnoresFindLinksAndExtraIndexes() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            try FileManager.default.createDirectory(atPath: "\(folder)/published", withIntermediateDirectories: true)
            try WheelBuilder(distribution: "demo_pure", version: "1.0").write(in: "\(folder)/pip/wheelhouse")
            let run = fixture.run(["pending", fixture.recipe, "--published", "file://\(folder)/published"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("1.0  pinned: build, check and publish\n"), "\(run.stdout)")
            let published = fixture.pipCalls().filter { $0.contains("--index-url file://") }
            #expect(published.count == 1 && published.allSatisfy { $0.hasSuffix("|find-links= |extra= ") }, "\(published)")
        }
    }

    @Test func lockWritesVersionKeysInPEP440NormalForm() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            let run = fixture.run(["lock", fixture.recipe, "--upstream-version", "V1.1"])
            #expect(run.status == 0, "\(run.stderr)")
            let lock = String(decoding: try fixture.lockBytes(), as: UTF8.self)
            #expect(lock.contains("[versions.\"1.1\"]\n"), "\(lock)")
            #expect(!lock.contains("V1.1"), "\(lock)")
        }
    }

    @Test func twoSpellingsOfOneVersionInALockAreExit78() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            let lock = String(decoding: try fixture.lockBytes(), as: UTF8.self)
            let (name, pin) = ("demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", String(repeating: "ab", count: 32))
            try TemporaryDirectory.write(lock + "\n[versions.\"1.0.0\"]\n\"\(name)\" = \"\(pin)\"\n", to: fixture.lock)
            let run = fixture.run(["lock", fixture.recipe, "--upstream-version", "1.1"])
            #expect(run.status == 78, "\(run.stderr)")
            #expect(run.stderr.contains("'1.0.0' and '1.0' are one version (PEP 440)"), "\(run.stderr)")
        }
    }

    /// toml++ quotes the key of a redefinition with its first characters doubled ("mlml_metadata-…").
    @Test func aDuplicatedPinNamesTheKeyAsWritten() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            let lock = String(decoding: try fixture.lockBytes(), as: UTF8.self)
            let line = try #require(lock.split(separator: "\n").first { $0.hasPrefix("\"demo-1.0-cp311") })
            try TemporaryDirectory.write(lock + line + "\n", to: fixture.lock)
            let run = fixture.run(["lock", fixture.recipe])
            #expect(run.status == 78)
            #expect(
                run.stderr.contains("key \"demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl\" is defined more than once"), "\(run.stderr)")
            #expect(!run.stderr.contains("dede"), "\(run.stderr)")
        }
    }

    /// Two runs read the same lock, each pins another version, then both write: the second merges into what
    /// the first wrote instead of replacing it (the interleaving that lost pins, driven step by step).
    @Test func twoLockRunsThatOverlapKeepBothVersionsPins() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            try ReleaseCommandTests.upstream("1.2", "cp311-cp311-manylinux_2_17_x86_64").write(in: fixture.served)
            let recipe = try RecipeLoader.load(path: fixture.recipe)
            let index = PipIndex(pip: PipRunner(command: [fixture.pip]))
            let first = Locker(recipe: recipe, index: index, cacheDirectory: "\(folder)/cache", generator: "test")
            let second = Locker(recipe: recipe, index: index, cacheDirectory: "\(folder)/cache", generator: "test")
            let eleven = try first.lock(versions: ["1.1"])
            let twelve = try second.lock(versions: ["1.2"])
            #expect(try first.write(eleven))
            #expect(try second.write(twelve))
            let lock = try RecipeLoader.load(path: fixture.recipe).lock
            #expect(lock.versions.map(\.version) == ["1.0", "1.1", "1.2"])
            // Writing the same pins again changes nothing.
            #expect(try !first.write(eleven))
        }
    }

    /// A pin written on disk during a run (another run, a person) is never replaced by this run's bytes.
    @Test func aPinWrittenMeanwhileWithOtherBytesIsAConflict() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            let recipe = try RecipeLoader.load(path: fixture.recipe)
            let locker = Locker(
                recipe: recipe, index: PipIndex(pip: PipRunner(command: [fixture.pip])), cacheDirectory: "\(folder)/cache",
                generator: "test")
            let outcome = try locker.lock(versions: ["1.1"])
            let name = "demo-1.1-cp311-cp311-manylinux_2_17_x86_64.whl"
            let other = String(repeating: "ef", count: 32)
            let meanwhile = String(decoding: try fixture.lockBytes(), as: UTF8.self) + "\n[versions.\"1.1\"]\n\"\(name)\" = \"\(other)\"\n"
            try TemporaryDirectory.write(meanwhile, to: fixture.lock)
            #expect {
                try locker.write(outcome)
            } throws: { error in
                guard case ReleaseError.pinConflict(_, let conflicts) = error else { return false }
                return conflicts.map(\.file) == [name] && conflicts.first?.pinned.hex == other
            }
            #expect(String(decoding: try fixture.lockBytes(), as: UTF8.self) == meanwhile)
        }
    }
}
