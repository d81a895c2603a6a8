import Foundation
import PurewheelCommands
import PurewheelTestSupport
import Testing

/// `purewheel check --profile`: a wheel with data descriptors passes by default and fails under `pypi`.
@Suite struct CheckProfileOptionTests {
    private func run(_ arguments: [String]) -> CommandRun {
        CommandRun.run(["check"] + arguments, environment: [:])
    }

    @Test func pypiProfileFailsWhatTheIndexRefuses() throws {
        try TemporaryDirectory.with { folder in
            var entries = RawWheel.entries([RawZipBuilder.Entry("demo/__init__.py", "VALUE = 1\n", method: 8)])
            entries[0].usesDataDescriptor = true
            let path = "\(folder)/demo-1.0-py3-none-any.whl"
            try TemporaryDirectory.write(RawZipBuilder(entries: entries).bytes(), to: path)
            let lenient = run([path])
            #expect(lenient.status == 0)
            #expect(lenient.stdout.contains("warning:") && lenient.stdout.contains("PW122"))
            let strict = run(["--profile", "pypi", path])
            #expect(strict.status == 1)
            #expect(strict.stdout.contains("error:") && strict.stdout.contains("PW122"))
            #expect(run(["--profile", "strict", path]).status == 64)
        }
    }
}
