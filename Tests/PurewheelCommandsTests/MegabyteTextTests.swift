import Foundation
import Testing

@testable import PurewheelCommands

/// Progress lines print megabytes without Foundation; the text must be what `String(format: "%.1f")` gave.
@Suite struct MegabyteTextTests {
    @Test func matchesPrintfOnTiesAndAround() {
        var counts: [UInt64] = [0, 1, 39_999, 40_000, 49_999, 50_000, 50_001, 999_999, 1_000_000, .max, .max - 1]
        for tenth in stride(from: UInt64(0), to: 3_000_000_000, by: 7_300_001) {
            let tie = (tenth / 100_000) * 100_000 + 50_000
            counts += [tie - 1, tie, tie + 1, tenth]
        }
        for ties in [UInt64(250_000), 350_000, 450_000, 1_050_000, 2_250_000, 906_150_000, 123_456_750_000] { counts += [ties] }
        for count in counts {
            #expect(MegabyteText.text(count) == String(format: "%.1f", Double(count) / 1_000_000), "\(count)")
        }
    }
}
