import EnvironmentVerification
import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing
import WheelChecks

@Suite struct EnvironmentVerifierTests {
    @Test func cleanEnvironmentHasNoFinding() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            let reports = try env.verify()
            #expect(reports.map(\.path) == [env.distInfo, env.sitePackages])
            #expect(FakeEnvironment.summary(reports) == [])
        }
    }

    @Test func modifiedFileOfTheSameSizeIsAHashMismatch() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try TemporaryDirectory.write("def answer():\n    return 43\n", to: env.sitePackages + "/demo/core.py")
            let reports = try env.verify()
            let finding = try #require(reports[0].findings.first)
            #expect(FakeEnvironment.summary(reports) == ["PW902 demo/core.py"])
            #expect(finding.severity == .error)
            #expect(finding.recordLine == 2)
            #expect(finding.expected?.hasPrefix("sha256=") == true)
            #expect(finding.actual?.hasPrefix("sha256=") == true && finding.actual != finding.expected)
        }
    }

    @Test func grownFileIsASizeMismatch() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try TemporaryDirectory.write("def answer():\n    return 42\nimport os\n", to: env.sitePackages + "/demo/core.py")
            let reports = try env.verify()
            #expect(FakeEnvironment.summary(reports) == ["PW903 demo/core.py"])
            #expect(reports[0].findings.first?.actual == "38 bytes")
        }
    }

    @Test func deletedFileAndScriptAreMissing() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try FileManager.default.removeItem(atPath: env.sitePackages + "/demo/__init__.py")
            try FileManager.default.removeItem(atPath: env.prefix + "/bin/demo")
            #expect(FakeEnvironment.summary(try env.verify()) == ["PW901 demo/__init__.py", "PW901 ../../../bin/demo"])
        }
    }

    @Test func pathClimbingOutOfThePrefixIsReportedAndNeverOpened() throws {
        try TemporaryDirectory.with { folder in
            // Outside the prefix sits a FIFO: opening it for reading would block if the path were followed.
            let outside = folder + "/outside"
            #expect(mkfifo(outside, 0o644) == 0)
            let env = try FakeEnvironment(in: folder, extraRows: ["../../../../outside,sha256=AAAA,4", "/etc/hostname,,"])
            let (reports, timedOut) = FIFODeadline.run(unblocking: [outside]) { try? env.verify() }
            #expect(!timedOut)
            let summary = FakeEnvironment.summary(try #require(reports))
            #expect(summary == ["PW906 ../../../../outside", "PW906 /etc/hostname"])
        }
    }

    @Test func fifoInPlaceOfAListedFileIsNotOpened() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try env.replaceWithFIFO("demo/core.py")
            let fifo = env.sitePackages + "/demo/core.py"
            let (reports, timedOut) = FIFODeadline.run(unblocking: [fifo]) { try? env.verify() }
            #expect(!timedOut)
            #expect(FakeEnvironment.summary(try #require(reports)) == ["PW907 demo/core.py"])
            #expect(try #require(reports)[0].findings.first?.actual == "a FIFO")
        }
    }

    @Test func folderInPlaceOfAListedFileIsNotARegularFile() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try FileManager.default.removeItem(atPath: env.sitePackages + "/demo/core.py")
            try FileManager.default.createDirectory(atPath: env.sitePackages + "/demo/core.py", withIntermediateDirectories: false)
            #expect(FakeEnvironment.summary(try env.verify()) == ["PW907 demo/core.py"])
        }
    }

    @Test func symbolicLinkOutOfThePrefixIsReportedAndOneInsideIsFollowed() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            let core = env.sitePackages + "/demo/core.py"
            // The same bytes outside the prefix: a link to them must still be refused.
            try TemporaryDirectory.write("def answer():\n    return 42\n", to: folder + "/elsewhere.py")
            try FileManager.default.removeItem(atPath: core)
            try FileManager.default.createSymbolicLink(atPath: core, withDestinationPath: folder + "/elsewhere.py")
            #expect(FakeEnvironment.summary(try env.verify()) == ["PW906 demo/core.py"])
            // A link to an identical file inside the prefix verifies.
            try TemporaryDirectory.write("def answer():\n    return 42\n", to: env.prefix + "/share/core.py")
            try FileManager.default.removeItem(atPath: core)
            try FileManager.default.createSymbolicLink(atPath: core, withDestinationPath: "../../../../share/core.py")
            #expect(FakeEnvironment.summary(try env.verify()) == [])
        }
    }

    @Test func symbolicLinkedFolderOnTheWayOutIsReported() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            let package = env.sitePackages + "/demo"
            try FileManager.default.moveItem(atPath: package, toPath: folder + "/demo-moved")
            try FileManager.default.createSymbolicLink(atPath: package, withDestinationPath: folder + "/demo-moved")
            let summary = FakeEnvironment.summary(try env.verify())
            #expect(summary == ["PW906 demo/__init__.py", "PW906 demo/core.py", "PW913 demo"])
        }
    }

    @Test func hashColumnsThatCannotBeVerified() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try env.add("demo/weak.py", "x = 1\n", listed: false)
            try env.add("demo/odd.py", "x = 2\n", listed: false)
            try env.add("demo/plain.py", "x = 3\n", listed: false)
            try env.add("demo/bad.py", "x = 4\n", listed: false)
            try env.add("demo/strong.py", "x = 5\n", listed: false)
            var rows = FakeEnvironment.files.map { FakeEnvironment.row($0.0, Array($0.1.utf8)) }
            rows += [
                "demo-1.0.dist-info/RECORD,,", "demo/weak.py,md5=Ck3m2nmtsGBBJqCR8dkW1A,6", "demo/odd.py,whirlpool=AAAA,6",
                "demo/plain.py,,6", "demo/bad.py,sha256=not-base64!,6",
                "demo/strong.py,sha512=\(Base64URL.encode(Self.sha512("x = 5\n"))),6",
                "demo/__pycache__/core.cpython-312.pyc,,",
            ]
            try env.writeRecord(rows)
            let summary = FakeEnvironment.summary(try env.verify())
            #expect(summary == ["PW904 demo/weak.py", "PW905 demo/odd.py", "PW911 demo/plain.py", "PW905 demo/bad.py"])
        }
    }

    @Test func sha512RowWithOtherBytesIsAMismatch() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try env.add("demo/strong.py", "x = 6\n", listed: false)
            var rows = FakeEnvironment.files.map { FakeEnvironment.row($0.0, Array($0.1.utf8)) }
            rows += ["demo/strong.py,sha512=\(Base64URL.encode(Self.sha512("x = 5\n"))),6", "demo-1.0.dist-info/RECORD,,"]
            try env.writeRecord(rows)
            #expect(FakeEnvironment.summary(try env.verify()) == ["PW902 demo/strong.py"])
        }
    }

    static func sha512(_ text: String) -> [UInt8] {
        var hasher = StrongDigestHasher(.sha512)
        Array(text.utf8).withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }

    @Test func distInfoWithoutRecordAndWithAMalformedOne() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try TemporaryDirectory.write("Name: gone\n", to: env.sitePackages + "/gone-2.0.dist-info/METADATA")
            try TemporaryDirectory.write("a.py,sha256=x\n\"unterminated\n", to: env.sitePackages + "/bad-1.0.dist-info/RECORD")
            let reports = try env.verify()
            #expect(
                reports.map { $0.path.split(separator: "/").last ?? "" } == [
                    "bad-1.0.dist-info", "demo-1.0.dist-info", "gone-2.0.dist-info", "site-packages",
                ])
            #expect(reports[0].findings.map(\.code) == [.installedRecordMalformed])
            #expect(reports[2].findings.map(\.code) == [.installedRecordMissing])
            // Their files are nobody's: a malformed RECORD owns nothing.
            #expect(FakeEnvironment.summary([reports[3]]) == ["PW913 bad-1.0.dist-info/RECORD", "PW913 gone-2.0.dist-info/METADATA"])
        }
    }

    @Test func crlfRecordAsPipWritesItReadsTheSameRows() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            let rows = FakeEnvironment.files.map { FakeEnvironment.row($0.0, Array($0.1.utf8)) } + ["demo-1.0.dist-info/RECORD,,"]
            try TemporaryDirectory.write(rows.joined(separator: "\r\n") + "\r\n", to: env.distInfo + "/RECORD")
            #expect(FakeEnvironment.summary(try env.verify()) == [])
            try TemporaryDirectory.write("def answer():\n    return 43\n", to: env.sitePackages + "/demo/core.py")
            let finding = try #require(try env.verify().first?.findings.first)
            #expect(finding.code == .installedHashMismatch)
            #expect(finding.recordLine == 2)
        }
    }

    @Test func missingSitePackagesThrows() throws {
        try TemporaryDirectory.with { folder in
            #expect(throws: EnvironmentVerificationError.sitePackagesMissing(folder + "/nope")) {
                try EnvironmentVerifier().verify(SitePackages(path: folder + "/nope"))
            }
            try TemporaryDirectory.write("x", to: folder + "/file")
            #expect(throws: EnvironmentVerificationError.notAFolder(folder + "/file", kind: "a regular file")) {
                try EnvironmentVerifier().verify(SitePackages(path: folder + "/file"))
            }
        }
    }

    @Test func manyFilesOnTwoWorkersKeepRowOrder() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            var rows = FakeEnvironment.files.map { FakeEnvironment.row($0.0, Array($0.1.utf8)) } + ["demo-1.0.dist-info/RECORD,,"]
            for index in 0..<300 {
                let content = String(repeating: "# \(index)\n", count: index * 50)
                try TemporaryDirectory.write(content, to: env.sitePackages + "/demo/m\(index).py")
                rows.append(FakeEnvironment.row("demo/m\(index).py", Array(content.utf8)))
            }
            try env.writeRecord(rows)
            for index in [7, 250, 123] {
                try TemporaryDirectory.write(
                    String(repeating: "# \(index)\n", count: index * 50 - 1) + "#X\(index)\n", to: env.sitePackages + "/demo/m\(index).py")
            }
            let reports = try EnvironmentVerifier(workerCount: 2).verify(SitePackages(path: env.sitePackages))
            #expect(FakeEnvironment.summary(reports) == ["PW902 demo/m7.py", "PW902 demo/m123.py", "PW902 demo/m250.py"])
        }
    }

    @Test func progressReportsEveryListedFileInRowOrder() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            var rows = FakeEnvironment.files.map { FakeEnvironment.row($0.0, Array($0.1.utf8)) } + ["demo-1.0.dist-info/RECORD,,"]
            for index in 0..<200 {
                let content = "VALUE = \(index)\n"
                try TemporaryDirectory.write(content, to: env.sitePackages + "/demo/m\(index).py")
                rows.append(FakeEnvironment.row("demo/m\(index).py", Array(content.utf8)))
            }
            try env.writeRecord(rows)
            var seen = [VerificationProgress]()
            let reports = try EnvironmentVerifier(workerCount: 2).verify(SitePackages(path: env.sitePackages)) { seen.append($0) }
            #expect(FakeEnvironment.summary(reports) == [])
            let listedBytes = rows.compactMap { $0.split(separator: ",", omittingEmptySubsequences: false).last.flatMap { UInt64($0) } }
            let last = try #require(seen.last)
            #expect(last.files == rows.count && last.filesDone == rows.count)
            #expect(last.bytes == listedBytes.reduce(0, +) && last.bytesDone == last.bytes)
            // Batches of at most 64 files: progress moves forward in steps, never backward.
            #expect(seen.count >= (rows.count + 63) / 64)
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.filesDone < $1.filesDone && $0.bytesDone <= $1.bytesDone })
        }
    }

    /// `nil` content: the file is deleted.
    @Test(arguments: [(content: String?.none, code: "PW901"), (content: "x", code: "PW903")])
    func emptyListedFileIsVerifiedAndItsChangedTwinIsNot(_ example: (content: String?, code: String)) throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try env.add("demo/empty.py", "", listed: true)
            #expect(FakeEnvironment.summary(try env.verify()) == [], "an empty file matches the digest of no bytes")
            if let content = example.content {
                try TemporaryDirectory.write(content, to: env.sitePackages + "/demo/empty.py")
            } else {
                try FileManager.default.removeItem(atPath: env.sitePackages + "/demo/empty.py")
            }
            #expect(FakeEnvironment.summary(try env.verify()) == ["\(example.code) demo/empty.py"])
        }
    }

    @Test func rowWithoutASizeIsReadWholeAndComparedByDigest() throws {
        try TemporaryDirectory.with { folder in
            let content = "def extra():\n    pass\n"
            let hash = SHA256Digest.of(Array(content.utf8)).urlSafeBase64
            let env = try FakeEnvironment(in: folder, extraRows: ["demo/extra.py,sha256=\(hash),"])
            try TemporaryDirectory.write(content, to: env.sitePackages + "/demo/extra.py")
            #expect(FakeEnvironment.summary(try env.verify()) == [])
            try TemporaryDirectory.write(content + "import os\n", to: env.sitePackages + "/demo/extra.py")
            #expect(FakeEnvironment.summary(try env.verify()) == ["PW902 demo/extra.py"])
        }
    }
}
