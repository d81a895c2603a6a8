import Dispatch
import Foundation
import PurewheelBasics
import Synchronization
import Testing
import UpstreamIndex
import WheelBuild

/// pip starts with every signal at its default action and none blocked, in a process group of its own, even when
/// started from a worker thread that blocks almost every signal (issue 17, item 9): otherwise a signal to
/// purewheel could not stop it.
@Suite struct PipChildTests {
    @Test func pipStartsWithDefaultSignalsInItsOwnProcessGroup() throws {
        // `cat /proc/self/stat /proc/self/status -vv` shows the child's own process group and signal state.
        let runner = PipRunner(command: ["/bin/cat", "/proc/self/stat", "/proc/self/status"])
        // On a dispatch worker thread, as `lock` and `pending` run pip.
        let result = Mutex<Result<PipRunner.Outcome, FetchError>?>(nil)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            let outcome = Result { () throws(FetchError) -> PipRunner.Outcome in try runner.run([]) }
            result.withLock { $0 = outcome }
        }
        group.wait()
        let outcome = try #require(result.withLock { $0 }).get()
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
