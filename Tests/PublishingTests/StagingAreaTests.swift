import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing

@testable import Publishing

/// Publishing all-or-nothing: destinations checked before the first rename, replaced
/// files kept until the last rename, a journal that the next build rolls back, ownership by `flock`.
@Suite struct StagingAreaTests {
    private func text(_ path: String) throws -> String { String(decoding: try TemporaryDirectory.read(path), as: UTF8.self) }

    /// The journal's record of the file at `path`.
    private func identity(_ path: String) throws -> String { try #require(PublishJournal.Identity(of: path)).serialized }

    private func visible(_ folder: String) throws -> [String] {
        try FileIO.contents(ofDirectory: folder).filter { !$0.hasPrefix(".") }
    }

    @Test func publishesEveryFileTogether() throws {
        try TemporaryDirectory.with { folder in
            let out = "\(folder)/dist"
            try TemporaryDirectory.write("old a", to: "\(out)/a.whl")
            let staging = try StagingArea.create(in: out)
            try TemporaryDirectory.write("new a", to: "\(staging.path)/0/a.whl")
            try TemporaryDirectory.write("new b", to: "\(staging.path)/1/b.whl")
            try staging.publish([("\(staging.path)/0/a.whl", "a.whl"), ("\(staging.path)/1/b.whl", "b.whl")])
            staging.remove()
            #expect(try text("\(out)/a.whl") == "new a")
            #expect(try text("\(out)/b.whl") == "new b")
            #expect(try FileIO.contents(ofDirectory: out) == ["a.whl", "b.whl"])
        }
    }

    @Test func aFolderOccupyingTheSecondNamePublishesNothing() throws {
        try TemporaryDirectory.with { folder in
            let out = "\(folder)/dist"
            try TemporaryDirectory.write("old a", to: "\(out)/a.whl")
            try FileIO.createDirectory("\(out)/b.whl")
            let staging = try StagingArea.create(in: out)
            try TemporaryDirectory.write("new a", to: "\(staging.path)/0/a.whl")
            try TemporaryDirectory.write("new b", to: "\(staging.path)/1/b.whl")
            #expect(throws: PublishError.destinationOccupied(path: "\(out)/b.whl", kind: .directory)) {
                try staging.publish([("\(staging.path)/0/a.whl", "a.whl"), ("\(staging.path)/1/b.whl", "b.whl")])
            }
            staging.remove()
            #expect(try text("\(out)/a.whl") == "old a")
            #expect(try FileIO.contents(ofDirectory: out) == ["a.whl", "b.whl"])
        }
    }

    @Test func aMissingStagedFilePublishesNothing() throws {
        try TemporaryDirectory.with { folder in
            let out = "\(folder)/dist"
            try TemporaryDirectory.write("old a", to: "\(out)/a.whl")
            let staging = try StagingArea.create(in: out)
            try TemporaryDirectory.write("new a", to: "\(staging.path)/0/a.whl")
            #expect(throws: PublishError.fileSystem(.notFound(path: "\(staging.path)/1/b.whl"))) {
                try staging.publish([("\(staging.path)/0/a.whl", "a.whl"), ("\(staging.path)/1/b.whl", "b.whl")])
            }
            staging.remove()
            #expect(try text("\(out)/a.whl") == "old a")
            #expect(try FileIO.contents(ofDirectory: out) == ["a.whl"])
        }
    }

    @Test func aFailedRenamePutsTheReplacedFilesBack() throws {
        try TemporaryDirectory.with { folder in
            let out = "\(folder)/dist"
            try TemporaryDirectory.write("old a", to: "\(out)/a.whl")
            let staging = try StagingArea.create(in: out)
            try TemporaryDirectory.write("new a", to: "\(staging.path)/0/a.whl")
            try TemporaryDirectory.write("new b", to: "\(staging.path)/1/b.whl")
            let journal = try staging.prepare([("\(staging.path)/0/a.whl", "a.whl"), ("\(staging.path)/1/b.whl", "b.whl")])
            // The second staged file goes missing after the plan, so its rename fails after the first one was made.
            try FileIO.remove("\(staging.path)/1/b.whl")
            #expect {
                try staging.apply(journal)
            } throws: { error in
                guard case PublishError.fileSystem(.operationFailed(_, _, let errno)) = error else { return false }
                return errno == .noSuchFileOrDirectory
            }
            staging.remove()
            #expect(try text("\(out)/a.whl") == "old a")
            #expect(try FileIO.contents(ofDirectory: out) == ["a.whl"])
        }
    }

    /// A publication whose undoing failed leaves its journal: the build's own cleanup must keep the folder (and the
    /// backups in it) for the next build to roll back, not delete them.
    @Test func aFolderWithAJournalOutlivesItsBuildForTheNextToRollBack() throws {
        try TemporaryDirectory.with { folder in
            let out = "\(folder)/dist"
            try TemporaryDirectory.write("old a", to: "\(out)/a.whl")
            let path: String
            do {
                let staging = try StagingArea.create(in: out)
                path = staging.path
                try TemporaryDirectory.write("new a", to: "\(staging.path)/0/a.whl")
                let journal = try staging.prepare([("\(staging.path)/0/a.whl", "a.whl")])
                for rename in journal.renames(staging: staging.path, output: out) { try FileIO.rename(rename.from, to: rename.to) }
                staging.remove()
            }
            #expect(FileIO.kind(of: path) == .directory)
            let next = try StagingArea.create(in: out)
            #expect(try text("\(out)/a.whl") == "old a")
            next.remove()
            #expect(try FileIO.contents(ofDirectory: out) == ["a.whl"])
        }
    }

    /// Replacing a wheel and its statement, killed after any of the renames: at every step each wheel in the output
    /// folder has its own statement beside it, and the next build puts the earlier pair back.
    @Test(arguments: 0...4)
    func everyWheelKeepsItsOwnStatementWhereverAPublicationStops(killedAfter: Int) throws {
        try TemporaryDirectory.with { folder in
            let out = "\(folder)/dist"
            try TemporaryDirectory.write("old", to: "\(out)/a.whl.intoto.json")
            try TemporaryDirectory.write("old", to: "\(out)/a.whl")
            func paired() throws -> Bool {
                guard FileIO.kind(of: "\(out)/a.whl") != nil else { return true }
                guard FileIO.kind(of: "\(out)/a.whl.intoto.json") != nil else { return false }
                return try text("\(out)/a.whl") == text("\(out)/a.whl.intoto.json")
            }
            do {
                let staging = try StagingArea.create(in: out)
                try TemporaryDirectory.write("new", to: "\(staging.path)/0/a.whl.intoto.json")
                try TemporaryDirectory.write("new", to: "\(staging.path)/0/a.whl")
                let journal = try staging.prepare([
                    ("\(staging.path)/0/a.whl.intoto.json", "a.whl.intoto.json"), ("\(staging.path)/0/a.whl", "a.whl"),
                ])
                let renames = journal.renames(staging: staging.path, output: out)
                #expect(renames.count == 4)
                for rename in renames.prefix(killedAfter) {
                    try FileIO.rename(rename.from, to: rename.to)
                    #expect(try paired())
                }
            }
            let next = try StagingArea.create(in: out)
            next.remove()
            #expect(try text("\(out)/a.whl") == "old")
            #expect(try text("\(out)/a.whl.intoto.json") == "old")
            #expect(try FileIO.contents(ofDirectory: out).sorted() == ["a.whl", "a.whl.intoto.json"])
        }
    }

    @Test func aJournalLeftByAKilledBuildIsRolledBackByTheNextOne() throws {
        try TemporaryDirectory.with { folder in
            let out = "\(folder)/dist"
            try TemporaryDirectory.write("old a", to: "\(out)/a.whl")
            // What a build killed between its first and second new file leaves: a journal, the replaced file
            // moved aside, the first file published and the second still staged; its lock is free.
            let staging = "\(out)/.purewheel-staging-1-killed"
            try TemporaryDirectory.write("", to: "\(staging)/lock")
            try TemporaryDirectory.write("new a", to: "\(staging)/0/a.whl")
            try TemporaryDirectory.write("new b", to: "\(staging)/1/b.whl")
            let journal =
                "move\t0/a.whl\ta.whl\tbackup/0\t\(try identity("\(staging)/0/a.whl"))\n"
                + "move\t1/b.whl\tb.whl\t\t\(try identity("\(staging)/1/b.whl"))\n"
            try TemporaryDirectory.write(journal, to: "\(staging)/publish-journal")
            try FileIO.createDirectory("\(staging)/backup")
            try FileIO.rename("\(out)/a.whl", to: "\(staging)/backup/0")
            try FileIO.rename("\(staging)/0/a.whl", to: "\(out)/a.whl")
            #expect(try text("\(out)/a.whl") == "new a")

            let next = try StagingArea.create(in: out)
            #expect(try text("\(out)/a.whl") == "old a")
            #expect(try visible(out) == ["a.whl"])
            #expect(FileIO.kind(of: staging) == nil)
            next.remove()
            #expect(try FileIO.contents(ofDirectory: out) == ["a.whl"])
        }
    }

    @Test func aJournalOfABuildKilledAfterEveryRenameIsRolledBackToo() throws {
        try TemporaryDirectory.with { folder in
            let out = "\(folder)/dist"
            let staging = "\(out)/.purewheel-staging-1-killed"
            try TemporaryDirectory.write("", to: "\(staging)/lock")
            try TemporaryDirectory.write("new b", to: "\(out)/b.whl")
            try TemporaryDirectory.write("move\t1/b.whl\tb.whl\t\t\(try identity("\(out)/b.whl"))\n", to: "\(staging)/publish-journal")
            #expect(try StagingArea.repairAbandoned(in: out) == [staging])
            #expect(try FileIO.contents(ofDirectory: out).isEmpty)
        }
    }

    @Test func aStagingFolderWhoseLockIsHeldIsLeftAlone() throws {
        try TemporaryDirectory.with { folder in
            let out = "\(folder)/dist"
            let live = try StagingArea.create(in: out)
            try TemporaryDirectory.write("being built", to: "\(live.path)/0/x.whl")
            // A folder of a finished or killed build, whatever PID it names: its lock file is free.
            let abandoned = "\(out)/.purewheel-staging-\(getpid())-abandoned"
            try TemporaryDirectory.write("", to: "\(abandoned)/lock")
            try TemporaryDirectory.write("partial", to: "\(abandoned)/0/x.whl")
            #expect(try StagingArea.repairAbandoned(in: out) == [abandoned])
            #expect(try text("\(live.path)/0/x.whl") == "being built")
            live.remove()
            #expect(try FileIO.contents(ofDirectory: out).isEmpty)
        }
    }

    /// A line without the identity of its file (as a journal of an older purewheel has) cannot be rolled back safely.
    @Test(arguments: ["move\tonly-two\n", "move\t0/a.whl\ta.whl\t\n", "move\t0/a.whl\ta.whl\t\t1:2:3\n"])
    func aJournalThatCannotBeReadIsReportedAndKept(line: String) throws {
        try TemporaryDirectory.with { folder in
            let out = "\(folder)/dist"
            let staging = "\(out)/.purewheel-staging-1-odd"
            try TemporaryDirectory.write("", to: "\(staging)/lock")
            try TemporaryDirectory.write(line, to: "\(staging)/publish-journal")
            #expect(throws: PublishError.journalUnreadable(path: "\(staging)/publish-journal", line: 1)) {
                try StagingArea.repairAbandoned(in: out)
            }
            #expect(FileIO.kind(of: staging) == .directory)
        }
    }
}
