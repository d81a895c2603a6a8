import Foundation
import PurewheelBasics
import PurewheelTestSupport
import RecipeFormat
import Testing
import WheelBuild
import WheelBuildTestSupport
import ZipIO

/// The build never decompresses what it drops, and copies unchanged entries' compressed streams as they are.
@Suite struct StreamCopyTests {
    /// The compressed bytes of the first local header named `name` (APPNOTE §4.3.7: 30-byte header, name, extra).
    static func compressedStream(of name: String, in bytes: [UInt8]) -> (range: Range<Int>, bytes: [UInt8])? {
        let needle = Array(name.utf8)
        var index = 0
        while index + 30 + needle.count <= bytes.count {
            if bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 0x03, bytes[index + 3] == 0x04 {
                let nameLength = Int(bytes[index + 26]) | Int(bytes[index + 27]) << 8
                let extraLength = Int(bytes[index + 28]) | Int(bytes[index + 29]) << 8
                let size =
                    Int(bytes[index + 18]) | Int(bytes[index + 19]) << 8 | Int(bytes[index + 20]) << 16 | Int(bytes[index + 21]) << 24
                if nameLength == needle.count, Array(bytes[index + 30..<index + 30 + nameLength]) == needle {
                    let start = index + 30 + nameLength + extraLength
                    return (start..<start + size, Array(bytes[start..<start + size]))
                }
            }
            index += 1
        }
        return nil
    }

    /// The stages never decompress what they drop, but every input passes the checker first,
    /// which reads every entry to its end: a damaged entry is refused even when the recipe drops it.
    @Test func aDamagedEntryIsRefusedByTheInputCheckEvenWhenDropped() throws {
        try TemporaryDirectory.with { folder in
            // Corrupt the extension's compressed data: reading it would fail its CRC check.
            var upstream = PipelineFixture.upstream()
            upstream.files[2].bytes = Array(repeating: 0x7F, count: 4096)
            let path = try upstream.write(in: "\(folder)/raw")
            var bytes = try TemporaryDirectory.read(path)
            let stream = try #require(Self.compressedStream(of: "demo/_speedups.cpython-311-x86_64-linux-gnu.so", in: bytes))
            for offset in stream.range.dropFirst(2).prefix(4) { bytes[offset] ^= 0x55 }
            // Proof that the corruption is real: reading the entry fails.
            let entries = try ZipReader.withArchive(bytes: bytes, label: "corrupt") { reader throws(ZipError) in reader.entries }
            let entry = try #require(entries.first { $0.name.hasSuffix(".so") })
            _ = try ZipReader.withArchive(bytes: bytes, label: "corrupt") { reader throws(ZipError) in
                #expect(throws: ZipError.self) { _ = try reader.read(entry) }
            }
            let fixture = try PipelineFixture.make(in: folder, upstream: upstream)
            try TemporaryDirectory.write(bytes, to: fixture.upstreamPath)
            let pinned = PipelineFixture.recipe(pins: [(upstream.filename, SHA256Digest.of(bytes))])
            try pinned.write(to: fixture.recipePath)
            let error = try #require(throws: PipelineError.self) { try fixture.build() }
            #expect(error.stage == .inputCheck)
            guard case .build(.inputFailedCheck(let wheel, let findings)) = error.cause else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(wheel == fixture.upstreamPath)
            #expect(findings.map(\.code.rawValue) == ["PW119"])
            #expect(findings.first?.entry == "demo/_speedups.cpython-311-x86_64-linux-gnu.so")
            #expect(error.category == .badInput)
            // The stages ran beside the check and wrote the wheel they made; the refusal removed it.
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(folder)/dist") == [])
        }
    }

    @Test func unchangedEntriesKeepTheirCompressedStream() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try PipelineFixture.make(in: folder)
            let upstreamBytes = try TemporaryDirectory.read(fixture.upstreamPath)
            let output = try TemporaryDirectory.read(try #require(fixture.build().verified?.written.path))
            for name in ["demo/__init__.py", "demo/data/table.txt"] {
                let before = try #require(Self.compressedStream(of: name, in: upstreamBytes))
                let after = try #require(Self.compressedStream(of: name, in: output))
                #expect(before.bytes == after.bytes, "\(name)")
            }
        }
    }
}
