import Foundation
import PurewheelTestSupport
import Testing

@testable import PurewheelCommands

/// `[tool.purewheel.check]` in `pyproject.toml`, folders and globs as arguments, and when progress shows.
@Suite struct CheckConfigurationTests {
    /// A wheel with a bad hash (PW405, error) and a stray `.pyc` (PW801, warning) in `folder/<name>`.
    private func brokenWheel(in folder: String, distribution: String = "demo") throws -> String {
        let builder = WheelBuilder(
            distribution: distribution,
            files: [
                WheelBuilder.File("\(distribution)/__init__.py", "VALUE = 1\n"), WheelBuilder.File("\(distribution)/x.pyc", bytes: [0]),
            ],
            defects: [.badHash("\(distribution)/__init__.py")])
        return try builder.write(in: folder)
    }

    private func codes(_ output: String) -> [String] {
        output.split(separator: "\n").filter { $0.hasPrefix("error") || $0.hasPrefix("warning") }.compactMap { line in
            line.range(of: #"PW[0-9]{3}"#, options: .regularExpression).map { String(line[$0]) }
        }
    }

    @Test func configurationIsFoundUpwardAndCommandLineWins() throws {
        try TemporaryDirectory.with { folder in
            let wheel = try brokenWheel(in: folder)
            try TemporaryDirectory.write("[project]\nname = \"sub\"\n", to: folder + "/a/b/pyproject.toml")
            try TemporaryDirectory.write(
                """
                [tool.purewheel.check]
                ignore = ["pw801"]
                max-entries = 100

                """, to: folder + "/a/pyproject.toml")
            let inner = CommandRun.run(["check", wheel], environment: [:], workingDirectory: folder + "/a/b")
            #expect(inner.status == 1)
            #expect(codes(inner.stdout) == ["PW405"])
            let overridden = CommandRun.run(["check", "--ignore", "PW405", wheel], environment: [:], workingDirectory: folder + "/a/b")
            #expect(overridden.status == 0)
            #expect(codes(overridden.stdout) == ["PW801"])
            let isolated = CommandRun.run(["check", "--no-config", wheel], environment: [:], workingDirectory: folder + "/a/b")
            #expect(codes(isolated.stdout) == ["PW405", "PW801"])
            let outside = CommandRun.run(["check", wheel], environment: [:], workingDirectory: folder)
            #expect(codes(outside.stdout) == ["PW405", "PW801"])
        }
    }

    @Test func limitsComeFromTheConfiguration() throws {
        try TemporaryDirectory.with { folder in
            let wheel = try brokenWheel(in: folder)
            try TemporaryDirectory.write("[tool.purewheel.check]\nmax-entries = 2\n", to: folder + "/pyproject.toml")
            let limited = CommandRun.run(["check", wheel], environment: [:], workingDirectory: folder)
            #expect(codes(limited.stdout) == ["PW301"])
            let raised = CommandRun.run(
                ["check", "--max-entries", "10", "--select", "PW3", wheel], environment: [:], workingDirectory: folder)
            #expect(raised.status == 0)
        }
    }

    @Test func perFileIgnoresMatchTheWheelFileName() throws {
        try TemporaryDirectory.with { folder in
            let demo = try brokenWheel(in: folder)
            let other = try brokenWheel(in: folder, distribution: "other")
            try TemporaryDirectory.write(
                "[tool.purewheel.check]\nper-file-ignores = { \"demo-*.whl\" = [\"PW4\", \"PW801\"] }\n", to: folder + "/pyproject.toml")
            let result = CommandRun.run(["check", demo, other], environment: [:], workingDirectory: folder)
            #expect(result.status == 1)
            #expect(result.stdout.contains("demo-1.0-py3-none-any.whl: ok\n"))
            #expect(codes(result.stdout) == ["PW405", "PW801"])
        }
    }

    struct BadConfiguration: CustomTestStringConvertible, Sendable {
        let toml: String
        let status: Int32
        let message: String
        var testDescription: String { toml.split(separator: "\n").joined(separator: " ") }
    }

    @Test(arguments: [
        BadConfiguration(
            toml: "[tool.purewheel.check]\nselct = [\"PW4\"]\n", status: 78,
            message: "error: pyproject.toml (tool.purewheel.check.selct): unknown key 'selct'\n"
                + "  hint: known keys here: allow-startup-code, ignore, max-entries, max-entry-size, max-ratio, max-total-size, per-file-ignores, profile, select\n"
        ),
        BadConfiguration(
            toml: "[tool.purewheel.check]\nignore = [\"PW405\", \"PW950\"]\n", status: 78,
            message: "error: pyproject.toml (tool.purewheel.check.ignore[1]): unknown finding code 'PW950'\n"
                + "  hint: codes are listed in docs/codes.md (PW100–PW999); a prefix such as PW4 names a family\n"),
        BadConfiguration(
            toml: "[tool.purewheel.check]\nper-file-ignores = { \"*.whl\" = [\"X1\"] }\n", status: 78,
            message: "error: pyproject.toml (tool.purewheel.check.per-file-ignores.\"*.whl\"[0]): unknown finding code 'X1'\n"
                + "  hint: codes are listed in docs/codes.md (PW100–PW999); a prefix such as PW4 names a family\n"),
        BadConfiguration(
            toml: "[tool.purewheel.check]\nmax-ratio = \"200\"\n", status: 78,
            message: "error: pyproject.toml (tool.purewheel.check.max-ratio): expected a positive integer, found a string\n"),
        BadConfiguration(
            toml: "[tool.purewheel.check]\nmax-entries = 0\n", status: 78,
            message: "error: pyproject.toml (tool.purewheel.check.max-entries): expected a positive integer\n"),
        BadConfiguration(
            toml: "[tool.purewheel.check.per-file-ignores]\n\"dist/[ab.whl\" = [\"PW4\"]\n", status: 78,
            message: "error: pyproject.toml (tool.purewheel.check.per-file-ignores.\"dist/[ab.whl\"): invalid glob: a '[' is not closed\n"),
        BadConfiguration(
            toml: "[tool.purewheel]\nchek = {}\n", status: 78,
            message: "error: pyproject.toml (tool.purewheel.chek): unknown key 'chek'\n  hint: known keys here: check, verify-env\n"),
    ])
    func invalidConfigurationNamesTheKey(_ example: BadConfiguration) throws {
        try TemporaryDirectory.with { folder in
            let wheel = try WheelBuilder().write(in: folder)
            try TemporaryDirectory.write(example.toml, to: folder + "/pyproject.toml")
            let result = CommandRun.run(["check", wheel], environment: [:], workingDirectory: folder)
            #expect(result.status == example.status)
            #expect(result.stderr.replacingOccurrences(of: folder + "/", with: "") == example.message)
            #expect(result.stdout == "")
        }
    }

    @Test func explicitConfigurationFile() throws {
        try TemporaryDirectory.with { folder in
            let wheel = try brokenWheel(in: folder)
            try TemporaryDirectory.write("[tool.purewheel.check]\nselect = [\"PW8\"]\n", to: folder + "/ci.toml")
            let result = CommandRun.run(["check", "--config", folder + "/ci.toml", wheel], environment: [:])
            #expect(result.status == 0)
            #expect(codes(result.stdout) == ["PW801"])
            let missing = CommandRun.run(["check", "--config", folder + "/nope.toml", wheel], environment: [:])
            #expect(missing.status == 66)
            #expect(missing.stderr == "error: \(folder)/nope.toml: the configuration file does not exist\n")
            let syntax = folder + "/bad.toml"
            try TemporaryDirectory.write("[tool.purewheel.check\n", to: syntax)
            let broken = CommandRun.run(["check", "--config", syntax, wheel], environment: [:])
            #expect(broken.status == 78)
            #expect(broken.stderr.hasPrefix("error: \(syntax):1: invalid TOML"))
        }
    }

    @Test func foldersStandForTheirWheelsSorted() throws {
        try TemporaryDirectory.with { folder in
            let dist = folder + "/dist"
            let second = try brokenWheel(in: dist, distribution: "zeta")
            let first = try WheelBuilder(distribution: "alpha").write(in: dist)
            try TemporaryDirectory.write("x", to: dist + "/.hidden-1.0-py3-none-any.whl")
            try TemporaryDirectory.write("x", to: dist + "/notes.txt")
            let result = CommandRun.run(["check", dist + "/"], environment: [:])
            #expect(result.status == 1)
            let summaries = result.stdout.split(separator: "\n").filter {
                $0.hasSuffix(": ok") || $0.hasSuffix("warning") || $0.hasSuffix("warnings")
            }
            #expect(summaries.map { String($0.split(separator: ":").first ?? "") } == [first, second])
            let globbed = CommandRun.run(["check", dist + "/alpha-*.whl"], environment: [:])
            #expect(globbed.stdout == "\(first): ok\n")
        }
    }

    @Test func emptyFolderAndEmptyGlobAreErrors() throws {
        try TemporaryDirectory.with { folder in
            try FileManager.default.createDirectory(atPath: folder + "/empty", withIntermediateDirectories: true)
            let empty = CommandRun.run(["check", folder + "/empty"], environment: [:])
            #expect(empty.status == 66)
            #expect(
                empty.stderr
                    == "error: \(folder)/empty: the folder has no *.whl files\n  hint: build or download the wheels first, or name the files\n"
            )
            let glob = CommandRun.run(["check", folder + "/*.whl"], environment: [:])
            #expect(glob.status == 66)
            #expect(glob.stderr == "error: \(folder)/*.whl: the pattern matches no file\n")
        }
    }

    @Test func progressOnlyOnAPlainTerminalWithTextOutput() {
        #expect(CheckProgress.isWanted(errorIsTerminal: true, isTextFormat: true, variables: ["TERM": "xterm"]))
        #expect(!CheckProgress.isWanted(errorIsTerminal: false, isTextFormat: true, variables: [:]))
        #expect(!CheckProgress.isWanted(errorIsTerminal: true, isTextFormat: false, variables: [:]))
        #expect(!CheckProgress.isWanted(errorIsTerminal: true, isTextFormat: true, variables: ["NO_COLOR": "1"]))
        #expect(!CheckProgress.isWanted(errorIsTerminal: true, isTextFormat: true, variables: ["TERM": "dumb"]))
        #expect(
            CheckProgress.line(
                name: "dist/a\u{1B}b.whl", index: 1, count: 3, entriesDone: 5, entries: 10, bytesDone: 1_500_000, bytes: 3_000_000)
                == "checking [2/3] a\\x1bb.whl: 5/10 entries, 1.5/3.0 MB")
    }

    @Test func helpMatchesGolden() {
        let result = CommandRun.run(["check", "--help"], environment: [:])
        #expect(result.status == 0)
        expectGolden(result.stdout, named: "check-help.txt")
    }

    @Test func noProgressWhenNotATerminal() throws {
        try TemporaryDirectory.with { folder in
            let wheel = try WheelBuilder().write(in: folder)
            let result = CommandRun.run(["check", wheel], environment: ["TERM": "xterm"])
            #expect(result.stderr == "")
        }
    }
}

@Suite struct CheckProfileConfigurationTests {
    @Test func profileComesFromTheConfigurationAndTheOptionWins() throws {
        let settings = try #require(
            try CheckConfigurationLoader.parse("[tool.purewheel.check]\nprofile = \"pypi\"\n", path: "pyproject.toml"))
        #expect(settings.profile == .pypi)
        #expect(throws: CheckConfigurationError.self) {
            try CheckConfigurationLoader.parse("[tool.purewheel.check]\nprofile = \"strict\"\n", path: "pyproject.toml")
        }
    }
}
