import Dispatch
import Foundation
import PurewheelTestSupport
import Synchronization
import Testing

@testable import PurewheelCommands

/// `check` of many wheels reads several at once and still writes the report in input order, byte for byte what one
/// wheel at a time writes.
@Suite struct CheckParallelTests {
    /// A large wheel first (about 12 MB in 300 entries, so its contents are read on two threads), then small clean
    /// and broken ones, the broken ones among them twice.
    private func wheels(in folder: String) throws -> [String] {
        var large = WheelBuilder(
            distribution: "large",
            files: (0..<300).map { index in
                WheelBuilder.File("large/m\(index).py", bytes: (0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) })
            })
        large.defects = [.badHash("large/m7.py")]
        var paths = [try large.write(in: folder + "/large")]
        for index in 0..<7 {
            let defects: [WheelBuilder.Defect] = index % 3 == 1 ? [.badHash("small\(index)/__init__.py")] : []
            let small = WheelBuilder(
                distribution: "small\(index)", files: [WheelBuilder.File("small\(index)/__init__.py", "N = \(index)\n")], defects: defects)
            paths.append(try small.write(in: folder + "/\(index)"))
        }
        return paths + [paths[2]]
    }

    private func run(_ arguments: [String], width: Int, willCheck: (@Sendable (Int) -> Void)? = nil) -> CommandRun {
        CheckParallelism.$current.withValue(CheckParallelism(width: width, willCheck: willCheck)) {
            CommandRun.run(["check", "--no-config"] + arguments, environment: [:])
        }
    }

    /// Every format: the same bytes and exit code with one wheel at a time and with four, wheels in input order.
    @Test(arguments: CheckCommand.Format.allCases)
    func manyAtOnceWritesWhatOneAtATimeWrites(format: CheckCommand.Format) throws {
        try TemporaryDirectory.with { folder in
            let paths = try wheels(in: folder)
            let one = run(["--format", format.rawValue] + paths, width: 1)
            let four = run(["--format", format.rawValue] + paths, width: 4)
            #expect(one.status == 1)
            #expect(four.status == one.status)
            #expect(four.stdout == one.stdout)
            #expect(four.stderr == one.stderr)
            if format == .json {
                let document = try #require(try JSONSerialization.jsonObject(with: Data(four.stdout.utf8)) as? [String: Any])
                let shown = try #require(document["wheels"] as? [[String: Any]]).compactMap { $0["path"] as? String }
                #expect(shown == paths)
            }
        }
    }

    /// Two wheels are checked at once: the first goes on only once the second has started, which checking one at a
    /// time never lets happen.
    @Test func moreThanOneWheelIsInFlight() throws {
        try TemporaryDirectory.with { folder in
            let paths = try wheels(in: folder)
            let secondStarted = DispatchSemaphore(value: 0)
            let overlapped = Mutex(false)
            let result = run(paths, width: 2) { index in
                if index == 0 {
                    // Bounded only so that a sequential check fails instead of hanging.
                    let outcome = secondStarted.wait(timeout: .now() + 60)
                    overlapped.withLock { $0 = outcome == .success }
                } else if index == 1 {
                    secondStarted.signal()
                }
            }
            #expect(overlapped.withLock { $0 })
            #expect(result.status == 1)
        }
    }

    /// With two at once, the sixth wheel is not read before the first wheel's part is written.
    ///
    /// No more than four wheels are in flight, so memory stays bounded. Removing the sixth when the first part
    /// arrives makes it a missing file (PW100).
    @Test func wheelsBeyondTheWindowWaitForTheFirstPart() throws {
        try TemporaryDirectory.with { folder in
            let paths = try wheels(in: folder)
            let sixth = paths[5]
            let result = CheckParallelism.$current.withValue(CheckParallelism(width: 2)) {
                CommandRun.run(["check", "--no-config", "--format", "json"] + paths, environment: [:]) { text in
                    if text.contains(paths[0]) { unlink(sixth) }
                }
            }
            #expect(result.status == 1)
            #expect(result.stdout.contains("cannot read the file: "), "the sixth wheel was read before the first was written")
        }
    }
}
