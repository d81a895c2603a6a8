import Foundation
import Testing

/// Compares `actual` with `Tests/<Target>/Golden/<name>`, found next to the calling test file.
///
/// With `PUREWHEEL_RECORD_GOLDEN=1` the file is rewritten *and the test fails*, so recording never passes
/// silently; a missing golden file fails too. Review golden diffs like code.
public func expectGolden(
    _ actual: String, named name: String, filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) {
    let folder = (filePath as NSString).deletingLastPathComponent + "/Golden"
    let path = folder + "/" + name
    if ProcessInfo.processInfo.environment["PUREWHEEL_RECORD_GOLDEN"] == "1" {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try? actual.write(toFile: path, atomically: true, encoding: .utf8)
        Issue.record("recorded golden file \(name); unset PUREWHEEL_RECORD_GOLDEN and review the diff", sourceLocation: sourceLocation)
        return
    }
    guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
        Issue.record("missing golden file \(path); run with PUREWHEEL_RECORD_GOLDEN=1 to create it", sourceLocation: sourceLocation)
        return
    }
    #expect(actual == expected, "output differs from golden file \(name)", sourceLocation: sourceLocation)
}
