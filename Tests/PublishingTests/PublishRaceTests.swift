import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Synchronization
import Testing

@testable import Publishing

/// Builds that share an output folder never undo or delete each other's work: a killed publication is rolled back
/// only where the output folder still holds its own files, and never after another build published; a staging
/// folder is never taken for abandoned between its `mkdir` and its lock.
///
/// The interleavings are driven by the test seams `StagingArea.prepare` (a publication stopped after a chosen
/// rename, as a SIGKILL leaves it) and `StagingArea.create(in:beforeLocking:)`.
@Suite struct PublishRaceTests {
    private static let wheel = "demo-1.0-py3-none-any.whl"
    private static let statement = wheel + ".intoto.json"

    private func text(_ path: String) throws -> String { String(decoding: try TemporaryDirectory.read(path), as: UTF8.self) }

    /// Stages a statement and a wheel in `build`, publishes them as far as `renames` of them, then ends the build
    /// as a SIGKILL would: nothing more runs, and its locks are released with its open files.
    private func kill(_ build: consuming StagingArea, publishing label: String, after renames: Int) throws {
        try TemporaryDirectory.write("\(label) statement", to: "\(build.path)/0/\(Self.statement)")
        try TemporaryDirectory.write("\(label) wheel", to: "\(build.path)/0/\(Self.wheel)")
        let journal = try build.prepare([
            ("\(build.path)/0/\(Self.statement)", Self.statement), ("\(build.path)/0/\(Self.wheel)", Self.wheel),
        ])
        // The replaced files are moved aside first, then `renames` staged files are renamed into place.
        let aside = journal.moves.filter { $0.backup != nil }.count
        for rename in journal.renames(staging: build.path, output: build.outputDirectory).prefix(aside + renames) {
            try FileIO.rename(rename.from, to: rename.to)
        }
    }

    /// A build killed mid-publish, another that started before it died and publishes, and a third that starts later.
    ///
    /// C's wheel and its own statement must stay, whether A had renamed one file or both, and whether an older
    /// publication of the same name was there (A's backup of it must not come back beside C's wheel).
    @Test(arguments: [1, 2], [false, true])
    func aPublicationMadeAfterAKilledOneIsNeverUndone(renames: Int, olderPublication: Bool) throws {
        try TemporaryDirectory.with { folder in
            let out = "\(folder)/dist"
            if olderPublication {
                try TemporaryDirectory.write("old statement", to: "\(out)/\(Self.statement)")
                try TemporaryDirectory.write("old wheel", to: "\(out)/\(Self.wheel)")
            }
            let a = try StagingArea.create(in: out)
            let c = try StagingArea.create(in: out)
            try kill(a, publishing: "A", after: renames)

            try TemporaryDirectory.write("C statement", to: "\(c.path)/0/\(Self.statement)")
            try TemporaryDirectory.write("C wheel", to: "\(c.path)/0/\(Self.wheel)")
            try c.publish([("\(c.path)/0/\(Self.statement)", Self.statement), ("\(c.path)/0/\(Self.wheel)", Self.wheel)])
            c.remove()

            let d = try StagingArea.create(in: out)
            d.remove()
            #expect(try text("\(out)/\(Self.wheel)") == "C wheel")
            #expect(try text("\(out)/\(Self.statement)") == "C statement")
            #expect(try FileIO.contents(ofDirectory: out).sorted() == [Self.wheel, Self.statement])
        }
    }

    /// A rollback touches only a destination that is still the very file the killed build put there: a file
    /// renamed over it since (even with the same bytes, as a reproducible build makes) is left alone.
    @Test(arguments: [false, true])
    func aRollbackLeavesFilesThatReplacedItsOwn(sameBytes: Bool) throws {
        try TemporaryDirectory.with { folder in
            let out = "\(folder)/dist"
            let a = try StagingArea.create(in: out)
            let aPath = a.path
            try kill(a, publishing: "A", after: 2)
            // Somebody else, not taking the output folder's lock, publishes under the same names.
            let label = sameBytes ? "A" : "other"
            try TemporaryDirectory.write("\(label) statement", to: "\(folder)/other/\(Self.statement)")
            try TemporaryDirectory.write("\(label) wheel", to: "\(folder)/other/\(Self.wheel)")
            try FileIO.rename("\(folder)/other/\(Self.statement)", to: "\(out)/\(Self.statement)")
            try FileIO.rename("\(folder)/other/\(Self.wheel)", to: "\(out)/\(Self.wheel)")

            #expect(try StagingArea.repairAbandoned(in: out) == [aPath])
            #expect(try text("\(out)/\(Self.wheel)") == "\(label) wheel")
            #expect(try text("\(out)/\(Self.statement)") == "\(label) statement")
            #expect(try FileIO.contents(ofDirectory: out).sorted() == [Self.wheel, Self.statement])
        }
    }

    /// A repair racing a new staging folder between its `mkdir` and its lock.
    ///
    /// Another build repairs the output folder at the very moment a staging folder exists without its lock; it
    /// must wait for the output folder's lock and then leave the folder alone.
    @Test func aNewStagingFolderIsNeverTakenForAbandoned() throws {
        try TemporaryDirectory.with { folder in
            let out = "\(folder)/dist"
            let repaired = RepairOutcome()
            let other = Thread {
                repaired.value.withLock { $0 = Result { () throws(PublishError) in try StagingArea.repairAbandoned(in: out) } }
                repaired.done.signal()
            }
            let live = try StagingArea.create(
                in: out,
                beforeLocking: { _ in
                    other.start()
                    // Long enough for a repair that does not wait for the lock to finish; with the lock it waits
                    // for this build, whatever the timing.
                    if repaired.done.wait(timeout: .now() + 1) == .success { repaired.done.signal() }
                })
            try TemporaryDirectory.write("being built", to: "\(live.path)/0/x.whl")
            #expect(try text("\(live.path)/0/x.whl") == "being built")
            repaired.done.wait()
            #expect(try repaired.value.withLock { try $0?.get() } == [])
            live.remove()
            #expect(try FileIO.contents(ofDirectory: out).isEmpty)
        }
    }
}

/// What the concurrent repair in `aNewStagingFolderIsNeverTakenForAbandoned` returned, and when.
private final class RepairOutcome: Sendable {
    let value = Mutex<Result<[String], PublishError>?>(nil)
    let done = DispatchSemaphore(value: 0)
}
