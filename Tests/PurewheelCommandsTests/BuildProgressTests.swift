import Foundation
import Synchronization
import Testing

@testable import PurewheelCommands

/// Progress for builds: only on a terminal, only after a second, erased at the end.
@Suite struct BuildProgressTests {
    /// What was written to stderr.
    private final class Sink: Sendable {
        let text = Mutex("")
    }

    private func environment(terminal: Bool, variables: [String: String] = [:], into sink: Sink) -> CommandEnvironment {
        CommandEnvironment(
            variables: variables, writeOut: { _ in }, writeError: { chunk in sink.text.withLock { $0 += chunk } }, errorIsTerminal: terminal
        )
    }

    @Test func aSlowBuildOnATerminalShowsWhichInputAndErasesTheLine() {
        let sink = Sink()
        let progress = BuildProgress(environment: environment(terminal: true, into: sink))
        progress.show(index: 0, count: 3, request: .version("1.0"))
        #expect(sink.text.withLock { $0 }.isEmpty, "nothing during the first second")
        Thread.sleep(forTimeInterval: 1.1)
        progress.show(index: 1, count: 3, request: .localFile(path: "in/demo-1.0-cp311-cp311-linux_x86_64.whl", allowUnpinned: false))
        progress.finish()
        #expect(sink.text.withLock { $0 } == "\r\u{1B}[K[2/3] building demo-1.0-cp311-cp311-linux_x86_64.whl\r\u{1B}[K")
    }

    @Test(arguments: [(false, [String: String]()), (true, ["NO_COLOR": "1"]), (true, ["TERM": "dumb"])])
    func neverInPipesOrPlainTerminals(_ setting: (terminal: Bool, variables: [String: String])) {
        let sink = Sink()
        let progress = BuildProgress(environment: environment(terminal: setting.terminal, variables: setting.variables, into: sink))
        Thread.sleep(forTimeInterval: 1.1)
        progress.show(index: 0, count: 1, request: .version("1.0"))
        progress.finish()
        #expect(sink.text.withLock { $0 }.isEmpty)
    }
}
