import Foundation
import PurewheelCommands
import PurewheelTestSupport
import Synchronization
import Testing

/// `purewheel check -` reads the wheel from standard input, under the name `--stdin-filename` gives.
@Suite struct CheckStandardInputTests {
    private func run(_ arguments: [String], input: [UInt8]) -> (code: Int32, out: String, err: String) {
        let out = Mutex("")
        let err = Mutex("")
        let environment = CommandEnvironment(
            variables: [:], writeOut: { text in out.withLock { $0 += text } }, writeError: { text in err.withLock { $0 += text } },
            readInput: { input })
        let code = Purewheel.run(["check"] + arguments, in: environment)
        return (code, out.withLock { $0 }, err.withLock { $0 })
    }

    @Test func aWheelOnStandardInputIsCheckedUnderItsGivenName() throws {
        try TemporaryDirectory.with { folder in
            let builder = WheelBuilder()
            let bytes = try TemporaryDirectory.read(try builder.write(in: folder))
            let clean = run(["-", "--stdin-filename", builder.filename], input: bytes)
            #expect(clean.code == 0, "\(clean.err)")
            #expect(clean.out == "-: ok\n")
            // The name is part of what is checked: another version in it is a finding.
            let renamed = run(["-", "--stdin-filename", builder.filename.replacingOccurrences(of: "-1.0-", with: "-2.0-")], input: bytes)
            #expect(renamed.code == 1)
            #expect(renamed.out.contains("PW608"))
            #expect(run(["-", "--stdin-filename", builder.filename], input: Array("garbage".utf8)).out.contains("-: PW101"))
        }
    }

    @Test func standardInputNeedsAFileName() {
        let result = run(["-"], input: [])
        #expect(result.code == 64)
        #expect(result.err.contains("give its file name with --stdin-filename"))
    }
}
