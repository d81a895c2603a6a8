import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing
import WheelModel

/// SIGINT and SIGTERM remove the build's staging folder and end with 130 / 143 (issue 10, item 4).
///
/// Runs the built executable, because a signal would end the test process itself.
@Suite struct InterruptionTests {
    /// `.build/debug/purewheel` of this package, built with the tests.
    private static var executable: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent(".build/debug/purewheel").path
    }

    @Test(arguments: [(SIGTERM, Int32(143)), (SIGINT, Int32(130))])
    func aSignalRemovesTheStagingFolder(signal: Int32, status: Int32) throws {
        try TemporaryDirectory.with { folder in
            let builder = WheelBuilder(
                distribution: "demo", version: "1.0", tag: WheelTag(parsing: "cp311-cp311-manylinux_2_17_x86_64")!,
                files: [WheelBuilder.File("demo/__init__.py", "X = 1\n")], rootIsPurelib: false)
            try BuildCommandTests.recipe(steps: "", pins: [(builder.filename, SHA256Digest.of([1]))]).write(to: "\(folder)/r.toml")
            // A pip that never finishes, so the build is surely running when the signal comes.
            try TemporaryDirectory.write("#!/bin/sh\nexec sleep 10\n", to: "\(folder)/slow-pip")
            chmod("\(folder)/slow-pip", 0o755)
            let process = Process()
            try #require(FileIO.kind(of: Self.executable) == .regular, "build the package first (swift build --build-tests)")
            process.executableURL = URL(fileURLWithPath: Self.executable)
            process.arguments = [
                "build", "\(folder)/r.toml", "--version", "1.0", "--pip", "\(folder)/slow-pip", "--cache-dir", "\(folder)/cache",
                "--out", "\(folder)/dist",
            ]
            try process.run()
            var staged = false
            for _ in 0..<200 where !staged {
                Thread.sleep(forTimeInterval: 0.05)
                staged =
                    FileIO.exists("\(folder)/cache/demo/1.0/.lock")
                    && ((try? FileIO.contents(ofDirectory: "\(folder)/dist")) ?? []).contains { $0.hasPrefix(".purewheel-staging-") }
            }
            #expect(staged)
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == status)
            #expect(try FileIO.contents(ofDirectory: "\(folder)/dist").isEmpty)
        }
    }
}
