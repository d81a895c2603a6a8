import Foundation
import PurewheelCommands
import PurewheelTestSupport
import Synchronization
import Testing

/// `purewheel check --profile`: a wheel with data descriptors passes by default and fails under `pypi`.
@Suite struct CheckProfileOptionTests {
    private func run(_ arguments: [String]) -> (code: Int32, out: String) {
        let out = Mutex("")
        let environment = CommandEnvironment(variables: [:], writeOut: { text in out.withLock { $0 += text } }, writeError: { _ in })
        return (Purewheel.run(["check"] + arguments, in: environment), out.withLock { $0 })
    }

    @Test func pypiProfileFailsWhatTheIndexRefuses() throws {
        try TemporaryDirectory.with { folder in
            var entries = RawWheel.entries([RawZipBuilder.Entry("demo/__init__.py", "VALUE = 1\n", method: 8)])
            entries[0].usesDataDescriptor = true
            let path = "\(folder)/demo-1.0-py3-none-any.whl"
            try TemporaryDirectory.write(RawZipBuilder(entries: entries).bytes(), to: path)
            let lenient = run([path])
            #expect(lenient.code == 0)
            #expect(lenient.out.contains("warning:") && lenient.out.contains("PW122"))
            let strict = run(["--profile", "pypi", path])
            #expect(strict.code == 1)
            #expect(strict.out.contains("error:") && strict.out.contains("PW122"))
            #expect(run(["--profile", "strict", path]).code == 64)
        }
    }
}
