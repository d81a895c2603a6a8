import PurewheelTestSupport
import Testing

@testable import WheelChecks

/// One rule the index enforces: a wheel it refuses and an accepted twin.
struct IndexRuleCase: CustomTestStringConvertible, Sendable {
    var name: String
    var code: String
    var refused: WheelBuilder
    var twin: WheelBuilder
    var testDescription: String { name }

    static let pypi = CheckOptions(profile: .pypi)

    /// A wheel whose METADATA is `text` after the three required fields of `version`.
    static func metadata(_ text: String, version: String) -> WheelBuilder {
        var builder = WheelBuilder()
        builder.metadataText = "Metadata-Version: \(version)\nName: demo\nVersion: 1.0\n" + text
        return builder
    }

    /// A wheel with a `main` and `text` as its entry_points.txt.
    static func entryPoints(_ text: String) -> WheelBuilder {
        WheelBuilder(files: [
            WheelBuilder.File("demo/__init__.py", "def main(): pass\n"), WheelBuilder.File("demo-1.0.dist-info/entry_points.txt", text),
        ])
    }

    /// The refused wheel gets exactly this code: an error under `--profile pypi`, a warning by default (installers'
    /// view); the twin gets nothing under `--profile pypi`.
    func expectRefusedByTheIndexOnly() throws {
        let refused = try check(refused, options: Self.pypi)
        #expect(refused.codes == [code], "\(refused.findings)")
        #expect(refused.findings.allSatisfy { $0.severity == .error })
        let relaxed = try check(self.refused)
        #expect(relaxed.codes == [code])
        #expect(relaxed.findings.allSatisfy { $0.severity == .warning })
        let twin = try check(twin, options: Self.pypi)
        #expect(twin.codes == [], "\(twin.findings)")
    }
}
