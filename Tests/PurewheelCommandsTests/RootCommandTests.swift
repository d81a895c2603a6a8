import PurewheelTestSupport
import Testing

@testable import PurewheelCommands

/// The root command: version flags, help topics and a missing subcommand.
@Suite struct RootCommandTests {
    @Test(arguments: ["-V", "--version"])
    func versionFlagPrintsTheVersion(flag: String) {
        let run = CommandRun.run([flag])
        #expect(run.status == 0)
        #expect(run.stdout == "purewheel 0.1.0\n")
        #expect(run.stderr == "")
    }

    @Test(arguments: [["--help"], ["-h"], ["help"]])
    func rootHelpListsTheVersionFlags(arguments: [String]) {
        let run = CommandRun.run(arguments)
        #expect(run.status == 0)
        #expect(run.stdout.contains("  -h, --help              Show help information.\n  -V, --version           Show the version.\n"))
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
