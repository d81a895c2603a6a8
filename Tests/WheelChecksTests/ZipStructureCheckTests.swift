import PurewheelTestSupport
import Testing
import WheelChecks

/// Hostile archives built byte by byte: each trips one PW1xx rule and names the exact entry.
@Suite struct ZipStructureCheckTests {
    static let initPy = "demo/__init__.py"

    /// A valid raw wheel around one payload entry, which `edit` then breaks.
    static func wheel(_ edit: (inout RawZipBuilder) -> Void = { _ in }) -> RawZipBuilder {
        var builder = RawZipBuilder(entries: RawWheel.entries([RawZipBuilder.Entry(initPy, "VALUE = 1\n", method: 8)]))
        edit(&builder)
        return builder
    }

    @Test func rawValidWheelIsClean() throws {
        #expect(try check(raw: Self.wheel()).findings == [])
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var edit: @Sendable (inout RawZipBuilder) -> Void
        /// Codes (with entries) that must appear, in order, among the errors.
        var expected: [Hit]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "duplicate name", edit: { $0.entries.insert(RawZipBuilder.Entry(initPy, "EVIL = 1\n"), at: 1) },
            expected: [Hit(code: "PW103", entry: nil), Hit(code: "PW104", entry: initPy)]),
        Case(
            name: "local name differs", edit: { $0.entries[0].localName = Array("demo/evil.py".utf8).prefix(16).map { $0 } },
            expected: [Hit(code: "PW103", entry: nil), Hit(code: "PW107", entry: initPy)]),
        Case(
            name: "local method differs", edit: { $0.entries[0].localMethod = 0 },
            expected: [Hit(code: "PW103", entry: nil), Hit(code: "PW108", entry: initPy)]),
        Case(
            name: "local flags differ", edit: { $0.entries[0].localFlags = 0 },
            expected: [Hit(code: "PW109", entry: initPy)]),
        Case(
            name: "local CRC differs", edit: { $0.entries[0].localCRC = 1 },
            expected: [Hit(code: "PW103", entry: nil), Hit(code: "PW110", entry: initPy)]),
        Case(
            name: "local size differs", edit: { $0.entries[0].localUncompressedSize = 99 },
            expected: [Hit(code: "PW111", entry: initPy)]),
        Case(
            name: "data descriptor CRC differs",
            edit: {
                $0.entries[0].usesDataDescriptor = true
                $0.entries[0].descriptorCRC = 7
            },
            expected: [Hit(code: "PW110", entry: initPy)]),
        Case(
            name: "central CRC wrong (CRC error)",
            edit: {
                $0.entries[0].centralCRC = 1
                $0.entries[0].localCRC = 1
            },
            expected: [Hit(code: "PW119", entry: initPy)]),
        Case(
            name: "bytes before first entry", edit: { $0.prefix = Array("#!/bin/sh\nexit 0\n".utf8) },
            expected: [Hit(code: "PW113", entry: nil)]),
        Case(
            name: "prepended without adjusting offsets",
            edit: {
                $0.prefix = Array("stub".utf8)
                $0.offsetsIncludePrefix = false
            },
            expected: [Hit(code: "PW103", entry: nil), Hit(code: "PW113", entry: nil)]),
        Case(
            name: "bytes after end record", edit: { $0.trailing = Array("trailing junk".utf8) },
            expected: [Hit(code: "PW103", entry: nil), Hit(code: "PW114", entry: nil)]),
        Case(
            name: "second end record in comment",
            edit: { builder in
                builder.comment = [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)
            }, expected: [Hit(code: "PW116", entry: nil)]),
        Case(
            name: "end record count disagrees", edit: { $0.endEntryCount = 2 },
            expected: [Hit(code: "PW103", entry: nil), Hit(code: "PW115", entry: nil)]),
        Case(
            name: "central entry without local header", edit: { $0.entries[0].localHeaderOffset = 7 },
            expected: [Hit(code: "PW103", entry: nil), Hit(code: "PW105", entry: initPy)]),
        Case(
            name: "local header without central entry",
            edit: { builder in
                var hidden = RawZipBuilder.Entry("demo/hidden.py", "HIDDEN = 1\n")
                hidden.isInCentralDirectory = false
                builder.entries.insert(hidden, at: 1)
            }, expected: [Hit(code: "PW106", entry: nil)]),
        Case(
            name: "overlapping entries",
            edit: { builder in
                var twin = RawZipBuilder.Entry(initPy, "VALUE = 1\n", method: 8)
                twin.name = Array("demo/twin.py".utf8)
                twin.sharesLocalHeaderWith = 0
                builder.entries.insert(twin, at: 1)
            },
            expected: [
                Hit(code: "PW103", entry: nil), Hit(code: "PW107", entry: "demo/twin.py"), Hit(code: "PW112", entry: "demo/twin.py"),
            ]),
        Case(
            name: "encrypted flag", edit: { $0.entries[0].flags |= 1 },
            expected: [Hit(code: "PW117", entry: initPy)]),
        Case(
            name: "bzip2 method", edit: { $0.entries[0].method = 12 },
            expected: [Hit(code: "PW118", entry: initPy)]),
        Case(
            name: "corrupt deflate data",
            edit: {
                $0.entries[0].compressedPayload = [
                    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                ]
            },
            expected: [Hit(code: "PW119", entry: initPy)]),
    ]

    @Test(arguments: cases) func hostileArchive(_ testCase: Case) throws {
        let report = try check(raw: Self.wheel(testCase.edit))
        let errors = report.findings.filter { $0.severity == .error }.map { Hit(code: $0.code.rawValue, entry: $0.entry) }
        for hit in testCase.expected {
            #expect(errors.contains(hit), "missing \(hit) in \(report.hits)")
        }
        #expect(report.hasErrors || testCase.expected.isEmpty)
    }

    @Test func notAZipAndTruncated() throws {
        #expect(try check(bytes: Array("hello, not a zip".utf8)).hits == [Hit(code: "PW101", entry: nil)])
        let full = Self.wheel().bytes()
        #expect(try check(bytes: Array(full.prefix(full.count - 30))).codes == ["PW101"])
        #expect(try check(bytes: Array(full.prefix(40))).codes == ["PW101"])
        #expect(try check(bytes: []).codes == ["PW101"])
    }

    @Test func missingFileIsAFinding() {
        let report = WheelChecker().check(path: "/nonexistent/demo-1.0-py3-none-any.whl")
        #expect(report.codes == ["PW100"])
        #expect(report.hasErrors)
    }

    @Test func zip64AndDataDescriptorsAndStoredEntriesAreValid() throws {
        let raw = Self.wheel { builder in
            builder.entries[0].isZip64 = true
            builder.entries[0].usesDataDescriptor = true
            builder.entries[1].usesDataDescriptor = true
            builder.entries[1].descriptorHasSignature = false
            builder.entries[2].method = 0
        }
        // Data descriptors are valid zip that installers read; only a warning (PW122) outside the pypi profile.
        let report = try check(raw: raw)
        #expect(report.hits == [Hit(code: "PW122", entry: Self.initPy), Hit(code: "PW122", entry: "demo-1.0.dist-info/METADATA")])
        #expect(!report.hasErrors)
        #expect(try check(raw: Self.wheel { $0.writesZip64EndRecord = true }).findings == [])
    }

    @Test func unusedGapIsAWarningOnly() throws {
        let report = try check(raw: Self.wheel { $0.gaps[0] = [0, 0, 0, 0] })
        #expect(report.hits.contains(Hit(code: "PW120", entry: nil)))
        #expect(!report.findings.contains { $0.code.rawValue.hasPrefix("PW1") && $0.severity == .error && $0.code.rawValue != "PW103" })
    }
}
