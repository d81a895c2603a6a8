import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing
import ZipIO

@Suite struct ZipRoundTripTests {
    static let files: [(String, [UInt8], Bool)] = [
        ("pkg/__init__.py", Array("x = 1\n".utf8), false),
        ("pkg/run.sh", Array("#!/bin/sh\n".utf8), true),
        ("pkg/big.bin", (0..<300_000).map { UInt8(truncatingIfNeeded: $0 % 251) }, false),
    ]

    private func write(_ path: String, timestamp: DOSTimestamp = .zipEpoch) throws {
        try ZipWriter.create(at: path, timestamp: timestamp) { writer throws(ZipError) in
            for (name, bytes, executable) in Self.files { try writer.add(name, bytes: bytes, isExecutable: executable) }
        }
    }

    @Test func readsBackWhatWasWritten() throws {
        try TemporaryDirectory.with { folder in
            try write("\(folder)/a.zip")
            try ZipReader.withArchive(atPath: "\(folder)/a.zip") { reader throws(ZipError) in
                #expect(reader.entries.map(\.name) == Self.files.map(\.0))
                for (entry, file) in zip(reader.entries, Self.files) {
                    let bytes = try reader.read(entry)
                    #expect(bytes == file.1)
                    #expect(entry.unixMode == (file.2 ? 0o100755 : 0o100644))
                    #expect(entry.compressionMethod == CompressionMethod.deflate.rawValue)
                    let digest = try reader.digest(entry).digest
                    #expect(digest == SHA256Digest.of(file.1))
                }
            }
        }
    }

    @Test func listingOnlyDescribesTheAcceptedEntriesAtTheirIndices() throws {
        try TemporaryDirectory.with { folder in
            try write("\(folder)/a.zip")
            try ZipReader.withArchive(.file(path: "\(folder)/a.zip"), listingOnly: { !$0.hasSuffix(".sh") }) { reader throws(ZipError) in
                #expect(reader.entries.map(\.name) == ["pkg/__init__.py", "pkg/big.bin"])
                #expect(reader.entries.map(\.index) == [0, 2])
                #expect(try reader.read(reader.entries[1]) == Self.files[2].1)
            }
        }
    }

    @Test func sameInputsGiveSameBytes() throws {
        try TemporaryDirectory.with { folder in
            try write("\(folder)/a.zip")
            try write("\(folder)/b.zip")
            #expect(try TemporaryDirectory.read("\(folder)/a.zip") == TemporaryDirectory.read("\(folder)/b.zip"))
        }
    }

    @Test func timestampChangesOnlyWhenAsked() throws {
        try TemporaryDirectory.with { folder in
            try write("\(folder)/a.zip")
            try write("\(folder)/b.zip", timestamp: DOSTimestamp(secondsSinceUnixEpoch: 1_700_000_000))
            #expect(try TemporaryDirectory.read("\(folder)/a.zip") != TemporaryDirectory.read("\(folder)/b.zip"))
        }
    }

    @Test func compressedCopyKeepsTheStreamByteForByte() throws {
        try TemporaryDirectory.with { folder in
            try write("\(folder)/a.zip")
            try ZipReader.withArchive(atPath: "\(folder)/a.zip") { source throws(ZipError) in
                try ZipWriter.create(at: "\(folder)/b.zip", timestamp: .zipEpoch) { writer throws(ZipError) in
                    for entry in source.entries {
                        try writer.addCompressedCopy(entry.name, of: entry, from: source, isExecutable: entry.isExecutable)
                    }
                }
            }
            // Same entries, same method, same time: the copy is indistinguishable from the original.
            #expect(try TemporaryDirectory.read("\(folder)/a.zip") == TemporaryDirectory.read("\(folder)/b.zip"))
        }
    }

    @Test func corruptedDataFailsWithTheEntryName() throws {
        try TemporaryDirectory.with { folder in
            try write("\(folder)/a.zip")
            var bytes = try TemporaryDirectory.read("\(folder)/a.zip")
            // Flip a byte inside the big entry's compressed data (local header 30 bytes + name, then data).
            let nameOffset = try #require(findSubsequence(Array("pkg/big.bin".utf8), in: bytes))
            bytes[nameOffset + 11 + 200] ^= 0xFF
            let entries = try ZipReader.withArchive(bytes: bytes, label: "corrupt.zip") { reader throws(ZipError) in reader.entries }
            let entry = try #require(entries.first { $0.name == "pkg/big.bin" })
            _ = try ZipReader.withArchive(bytes: bytes, label: "corrupt.zip") { reader throws(ZipError) in
                #expect {
                    _ = try reader.read(entry)
                } throws: { error in
                    guard case ZipError.cannotReadEntry(let archive, let name, _) = error else { return false }
                    return archive == "corrupt.zip" && name == "pkg/big.bin"
                }
            }
        }
    }

    @Test func notAZipIsCannotOpen() {
        #expect {
            try ZipReader.withArchive(bytes: Array("not a zip at all".utf8), label: "x.whl") { _ in }
        } throws: { error in
            guard case ZipError.cannotOpen(let archive, _) = error else { return false }
            return archive == "x.whl"
        }
    }

    @Test func emptyArchiveIsRefused() throws {
        try TemporaryDirectory.with { folder in
            #expect(
                throws: ZipError.cannotWrite(archive: "\(folder)/e.zip", entry: nil, cause: .stated("an archive needs at least one entry"))
            ) {
                try ZipWriter.create(at: "\(folder)/e.zip", timestamp: .zipEpoch) { _ in }
            }
        }
    }

    @Test(arguments: [
        (id: "before 1980 is raised", seconds: Int64(0), date: UInt16(0x0021), time: UInt16(0)),
        (id: "1980-01-01", seconds: 315_532_800, date: 0x0021, time: 0),
        (
            id: "2023-11-14T22:13:20Z", seconds: 1_700_000_000, date: UInt16((43 << 9) | (11 << 5) | 14),
            time: UInt16((22 << 11) | (13 << 5) | 10)
        ),
    ])
    func dosTimestampIsUTC(id: String, seconds: Int64, date: UInt16, time: UInt16) {
        let stamp = DOSTimestamp(secondsSinceUnixEpoch: seconds)
        #expect(stamp.date == date, "\(id)")
        #expect(stamp.time == time, "\(id)")
    }
}

func findSubsequence(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard needle.count <= haystack.count else { return nil }
    for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
        return start
    }
    return nil
}

/// libzip's failures are kept as values (code and errno) and worded only when shown.
@Suite struct ZipFailureCauseTests {
    @Test func aSystemErrorIsAnIOFailureAndKeepsItsErrno() {
        // 5 is ZIP_ER_READ, 19 ZIP_ER_NOZIP, in libzip's stable numbering.
        let read = ZipFailureCause.libzip(code: 5, systemError: .ioError)
        #expect(read.description == "Read error: Input/output error")
        #expect(read.systemError == .ioError)
        #expect(ZipError.cannotReadEntry(archive: "a.whl", entry: "x.py", cause: read).category == .io)
        let notAZip = ZipFailureCause.libzip(code: 19, systemError: nil)
        #expect(notAZip.description == "Not a zip archive")
        #expect(ZipError.cannotOpen(archive: "a.whl", cause: notAZip).category == .badInput)
        #expect(ZipError.cannotOpen(archive: "a.whl", cause: notAZip).message == "not a readable zip archive: Not a zip archive")
    }
}
