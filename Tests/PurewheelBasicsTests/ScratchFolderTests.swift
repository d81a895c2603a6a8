import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing

/// Scratch folders are locked by their owner while in use, and a later run removes only those whose owner is gone
/// and that are old enough.
@Suite struct ScratchFolderTests {
    @Test func aNewFolderIsPrivateLockedAndRemovable() throws {
        try TemporaryDirectory.with { folder in
            let scratch = try ScratchFolder.create(in: "\(folder)/missing/parent", prefix: ".download-1-", sweeping: ".download-")
            #expect(scratch.hasPrefix("\(folder)/missing/parent/.download-1-"))
            var info = stat()
            #expect(stat(scratch, &info) == 0 && info.st_mode & 0o777 == 0o700)
            #expect(try FileLock.acquireIfFree("\(scratch)/\(ScratchFolder.ownerLockName)") == nil, "the owner holds its lock")
            ScratchFolder.remove(scratch)
            #expect(FileIO.kind(of: scratch) == nil)
        }
    }

    @Test func theSweepRemovesOnlyOldFoldersWhoseOwnerIsGone() throws {
        try TemporaryDirectory.with { folder in
            func folderNamed(_ name: String, lock: Bool) throws -> String {
                let path = "\(folder)/\(name)"
                try FileIO.createDirectory(path)
                if lock { try TemporaryDirectory.write("", to: "\(path)/\(ScratchFolder.ownerLockName)") }
                try TemporaryDirectory.write("partial", to: "\(path)/demo.whl")
                return path
            }
            let abandoned = try folderNamed(".download-1-aaaaaa", lock: true)
            let withoutLock = try folderNamed(".download-2-bbbbbb", lock: false)
            let inUse = try ScratchFolder.create(in: folder, prefix: ".download-3-", sweeping: ".download-")
            let other = try folderNamed("kept", lock: true)
            try FileIO.createDirectory("\(folder)/target")
            symlink("\(folder)/target", "\(folder)/.download-4-link")
            try TemporaryDirectory.write("", to: "\(folder)/.download-5-file")

            // Young: a folder just made, before its owner took the lock, looks the same.
            ScratchFolder.sweep(in: folder, prefix: ".download-")
            #expect(FileIO.kind(of: abandoned) == .directory)
            #expect(FileIO.kind(of: withoutLock) == .directory)

            ScratchFolder.sweep(in: folder, prefix: ".download-", now: time(nil) + Int(ScratchFolder.abandonedAge) + 60)
            #expect(FileIO.kind(of: abandoned) == nil)
            #expect(FileIO.kind(of: withoutLock) == nil)
            #expect(FileIO.kind(of: inUse) == .directory, "its owner is alive")
            #expect(FileIO.kind(of: other) == .directory)
            #expect(FileIO.kind(of: "\(folder)/.download-4-link") == .other)
            #expect(FileIO.kind(of: "\(folder)/target") == .directory)
            #expect(FileIO.kind(of: "\(folder)/.download-5-file") == .regular)
            ScratchFolder.remove(inUse)
        }
    }
}
