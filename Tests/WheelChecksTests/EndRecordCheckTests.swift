import PurewheelTestSupport
import Testing
import WheelChecks

/// The rules that need an end record or header field the builders do not expose: the bytes are edited after
/// assembly, at the offsets APPNOTE §4.3.16 gives for the end of central directory record.
@Suite struct EndRecordCheckTests {
    /// The valid raw wheel, with its end record (the last 22 bytes, no comment) edited by `edit`.
    private func editedEndRecord(_ edit: (inout [UInt8], Int) -> Void) -> [UInt8] {
        var bytes = ZipStructureCheckTests.wheel().bytes()
        let end = bytes.count - 22
        #expect(Array(bytes[end..<end + 4]) == [0x50, 0x4B, 0x05, 0x06])
        edit(&bytes, end)
        return bytes
    }

    private func errors(_ report: CheckReport) -> [Hit] {
        report.findings.filter { $0.severity == .error }.map { Hit(code: $0.code.rawValue, entry: $0.entry) }
    }

    @Test func centralDirectoryOffsetPastTheEndIsMalformed() throws {
        let bytes = editedEndRecord { bytes, end in
            // Offset of the central directory (bytes 16...19) beyond the file.
            bytes.replaceSubrange(end + 16..<end + 20, with: [0xFF, 0xFF, 0x00, 0x00])
        }
        #expect(errors(try check(bytes: bytes)).contains(Hit(code: "PW102", entry: nil)))
    }

    @Test func splitArchiveIsRefused() throws {
        let bytes = editedEndRecord { bytes, end in
            // "Number of this disk" (bytes 4...5) = 1.
            bytes[end + 4] = 1
        }
        #expect(errors(try check(bytes: bytes)).contains(Hit(code: "PW121", entry: nil)))
    }

    /// An archive purewheel's own reader cannot lay out is not read by other means: the refusal is the verdict,
    /// whatever libzip makes of the archive.
    @Test func archiveTheReaderCannotLayOutIsReportedNotScanned() throws {
        let bytes = editedEndRecord { bytes, end in bytes[end + 4] = 1 }
        let report = try check(bytes: bytes)
        #expect(report.hits == [Hit(code: "PW103", entry: nil), Hit(code: "PW121", entry: nil)])
        #expect(report.findings.first?.message == "purewheel's zip reader cannot lay out the archive, so no content was verified")
    }

    @Test func oversizedCentralDirectoryIsRefusedWithoutReadingIt() throws {
        let bytes = editedEndRecord { bytes, end in
            // Central directory size (bytes 12...15) = 80 MiB, over the fixed 64 MiB limit.
            bytes.replaceSubrange(end + 12..<end + 16, with: [0x00, 0x00, 0x00, 0x05])
        }
        #expect(errors(try check(bytes: bytes)).contains(Hit(code: "PW307", entry: nil)))
    }

    @Test func entryShorterThanDeclaredIsReported() throws {
        let raw = ZipStructureCheckTests.wheel { $0.entries[0].declaredUncompressedSize = 5_000 }
        let hits = errors(try check(raw: raw))
        #expect(hits.contains(Hit(code: "PW306", entry: ZipStructureCheckTests.initPy)), "\(hits)")
    }
}
