import ArgumentParser
import Publishing
import RecipeFormat

/// `purewheel compare A B`: which files differ between two wheels.
struct CompareCommand: EnvironmentCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Show which files differ between two wheels (RECORD is left out; .dist-info files are matched by name).",
        discussion: "Exit status: 0 when no file differs, 1 when some do."
    )

    @Argument(help: "The first wheel.")
    var first: String

    @Argument(help: "The second wheel.")
    var second: String

    @Option(name: .customLong("ignore"), help: "A glob of entries to leave out, e.g. '**/*.so' (repeatable).")
    var ignore: [String] = []

    func validate() throws {
        for pattern in ignore {
            do { _ = try Glob(pattern) } catch { throw ValidationError("--ignore '\(pattern)' is not a valid glob") }
        }
    }

    func perform(in environment: CommandEnvironment) throws(CommandError) -> Int32 {
        var globs = [Glob]()
        for pattern in ignore {
            do throws(Glob.Problem) { globs.append(try Glob(pattern)) } catch { throw .invalidGlob(pattern: pattern, problem: error) }
        }
        let comparison: WheelComparison
        do throws(PublishError) {
            comparison = try WheelComparison.compare(first, second, ignoring: globs.map { glob in { glob.matches($0) } })
        } catch {
            throw .publish(error)
        }
        // Entry names come from the wheels: escaped so that a crafted name cannot drive the terminal.
        let escape = TerminalText.escape as (String) -> String
        for difference in comparison.differences {
            switch difference {
            case .onlyInFirst(let path): environment.writeOut("- \(escape(path)) (only in the first)\n")
            case .onlyInSecond(let path): environment.writeOut("+ \(escape(path)) (only in the second)\n")
            case .contentDiffers(let path, let a, let b, let endings):
                environment.writeOut("~ \(escape(path)) (\(endings ? "line endings only" : "content"): \(a) vs \(b) bytes)\n")
            case .modeDiffers(let path): environment.writeOut("~ \(escape(path)) (executable bit)\n")
            }
        }
        environment.writeOut("\(comparison.differences.count) of \(comparison.comparedCount) files differ\n")
        return comparison.differences.isEmpty ? 0 : 1
    }
}
