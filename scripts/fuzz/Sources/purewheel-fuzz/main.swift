import Foundation
import RecipeFormat
import UnifiedDiff
import WheelChecks
import WheelModel

// libFuzzer entry point. The first byte picks the parser; the rest is its input:
//   0: the whole checker on the bytes as a wheel file (raw zip parser, libzip streaming, RECORD/WHEEL/METADATA)
//   1: RECORD   2: WHEEL   3: METADATA   4: Requires-Dist   5: wheel file name
//   6: a recipe (TOML, every referenced file "exists")   7: a lock beside a minimal recipe
//   8: a unified diff, parsed and applied to the payload's own text   9: PEP 440 versions and specifiers
// Any crash, hang (-timeout) or leak (ASan) is a bug; findings and thrown errors are normal outcomes.
private let minimalRecipe = """
    schema = 1
    [source]
    distribution = "demo"
    canonical_platform = "linux"
    [output]
    distribution = "demo-pure"
    tag = "py3-none-any"
    [metadata]
    summary = "fuzz"
    """
private let scratch = NSTemporaryDirectory() + "purewheel-fuzz-\(getpid())-demo-1.0-py3-none-any.whl"

/// libFuzzer's driver; SwiftPM makes this file's top-level code the program's `main`, so it hands control
/// to libFuzzer explicitly instead of relying on libFuzzer's own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt
) -> CInt

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    guard let mode = bytes.first else { return 0 }
    let payload = Array(bytes.dropFirst())
    let text = String(decoding: payload, as: UTF8.self)
    switch mode % 10 {
    case 0:
        _ = FileManager.default.createFile(atPath: scratch, contents: Data(payload))
        var limits = ResourceLimits()
        limits.maxTotalSize = 64 << 20  // keep each run short
        _ = WheelChecker(options: CheckOptions(limits: limits, workerCount: 1)).check(path: scratch)
    case 1: _ = try? Record(parsing: text, file: "RECORD")
    case 2: _ = (try? WheelInfo(parsing: text, file: "WHEEL")).map { ($0.tags, $0.wheelVersion, $0.rootIsPurelib) }
    case 3: _ = (try? CoreMetadata(parsing: text, file: "METADATA")).map { $0.headers.all("Requires-Dist").map { try? Requirement(parsing: $0) } }
    case 4: _ = try? Requirement(parsing: text)
    case 5: _ = (try? WheelFilename(parsing: text)).map(\.tags)
    case 6: _ = try? RecipeLoader.parse(text, path: "fuzz/r.toml", fileExists: { _ in true })
    case 7: _ = try? RecipeLoader.parse(minimalRecipe, path: "fuzz/r.toml", lockText: text, fileExists: { _ in true })
    case 8:
        if let patch = try? PatchParser.parse(text, name: "fuzz.diff") {
            for diff in patch.files { _ = try? PatchApplier(patchName: "fuzz.diff", maxOffset: 3).apply(diff, to: text) }
        }
    default:
        let parts = text.split(separator: ";", maxSplits: 1).map(String.init)
        if let set = VersionSpecifierSet(parsing: parts.first ?? ""), let version = parts.last { _ = set.contains(version) }
        _ = PEP440Version(parsing: text).map(\.description)
    }
    return 0
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { start, count in fuzz(start, count) })
