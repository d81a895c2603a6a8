import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing

@Suite struct AtomicFileTests {

    @Test func publishesCompleteFile() throws {
        try TemporaryDirectory.with { folder in
            let file = AtomicFile(destination: "\(folder)/out.whl")
            try file.write(bytes: Array("hello".utf8))
            #expect(try TemporaryDirectory.read("\(folder)/out.whl") == Array("hello".utf8))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.whl"])
        }
    }

    @Test func failureLeavesNothingAndKeepsTheOldFile() throws {
        try TemporaryDirectory.with { folder in
            try TemporaryDirectory.write("good", to: "\(folder)/out.whl")
            let file = AtomicFile(destination: "\(folder)/out.whl")
            let failure = FileSystemError.operationFailed(operation: "write", path: file.temporaryPath, errno: .ioError)
            #expect(throws: failure) {
                try file.write { path throws(FileSystemError) in
                    _ = try? TemporaryDirectory.write("partial", to: path)
                    throw failure
                }
            }
            #expect(try TemporaryDirectory.read("\(folder)/out.whl") == Array("good".utf8))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.whl"])
        }
    }

    @Test func createsASyncedFileInPlaceButNeverOverAnother() throws {
        try TemporaryDirectory.with { folder in
            try FileIO.createSynced("\(folder)/statement.json", holding: Array("{}".utf8))
            #expect(try TemporaryDirectory.read("\(folder)/statement.json") == Array("{}".utf8))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["statement.json"])
            #expect(throws: FileSystemError.operationFailed(operation: "create", path: "\(folder)/statement.json", errno: .fileExists)) {
                try FileIO.createSynced("\(folder)/statement.json", holding: Array("other".utf8))
            }
            #expect(try TemporaryDirectory.read("\(folder)/statement.json") == Array("{}".utf8))
        }
    }

    @Test func temporaryFileKeepsTheDestinationName() {
        let file = AtomicFile(destination: "dist/x-1.0-py3-none-any.whl")
        #expect(file.temporaryPath.hasPrefix("dist/.x-1.0-py3-none-any.whl.tmp-"))
        #expect(file.temporaryPath.hasSuffix("/x-1.0-py3-none-any.whl"))
    }

    @Test func streamingDigestOfAFileLargerThanOneChunk() throws {
        try TemporaryDirectory.with { folder in
            let bytes = (0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try TemporaryDirectory.write(bytes, to: "\(folder)/big")
            let (digest, size) = try FileIO.digest("\(folder)/big")
            #expect(digest == SHA256Digest.of(bytes))
            #expect(size == UInt64(bytes.count))
            #expect(throws: FileSystemError.notFound(path: "\(folder)/none")) { try FileIO.digest("\(folder)/none") }
        }
    }

    @Test func readsWholeFilesOfEverySize() throws {
        try TemporaryDirectory.with { folder in
            for count in [0, 1, 4096, (3 << 20) + 17] {
                let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7) }
                try TemporaryDirectory.write(bytes, to: "\(folder)/file")
                let read = try FileIO.readWhole("\(folder)/file")
                #expect(read.count == count)
                #expect(read.array == bytes)
                #expect(read.withUnsafeBytes(SHA256Digest.of) == SHA256Digest.of(bytes))
            }
            #expect(throws: FileSystemError.notFound(path: "\(folder)/none")) { try FileIO.readWhole("\(folder)/none") }
        }
    }

    /// procfs files report a size of 0 and have content: the read goes on past the size `fstat` gave.
    @Test func readsOnPastTheStatedSize() throws {
        let read = try FileIO.readWhole("/proc/self/maps")
        #expect(read.count > 1)
        #expect(String(decoding: read.array, as: UTF8.self).contains("\n"))
    }

    @Test func discardRemovesLeftovers() throws {
        try TemporaryDirectory.with { folder in
            let file = AtomicFile(destination: "\(folder)/a.whl")
            try file.prepare()
            try TemporaryDirectory.write("x", to: file.temporaryPath)
            try TemporaryDirectory.write("y", to: file.temporaryPath + ".XXXXXX")
            file.discard()
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        }
    }
}
