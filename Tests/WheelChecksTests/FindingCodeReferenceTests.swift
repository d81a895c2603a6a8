import Foundation
import Testing
import WheelChecks

@Suite struct FindingCodeReferenceTests {
    private static let committedPage = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/codes.md")

    @Test func committedPageIsTheGeneratedOne() throws {
        let committed = try String(contentsOf: Self.committedPage, encoding: .utf8)
        #expect(
            committed == FindingCodeReference.markdown(),
            "docs/codes.md is stale: run `swift run purewheel-docs codes > docs/codes.md` and commit it")
    }

    @Test(arguments: FindingCode.allCases)
    func everyCodeHasItsOwnRow(code: FindingCode) {
        let rows = FindingCodeReference.markdown().split(separator: "\n").filter { $0.hasPrefix("| \(code.rawValue) |") }
        #expect(rows.count == 1)
        #expect(!code.why.isEmpty && !code.specification.isEmpty)
    }

    @Test func pypiOnlyErrorsAreMarked() {
        let row = FindingCodeReference.markdown().split(separator: "\n").first { $0.hasPrefix("| PW122 |") }
        #expect(row?.contains("| W (pypi: E) |") == true)
    }
}
