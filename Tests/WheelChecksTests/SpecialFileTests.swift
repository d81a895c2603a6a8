import Foundation
import PurewheelTestSupport
import Testing
import WheelChecks

/// A FIFO (or any file that is not regular) given as a wheel is reported, never waited on.
@Suite struct SpecialFileTests {
    @Test func aFIFOIsPW100WithoutBlocking() throws {
        try TemporaryDirectory.with { folder in
            let fifo = "\(folder)/demo-1.0-py3-none-any.whl"
            #expect(mkfifo(fifo, 0o644) == 0)
            let outcome = FIFODeadline.run(unblocking: [fifo]) { WheelChecker().check(path: fifo) }
            #expect(!outcome.timedOut, "check blocked on the FIFO")
            #expect(outcome.value.findings.map(\.code.rawValue) == ["PW100"])
            #expect(outcome.value.findings.first?.message == "cannot read the file: not a regular file")
        }
    }
}
