import EnvironmentVerification
import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Synchronization
import Testing

@testable import PurewheelCommands

/// `purewheel verify-env`: exit codes, formats, selection, and the interpreter's answer.
@Suite struct VerifyEnvCommandTests {
    /// A venv-like prefix with one distribution whose RECORD is right; returns the site-packages folder.
    private func environment(in folder: String) throws -> String {
        let site = folder + "/env/lib/python3.12/site-packages"
        let content = "VALUE = 1\n"
        try TemporaryDirectory.write(content, to: site + "/demo/__init__.py")
        let digest = SHA256Digest.of(Array(content.utf8)).urlSafeBase64
        try TemporaryDirectory.write(
            "demo/__init__.py,sha256=\(digest),\(content.utf8.count)\ndemo-1.0.dist-info/RECORD,,\n",
            to: site + "/demo-1.0.dist-info/RECORD")
        return site
    }

    @Test func cleanEnvironmentExitsZeroAndSaysOk() throws {
        try TemporaryDirectory.with { folder in
            let site = try environment(in: folder)
            let run = CommandRun.run(["verify-env", site])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "\(site)/demo-1.0.dist-info: ok\n\(site): ok\n")
            #expect(run.stderr == "")
        }
    }

    @Test func modifiedFileExitsOneWithTheFindingFirst() throws {
        try TemporaryDirectory.with { folder in
            let site = try environment(in: folder)
            try TemporaryDirectory.write("VALUE = 2\n", to: site + "/demo/__init__.py")
            let run = CommandRun.run(["verify-env", site])
            #expect(run.status == 1)
            #expect(
                run.stdout.hasPrefix(
                    "error: \(site)/demo-1.0.dist-info!demo/__init__.py (RECORD line 1): PW902 the file's hash differs from RECORD"))
            #expect(CommandRun.run(["verify-env", "--ignore", "PW902", site]).status == 0)
            #expect(CommandRun.run(["verify-env", "--select", "PW91", site]).status == 0)
        }
    }

    @Test func orphanStartupFileInJSON() throws {
        try TemporaryDirectory.with { folder in
            let site = try environment(in: folder)
            try TemporaryDirectory.write("import evil\n", to: site + "/evil.pth")
            let run = CommandRun.run(["verify-env", "--format", "json", site])
            #expect(run.status == 1)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let reports = try #require(document["wheels"] as? [[String: Any]])
            #expect(reports.map { $0["path"] as? String } == ["\(site)/demo-1.0.dist-info", site])
            let finding = try #require((reports[1]["findings"] as? [[String: Any]])?.first)
            #expect(finding["code"] as? String == "PW914")
            #expect(finding["entry"] as? String == "evil.pth")
            #expect(finding["severity"] as? String == "error")
        }
    }

    @Test func sarifListsTheEnvironmentCodesAsRules() throws {
        try TemporaryDirectory.with { folder in
            let site = try environment(in: folder)
            try TemporaryDirectory.write("x\n", to: site + "/stray.txt")
            let run = CommandRun.run(["verify-env", "--format", "sarif", site])
            #expect(run.status == 0)
            #expect(run.stdout.contains("\"id\" : \"PW914\""))
            #expect(run.stdout.contains("\"ruleId\" : \"PW913\""))
        }
    }

    @Test func unreadableRecordIsReportedWhateverTheSelection() throws {
        try TemporaryDirectory.with { folder in
            let site = try environment(in: folder)
            try FileManager.default.removeItem(atPath: site + "/demo-1.0.dist-info/RECORD")
            let run = CommandRun.run(["verify-env", "--ignore", "PW9", site])
            #expect(run.status == 1)
            #expect(run.stdout.contains("PW909 the .dist-info folder has no RECORD"))
        }
    }

    @Test func missingFolderExits66() throws {
        try TemporaryDirectory.with { folder in
            let run = CommandRun.run(["verify-env", folder + "/none"])
            #expect(run.status == 66)
            #expect(run.stderr.hasPrefix("error: \(folder)/none: no such site-packages folder\n  hint: "))
            #expect(run.stdout == "")
        }
    }

    @Test(arguments: [
        ["verify-env", "--python", "python3", "/tmp"], ["verify-env", "--select", "PW99", "/tmp"],
        ["verify-env", "--allow-startup-code", "abc", "/tmp"],
    ])
    func badCommandLinesExit64(arguments: [String]) {
        let run = CommandRun.run(arguments)
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stdout == "")
    }

    @Test func interpreterThatCannotBeFoundExits66() {
        let run = CommandRun.run(["verify-env", "--python", "no-such-python-here"], environment: ["PATH": "/nonexistent"])
        #expect(run.status == 66)
        #expect(run.stderr.hasPrefix("error: no-such-python-here: no such Python interpreter\n"))
    }

    @Test func interpreterThatAnswersNothingUsableExits65() {
        // A stand-in interpreter: `true` ignores its arguments and prints nothing, so no folder is reported.
        let run = CommandRun.run(["verify-env", "--python", "/bin/true"])
        #expect(run.status == 65)
        #expect(run.stderr.contains("it has no site-packages folder"))
    }

    /// A stand-in interpreter that names `site` only when the command's own environment (not the test process's)
    /// sets `PUREWHEEL_TEST_INTERPRETER`, and otherwise fails with lines on standard error.
    private func standInInterpreter(in folder: String, naming site: String) throws -> String {
        let path = folder + "/python"
        try TemporaryDirectory.write(
            """
            #!/bin/sh
            echo "first line" >&2
            echo "last line" >&2
            [ "$PUREWHEEL_TEST_INTERPRETER" = yes ] || exit 3
            printf '%s\\0%s\\0' '\(site)' '\(folder)'
            """, to: path)
        chmod(path, 0o755)
        return path
    }

    @Test func interpreterRunsInTheCommandsEnvironment() throws {
        try TemporaryDirectory.with { folder in
            let site = try environment(in: folder)
            let python = try standInInterpreter(in: folder, naming: site)
            let run = CommandRun.run(["verify-env", "--python", python], environment: ["PUREWHEEL_TEST_INTERPRETER": "yes"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "\(site)/demo-1.0.dist-info: ok\n\(site): ok\n")
        }
    }

    @Test func interpreterThatFailsIsReportedWithItsStatusAndStandardError() throws {
        try TemporaryDirectory.with { folder in
            let python = try standInInterpreter(in: folder, naming: try environment(in: folder))
            let run = CommandRun.run(["verify-env", "--python", python], environment: [:])
            #expect(run.status == 65)
            #expect(
                run.stderr.hasPrefix(
                    "error: \(python): the interpreter did not report its site-packages folders (exit 3): first line\n  last line\n"),
                "\(run.stderr)")
        }
    }

    @Test func interpreterAnswerIsParsedStrictly() {
        let pair = Array("/a/site-packages\0/a\0".utf8)
        #expect(SitePackagesQuery.parse(pair) == [SitePackages(path: "/a/site-packages", prefix: "/a")])
        #expect(SitePackagesQuery.parse([]) == [])
        #expect(SitePackagesQuery.parse(Array("/a/site-packages\0".utf8)) == nil)
        #expect(SitePackagesQuery.parse(Array("relative\0/a\0".utf8)) == nil)
        #expect(SitePackagesQuery.parse(Array("/a\0/b".utf8)) == nil)
        #expect(SitePackagesQuery.parse([0x2F, 0xFF, 0, 0x2F, 0]) == nil)
    }

    @Test func configurationIsFoundUpwardNamedInTheReportAndOptionsWin() throws {
        try TemporaryDirectory.with { folder in
            let site = try environment(in: folder)
            try TemporaryDirectory.write("VALUE = 2\n", to: site + "/demo/__init__.py")
            try TemporaryDirectory.write("[project]\nname = \"sub\"\n", to: folder + "/a/b/pyproject.toml")
            try TemporaryDirectory.write("[tool.purewheel.verify-env]\nignore = [\"pw902\"]\n", to: folder + "/a/pyproject.toml")
            let configured = CommandRun.run(["verify-env", site], environment: [:], workingDirectory: folder + "/a/b")
            #expect(configured.status == 0, "\(configured.stdout)")
            #expect(configured.stdout.hasPrefix("configuration: \(folder)/a/pyproject.toml\n"))
            // The twin without the file: the same environment fails.
            let outside = CommandRun.run(["verify-env", site], environment: [:], workingDirectory: folder)
            #expect(outside.status == 1)
            #expect(!outside.stdout.contains("configuration:"))
            let overridden = CommandRun.run(["verify-env", "--ignore", "PW913", site], environment: [:], workingDirectory: folder + "/a")
            #expect(overridden.status == 1, "--ignore replaces the file's list")
            let isolated = CommandRun.run(["verify-env", "--no-config", site], environment: [:], workingDirectory: folder + "/a")
            #expect(isolated.status == 1)
            let named = CommandRun.run(
                ["verify-env", "--config", folder + "/a/pyproject.toml", "--format", "json", site], environment: [:],
                workingDirectory: folder)
            #expect(named.status == 0)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(named.stdout.utf8)) as? [String: Any])
            #expect(document["configuration"] as? String == folder + "/a/pyproject.toml")
        }
    }

    @Test func configuredSelectionAndAllowedStartupCode() throws {
        try TemporaryDirectory.with { folder in
            let site = try environment(in: folder)
            let startup = "import evil\n"
            try TemporaryDirectory.write(startup, to: site + "/evil.pth")
            let digest = SHA256Digest.of(Array(startup.utf8)).hex
            #expect(CommandRun.run(["verify-env", site], environment: [:], workingDirectory: folder).status == 1)
            try TemporaryDirectory.write(
                "[tool.purewheel.verify-env]\nallow-startup-code = [\"\(digest)\"]\n", to: folder + "/pyproject.toml")
            let allowed = CommandRun.run(["verify-env", site], environment: [:], workingDirectory: folder)
            #expect(allowed.status == 0, "\(allowed.stdout)")
            #expect(allowed.stdout.contains("PW913"), "an allowed .pth file nobody owns is still listed")
            try TemporaryDirectory.write("[tool.purewheel.verify-env]\nselect = [\"PW90\"]\n", to: folder + "/pyproject.toml")
            #expect(CommandRun.run(["verify-env", site], environment: [:], workingDirectory: folder).status == 0)
            try TemporaryDirectory.write("[tool.purewheel.verify-env]\nselect = [\"PW91\"]\n", to: folder + "/pyproject.toml")
            #expect(CommandRun.run(["verify-env", site], environment: [:], workingDirectory: folder).status == 1)
        }
    }

    /// An invalid table and its valid twin: the error names the key and exits 78; the twin applies.
    @Test(arguments: [
        (invalid: "selct = [\"PW9\"]", valid: "select = [\"PW9\"]", key: "tool.purewheel.verify-env.selct", message: "unknown key 'selct'"),
        (
            invalid: "ignore = [\"PW999\"]", valid: "ignore = [\"PW913\"]", key: "tool.purewheel.verify-env.ignore[0]",
            message: "unknown finding code 'PW999'"
        ),
        (
            invalid: "ignore = \"PW913\"", valid: "ignore = [\"PW913\"]", key: "tool.purewheel.verify-env.ignore",
            message: "expected an array of codes, found a string"
        ),
        (
            invalid: "allow-startup-code = [\"abc\"]", valid: "allow-startup-code = []",
            key: "tool.purewheel.verify-env.allow-startup-code[0]",
            message: "expected a sha256 digest as 64 hex digits, found a string"
        ),
    ])
    func invalidConfigurationNamesTheKeyAndItsTwinApplies(_ example: (invalid: String, valid: String, key: String, message: String)) throws
    {
        try TemporaryDirectory.with { folder in
            let site = try environment(in: folder)
            try TemporaryDirectory.write("[tool.purewheel.verify-env]\n\(example.invalid)\n", to: folder + "/pyproject.toml")
            let invalid = CommandRun.run(["verify-env", site], environment: [:], workingDirectory: folder)
            #expect(invalid.status == 78)
            #expect(invalid.stderr.hasPrefix("error: \(folder)/pyproject.toml (\(example.key)): \(example.message)\n"))
            #expect(invalid.stdout == "")
            try TemporaryDirectory.write("[tool.purewheel.verify-env]\n\(example.valid)\n", to: folder + "/pyproject.toml")
            let valid = CommandRun.run(["verify-env", site], environment: [:], workingDirectory: folder)
            #expect(valid.status == 0, "\(valid.stderr)")
            #expect(valid.stdout.hasPrefix("configuration: \(folder)/pyproject.toml\n"))
        }
    }

    @Test func checkAcceptsTheVerifyEnvTableAndVerifyEnvValidatesTheCheckTable() throws {
        try TemporaryDirectory.with { folder in
            let site = try environment(in: folder)
            try TemporaryDirectory.write(
                "[tool.purewheel.check]\nignore = [\"PW801\"]\n[tool.purewheel.verify-env]\nignore = [\"PW913\"]\n",
                to: folder + "/pyproject.toml")
            let settings = try VerifyEnvConfigurationLoader.load(path: folder + "/pyproject.toml")
            #expect(settings == VerifyEnvSettings(select: nil, ignore: ["PW913"], allowStartupCode: nil))
            #expect(try CheckConfigurationLoader.load(path: folder + "/pyproject.toml")?.ignore == ["PW801"])
            try TemporaryDirectory.write("[tool.purewheel.check]\nmax-entries = 0\n", to: folder + "/pyproject.toml")
            let run = CommandRun.run(["verify-env", site], environment: [:], workingDirectory: folder)
            #expect(run.status == 78, "one file configures both: an invalid one is invalid for both")
            #expect(run.stderr.hasPrefix("error: \(folder)/pyproject.toml (tool.purewheel.check.max-entries): "))
            try TemporaryDirectory.write("[project]\nname = \"demo\"\n", to: folder + "/other.toml")
            #expect(try VerifyEnvConfigurationLoader.load(path: folder + "/other.toml") == nil)
        }
    }

    @Test func missingConfigFileExits66() throws {
        try TemporaryDirectory.with { folder in
            let site = try environment(in: folder)
            let run = CommandRun.run(["verify-env", "--config", folder + "/none.toml", site], environment: [:], workingDirectory: folder)
            #expect(run.status == 66)
            #expect(CommandRun.run(["verify-env", "--config", "x", "--no-config", site]).status == 64)
        }
    }

    @Test func aStrangersFileIsPassedOverAndAnOwnedOneApplies() throws {
        try TemporaryDirectory.with { folder in
            let near = folder + "/a/pyproject.toml"
            let far = folder + "/pyproject.toml"
            try TemporaryDirectory.write("[tool.purewheel.verify-env]\nignore = [\"PW9\"]\n", to: near)
            try TemporaryDirectory.write("[tool.purewheel.verify-env]\nselect = [\"PW91\"]\n", to: far)
            func search(strangers: Set<String>) -> ConfigurationSearch {
                ConfigurationSearch(
                    userID: geteuid(), homes: [],
                    owners: { path in
                        guard FileManager.default.fileExists(atPath: path) else { return nil }
                        return [strangers.contains(path) ? 65534 : geteuid()]
                    }, isRepositoryRoot: { _ in false })
            }
            let passedOver = try VerifyEnvConfigurationLoader.discover(from: folder + "/a", search: search(strangers: [near]))
            #expect(passedOver.ignored == [.init(path: near, owner: 65534)])
            #expect(passedOver.applied?.path == far)
            #expect(passedOver.applied?.settings.select == ["PW91"])
            let owned = try VerifyEnvConfigurationLoader.discover(from: folder + "/a", search: search(strangers: []))
            #expect(owned.ignored == [])
            #expect(owned.applied?.path == near)
            #expect(owned.applied?.settings.ignore == ["PW9"])
        }
    }
}

/// The progress line of `verify-env`: only on a terminal with the text report, after a second, at most ten times a
/// second, erased at the end; driven by a clock the test moves.
@Suite struct VerifyEnvProgressTests {
    private final class Sink: Sendable {
        let text = Mutex("")
        let clock = Mutex<UInt64>(0)
    }

    private func environment(terminal: Bool, variables: [String: String] = [:], sink: Sink) -> CommandEnvironment {
        CommandEnvironment(
            variables: variables, writeOut: { _ in }, writeError: { chunk in sink.text.withLock { $0 += chunk } }, errorIsTerminal: terminal
        )
    }

    private func progress(_ done: Int, of files: Int) -> VerificationProgress {
        var progress = VerificationProgress(files: files, bytes: UInt64(files) * 1_000_000)
        progress.filesDone = done
        progress.bytesDone = UInt64(done) * 1_000_000
        return progress
    }

    @Test func drawnAfterASecondThrottledAndErased() {
        let sink = Sink()
        let reporter = VerifyEnvProgress(environment: environment(terminal: true, sink: sink), isTextFormat: true) {
            sink.clock.withLock { $0 }
        }
        reporter.show(progress(10, of: 100), site: 0, of: 1)
        #expect(sink.text.withLock { $0 } == "", "nothing during the first second")
        sink.clock.withLock { $0 = 1_000_000_000 }
        reporter.show(progress(20, of: 100), site: 0, of: 1)
        sink.clock.withLock { $0 = 1_050_000_000 }
        reporter.show(progress(30, of: 100), site: 0, of: 1)
        sink.clock.withLock { $0 = 1_200_000_000 }
        reporter.show(progress(40, of: 100), site: 1, of: 2)
        reporter.finish()
        #expect(
            sink.text.withLock { $0 }
                == "\r\u{1B}[Kverifying: 20/100 files, 20.0/100.0 MB\r\u{1B}[Kverifying [2/2]: 40/100 files, 40.0/100.0 MB\r\u{1B}[K")
    }

    @Test func theLastFileIsAlwaysDrawn() {
        let sink = Sink()
        let reporter = VerifyEnvProgress(environment: environment(terminal: true, sink: sink), isTextFormat: true) {
            sink.clock.withLock { $0 }
        }
        sink.clock.withLock { $0 = 2_000_000_000 }
        reporter.show(progress(99, of: 100), site: 0, of: 1)
        reporter.show(progress(100, of: 100), site: 0, of: 1)
        #expect(sink.text.withLock { $0 }.hasSuffix("verifying: 100/100 files, 100.0/100.0 MB"))
    }

    @Test(arguments: [
        (terminal: false, text: true, variables: [String: String]()), (terminal: true, text: false, variables: [:]),
        (terminal: true, text: true, variables: ["NO_COLOR": "1"]), (terminal: true, text: true, variables: ["TERM": "dumb"]),
    ])
    func neverInPipesReportsOrPlainTerminals(_ setting: (terminal: Bool, text: Bool, variables: [String: String])) {
        let sink = Sink()
        let reporter = VerifyEnvProgress(
            environment: environment(terminal: setting.terminal, variables: setting.variables, sink: sink), isTextFormat: setting.text
        ) { sink.clock.withLock { $0 } }
        sink.clock.withLock { $0 = 5_000_000_000 }
        reporter.show(progress(100, of: 100), site: 0, of: 1)
        reporter.finish()
        #expect(sink.text.withLock { $0 } == "")
    }

    /// On a terminal, JSON on standard output stays clean and standard error is left without a progress line.
    @Test(arguments: ["json", "sarif", "text"])
    func terminalRunsLeaveTheReportAlone(_ format: String) throws {
        try TemporaryDirectory.with { folder in
            let site = folder + "/env/lib/python3.12/site-packages"
            try TemporaryDirectory.write("x\n", to: site + "/stray.txt")
            let out = Mutex("")
            let err = Mutex("")
            let terminal = CommandEnvironment(
                variables: ["TERM": "xterm"], writeOut: { text in out.withLock { $0 += text } },
                writeError: { text in err.withLock { $0 += text } }, workingDirectory: folder, errorIsTerminal: true)
            let status = Purewheel.run(["verify-env", "--format", format, site], in: terminal)
            let plain = CommandRun.run(["verify-env", "--format", format, site], environment: ["TERM": "xterm"], workingDirectory: folder)
            #expect(status == plain.status)
            #expect(out.withLock { $0 } == plain.stdout)
            let drawn = err.withLock { $0 }
            if format == "text" {
                // Whether a line was drawn depends on the run's length; if one was, it was erased.
                #expect(drawn.isEmpty || (drawn.hasPrefix("\r\u{1B}[K") && drawn.hasSuffix("\r\u{1B}[K")))
            } else {
                #expect(drawn == "")
            }
        }
    }
}
