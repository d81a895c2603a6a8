import PurewheelTestSupport
import Testing

@testable import PurewheelCommands

/// The root command: version flags, help topics and a missing subcommand.
@Suite struct RootCommandTests {
    @Test func versionFlagPrintsTheVersion() {
        let run = CommandRun.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout == "purewheel 0.1.0\n")
        #expect(run.stderr == "")
    }

    /// ArgumentParser's version flag has no short name, and purewheel adds none of its own.
    @Test func shortVersionFlagIsAUsageError() {
        let run = CommandRun.run(["-V"])
        #expect(run.status == 64)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix("Error: Unknown option '-V'\n"), "\(run.stderr)")
    }

    @Test(arguments: [["--help"], ["-h"], ["help"]])
    func rootHelpListsTheVersionFlag(arguments: [String]) {
        let run = CommandRun.run(arguments)
        #expect(run.status == 0)
        #expect(run.stdout.contains("  --version               Show the version.\n"), "\(run.stdout)")
    }

    /// An upstream version given as `--version`, the option's old name, is refused with its new name, instead of
    /// being answered with purewheel's version.
    @Test(arguments: ["build", "lock"])
    func upstreamVersionUnderTheToolsNameIsAUsageError(command: String) {
        let run = CommandRun.run([command, "/nonexistent.toml", "--version", "1.0"])
        #expect(run.status == 64)
        #expect(run.stdout == "")
        #expect(
            run.stderr.hasPrefix(
                "Error: --version shows purewheel's version; give an upstream version with --upstream-version\n"),
            "\(run.stderr)")
    }

    @Test(arguments: ["build", "lock"])
    func upstreamVersionOptionIsParsed(command: String) {
        let run = CommandRun.run([command, "/nonexistent.toml", "--upstream-version", "1.0"])
        #expect(run.status == 66, "\(run.stderr)")
    }

    @Test func helpForAnUnknownSubcommandIsAUsageError() {
        let run = CommandRun.run(["help", "nonexist"])
        #expect(run.status == 64)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix("Error: unknown subcommand 'nonexist'\nUsage: purewheel <subcommand>\n"), "\(run.stderr)")
    }

    @Test func helpForAKnownSubcommandShowsItsHelp() {
        let run = CommandRun.run(["help", "build"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE: purewheel build"))
    }

    @Test func noSubcommandIsAUsageErrorWithUsageOnStderr() {
        let run = CommandRun.run([])
        #expect(run.status == 64)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix("Error: a subcommand is required\nUsage: purewheel <subcommand>\n"), "\(run.stderr)")
    }

    /// Every subcommand the parser knows runs through `EnvironmentCommand.perform`, whose one closed
    /// `CommandError` maps to exit codes without a cast; a subcommand registered without it would fall to
    /// ArgumentParser's own `run` and its untyped errors.
    @Test func everySubcommandIsAnEnvironmentCommand() {
        let subcommands = Purewheel.configuration.subcommands
        #expect(subcommands.count == 9)
        for command in subcommands { #expect(command is any EnvironmentCommand.Type, "\(command)") }
    }
}
