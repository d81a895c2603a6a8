import EnvironmentVerification
import Foundation
import PurewheelBasics
import PurewheelTestSupport
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

    @Test func interpreterAnswerIsParsedStrictly() {
        let pair = Array("/a/site-packages\0/a\0".utf8)
        #expect(SitePackagesQuery.parse(pair) == [SitePackages(path: "/a/site-packages", prefix: "/a")])
        #expect(SitePackagesQuery.parse([]) == [])
        #expect(SitePackagesQuery.parse(Array("/a/site-packages\0".utf8)) == nil)
        #expect(SitePackagesQuery.parse(Array("relative\0/a\0".utf8)) == nil)
        #expect(SitePackagesQuery.parse(Array("/a\0/b".utf8)) == nil)
        #expect(SitePackagesQuery.parse([0x2F, 0xFF, 0, 0x2F, 0]) == nil)
    }
}
