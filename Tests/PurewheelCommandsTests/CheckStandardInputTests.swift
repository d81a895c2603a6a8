import Foundation
import PurewheelTestSupport
import Synchronization
import Testing

@testable import PurewheelCommands

/// `purewheel check -` reads the wheel from standard input, under the name `--stdin-filename` gives.
@Suite struct CheckStandardInputTests {
    /// A pipe whose read end carries `bytes`, written by a thread of its own so that any size fits; closed after `body`.
    private func withPipe<T>(_ bytes: [UInt8], _ body: (Int32) throws -> T) rethrows -> T {
        var ends: [Int32] = [0, 0]
        precondition(pipe(&ends) == 0)
        let (reader, writer) = (ends[0], ends[1])
        let thread = Thread {
            var offset = 0
            while offset < bytes.count {
                let step = bytes[offset...].withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
                if step <= 0 { break }
                offset += step
            }
            close(writer)
        }
        thread.start()
        defer { close(reader) }
        return try body(reader)
    }

    private func run(_ arguments: [String], input: [UInt8], variables: [String: String] = [:]) -> CommandRun {
        withPipe(input) { reader in CommandRun.run(["check"] + arguments, environment: variables, input: reader) }
    }

    @Test func aWheelOnStandardInputIsCheckedUnderItsGivenName() throws {
        try TemporaryDirectory.with { folder in
            let builder = WheelBuilder()
            let bytes = try TemporaryDirectory.read(try builder.write(in: folder))
            let clean = run(["-", "--stdin-filename", builder.filename], input: bytes)
            #expect(clean.status == 0, "\(clean.stderr)")
            #expect(clean.stdout == "-: ok\n")
            // The name is part of what is checked: another version in it is a finding.
            let renamed = run(["-", "--stdin-filename", builder.filename.replacingOccurrences(of: "-1.0-", with: "-2.0-")], input: bytes)
            #expect(renamed.status == 1)
            #expect(renamed.stdout.contains("PW608"))
            #expect(run(["-", "--stdin-filename", builder.filename], input: Array("garbage".utf8)).stdout.contains("-: PW101"))
        }
    }

    @Test func standardInputNeedsAFileName() {
        let result = run(["-"], input: [])
        #expect(result.status == 64)
        #expect(result.stderr.contains("give its file name with --stdin-filename"))
    }

    /// The bytes go to a file no name leads to (only a link in a private folder does), and nothing stays behind.
    @Test func standardInputIsSpooledToAnUnlinkedFile() throws {
        try TemporaryDirectory.with { folder in
            let bytes = (0..<(3 * StandardInputWheel.chunkSize + 5)).map { UInt8(truncatingIfNeeded: $0 * 7) }
            let outcome = try withPipe(bytes) { reader in
                try StandardInputWheel.spool(
                    from: reader, filename: "x-1.0-py3-none-any.whl", limit: 1 << 30, variables: ["TMPDIR": folder])
            }
            guard case .spooled(let wheel) = outcome else {
                Issue.record("not spooled: \(outcome)")
                return
            }
            var link = stat()
            #expect(lstat(wheel.path, &link) == 0 && link.st_mode & S_IFMT == S_IFLNK)
            var target = stat()
            #expect(stat(wheel.path, &target) == 0 && target.st_mode & S_IFMT == S_IFREG)
            #expect(target.st_nlink == 0, "the spooled file has a name")
            #expect(target.st_size == bytes.count)
            #expect(try TemporaryDirectory.read(wheel.path) == bytes)
            let parent = (wheel.path as NSString).deletingLastPathComponent
            var info = stat()
            #expect(stat(parent, &info) == 0 && info.st_mode & 0o777 == 0o700)
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["x-1.0-py3-none-any.whl"])
            wheel.remove()
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [])
        }
    }

    /// `--max-total-size` bounds the stream: past it reading stops, the input is an unreadable file (PW100, which no
    /// selection hides), and no spooled byte stays behind.
    @Test func standardInputOverTheTotalSizeLimitIsNotChecked() throws {
        try TemporaryDirectory.with { folder in
            let builder = WheelBuilder()
            let bytes = try TemporaryDirectory.read(try builder.write(in: folder))
            let spool = folder + "/spool"
            try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
            let limit = bytes.count - 1
            let result = run(
                ["-", "--stdin-filename", builder.filename, "--max-total-size", "\(limit)", "--ignore", "PW1"], input: bytes,
                variables: ["TMPDIR": spool])
            #expect(result.status == 1)
            #expect(
                result.stdout == "error: -: PW100 standard input holds more than the total size limit; reading stopped there "
                    + "(expected at most \(limit) bytes, got more than \(limit) bytes)\n"
                    + "  hint: check the file by its path, or raise --max-total-size\n-: 1 error, 0 warnings\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: spool) == [])
            // At the limit exactly, the wheel is read and checked.
            let fits = run(["-", "--stdin-filename", builder.filename, "--max-total-size", "\(bytes.count)"], input: bytes)
            #expect(fits.stdout == "-: ok\n")
        }
    }

    /// Per-file ignores match the name `--stdin-filename` gives.
    @Test func perFileIgnoresMatchTheGivenName() throws {
        try TemporaryDirectory.with { folder in
            let builder = WheelBuilder(
                files: [WheelBuilder.File("demo/__init__.py", "VALUE = 1\n")], defects: [.badHash("demo/__init__.py")])
            let bytes = try TemporaryDirectory.read(try builder.write(in: folder))
            try TemporaryDirectory.write(
                "[tool.purewheel.check]\nper-file-ignores = { \"demo-*.whl\" = [\"PW4\"] }\n", to: folder + "/ci.toml")
            let result = run(["-", "--stdin-filename", builder.filename, "--config", folder + "/ci.toml"], input: bytes)
            #expect(result.stdout == "configuration: \(folder)/ci.toml\n-: ok\n")
        }
    }
}
