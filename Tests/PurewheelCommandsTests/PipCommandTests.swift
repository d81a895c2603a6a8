import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing

@testable import PurewheelCommands

/// Which pip runs: `--pip` is one executable, `$PUREWHEEL_PIP` is split like a shell would,
/// and a pip that is not there is exit 66 naming it, whichever way it was given.
@Suite struct PipCommandTests {
    @Test(arguments: [
        (id: "plain", text: "pip3", words: ["pip3"] as [String]?),
        (id: "module", text: "python3 -m pip", words: ["python3", "-m", "pip"]),
        (id: "extra spaces", text: "  python3\t -m  pip ", words: ["python3", "-m", "pip"]),
        (id: "double quotes", text: "\"/opt/my tools/pip\" --quiet", words: ["/opt/my tools/pip", "--quiet"]),
        (id: "single quotes", text: "'/opt/my tools/pip'", words: ["/opt/my tools/pip"]),
        (id: "escaped space", text: "/opt/my\\ tools/pip", words: ["/opt/my tools/pip"]),
        (id: "quotes inside a word", text: "/opt/'my tools'/pip", words: ["/opt/my tools/pip"]),
        (id: "empty quotes", text: "pip ''", words: ["pip", ""]),
        (id: "unclosed quote", text: "\"/opt/pip", words: nil),
        (id: "trailing backslash", text: "pip\\", words: nil),
    ])
    func shellWords(id: String, text: String, words: [String]?) {
        #expect(ShellWords.split(text) == words)
    }

    @Test func aMissingPipNamedInTheVariableIsExit66LikeAMissingPath() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            let base = ["build", fixture.recipe, "--upstream-version", "1.0", "--out", "\(folder)/dist", "--cache-dir", "\(folder)/cache"]
            let environment = ["PATH": "/nonexistent", "HOME": folder]
            var variable = environment
            variable["PUREWHEEL_PIP"] = "missing"
            let byVariable = CommandRun.run(base, environment: variable)
            #expect(byVariable.status == 66)
            #expect(byVariable.stderr == "error: pip not found (tried missing)\n  hint: install pip, or pass --pip /path/to/pip\n")
            let byOption = CommandRun.run(base + ["--pip", "/missing"], environment: environment)
            #expect(byOption.status == 66)
            #expect(byOption.stderr == "error: pip not found (tried /missing)\n  hint: install pip, or pass --pip /path/to/pip\n")
        }
    }

    @Test func aPipPathWithSpacesWorksAsOptionAndQuotedInTheVariable() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            try FileIO.rename("\(folder)/pip", to: "\(folder)/my pip")
            let pip = "\(folder)/my pip/pip"
            try FileIO.createDirectory("\(folder)/published")
            let pending = ["pending", fixture.recipe, "--published", "\(folder)/published", "--cache-dir", "\(folder)/cache"]
            let byOption = CommandRun.run(pending + ["--pip", pip])
            #expect(byOption.status == 0, "\(byOption.stderr)")
            #expect(byOption.stdout.hasPrefix("1.0  pinned"), "\(byOption.stdout)")
            var variables = ProcessInfo.processInfo.environment
            variables["PUREWHEEL_PIP"] = "'\(pip)'"
            let byVariable = CommandRun.run(pending, environment: variables)
            #expect(byVariable.status == 0, "\(byVariable.stderr)")
            #expect(byVariable.stdout == byOption.stdout)
        }
    }

    @Test func anUnclosedQuoteInTheVariableIsAUsageError() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try ReleaseCommandTests.make(in: folder)
            let run = CommandRun.run(
                ["build", fixture.recipe, "--upstream-version", "1.0", "--out", "\(folder)/dist"],
                environment: ["PUREWHEEL_PIP": "\"/opt/pip"])
            #expect(run.status == 64)
            #expect(
                run.stderr.hasPrefix("error: environment variable PUREWHEEL_PIP='\"/opt/pip' is not a command split like a shell would"))
        }
    }
}
