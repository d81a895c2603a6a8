import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing
import UpstreamIndex
import WheelBuild

/// pip starts with every signal at its default action and none blocked, in a process group of its own, even when
/// started from a worker thread that blocks every signal: otherwise a signal to purewheel could not stop it.
@Suite struct PipChildTests {
    @Test func pipStartsWithDefaultSignalsInItsOwnProcessGroup() throws {
        // `cat /proc/self/stat /proc/self/status -vv` shows the child's own process group and signal state.
        let runner = PipRunner(command: ["/bin/cat", "/proc/self/stat", "/proc/self/status"])
        // On a worker thread that blocks every signal, as the threads `lock` and `pending` run pip on may.
        let outcome = try BackgroundWork.start {
            var all = sigset_t()
            sigfillset(&all)
            pthread_sigmask(SIG_BLOCK, &all, nil)
            return Result { () throws(FetchError) -> PipRunner.Outcome in try runner.run([]) }
        }.result().get()
        #expect(outcome.status == 0, "\(outcome.output)")
        let lines = outcome.output.split(separator: "\n")
        func field(_ name: String) -> UInt64? {
            lines.first { $0.hasPrefix("\(name):") }.flatMap {
                UInt64($0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces), radix: 16)
            }
        }
        #expect(field("SigBlk") == 0)
        let stopping: UInt64 = 1 << (SIGINT - 1) | 1 << (SIGQUIT - 1) | 1 << (SIGTERM - 1) | 1 << (SIGHUP - 1)
        #expect((field("SigIgn") ?? stopping) & stopping == 0)
        // /proc/self/stat: "pid (comm) state ppid pgrp ..."
        let stat = try #require(lines.first).split(separator: ")").last?.split(separator: " ")
        let pid = try #require(lines.first?.split(separator: " ").first)
        #expect(stat?.dropFirst(2).first == pid, "pip leads its own process group")
    }
}
