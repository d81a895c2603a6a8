import Foundation
import PurewheelBasics
import PurewheelCommands
import PurewheelTestSupport
import Testing

/// Allowing a reviewed `.pth` file's startup code, by its sha256, from the command line or the configuration.
@Suite struct CheckStartupCodeTests {
    private static let hook = "import demo_hook\n"
    private static let digest = SHA256Digest.of(Array(hook.utf8)).hex

    private func wheel(in folder: String) throws -> String {
        try WheelBuilder(files: [.init("demo/__init__.py", ""), .init("demo_hook.pth", Self.hook)]).write(in: folder + "/dist")
    }

    @Test func aStartupLineFailsTheCheckAndNamesTheDigest() throws {
        try TemporaryDirectory.with { folder in
            let run = CommandRun.run(["check", "--no-config", try wheel(in: folder)], environment: [:])
            #expect(run.status == 1)
            #expect(
                run.stdout.contains(
                    "PW803 line 1 of the .pth file runs at every interpreter start: import demo_hook (sha256 \(Self.digest))"))
        }
    }

    @Test func theCommandLineAllowsItByDigest() throws {
        try TemporaryDirectory.with { folder in
            let path = try wheel(in: folder)
            #expect(CommandRun.run(["check", "--no-config", "--allow-startup-code", Self.digest, path], environment: [:]).status == 0)
            let other = SHA256Digest.of(Array("x".utf8)).hex
            #expect(CommandRun.run(["check", "--no-config", "--allow-startup-code", other, path], environment: [:]).status == 1)
            #expect(CommandRun.run(["check", "--no-config", "--allow-startup-code", "abc", path], environment: [:]).status == 64)
        }
    }

    @Test func theConfigurationAllowsItByDigest() throws {
        try TemporaryDirectory.with { folder in
            let path = try wheel(in: folder)
            try TemporaryDirectory.write(
                "[tool.purewheel.check]\nallow-startup-code = [\"\(Self.digest.uppercased())\"]\n", to: folder + "/pyproject.toml")
            #expect(CommandRun.run(["check", path], environment: [:], workingDirectory: folder).status == 0)
            try TemporaryDirectory.write("[tool.purewheel.check]\nallow-startup-code = [\"not-hex\"]\n", to: folder + "/pyproject.toml")
            let bad = CommandRun.run(["check", path], environment: [:], workingDirectory: folder)
            #expect(bad.status == 78)
            #expect(bad.stderr.contains("(tool.purewheel.check.allow-startup-code[0]): expected a sha256 digest as 64 hex digits"))
        }
    }
}
