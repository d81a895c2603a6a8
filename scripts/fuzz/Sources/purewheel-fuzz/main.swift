import Foundation
import WheelChecks
import WheelModel

// libFuzzer entry point. The first byte picks the parser; the rest is its input:
//   0: the whole checker on the bytes as a wheel file (raw zip parser, libzip streaming, RECORD/WHEEL/METADATA)
//   1: RECORD   2: WHEEL   3: METADATA   4: Requires-Dist   5: wheel file name
// Any crash, hang (-timeout) or leak (ASan) is a bug; findings and thrown errors are normal outcomes.
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
    switch mode % 6 {
    case 0:
        FileManager.default.createFile(atPath: scratch, contents: Data(payload))
        var limits = ResourceLimits()
        limits.maxTotalSize = 64 << 20  // keep each run short
        _ = WheelChecker(options: CheckOptions(limits: limits, workerCount: 1)).check(path: scratch)
    case 1: _ = try? Record(parsing: text, file: "RECORD")
    case 2: _ = (try? WheelInfo(parsing: text, file: "WHEEL")).map { ($0.tags, $0.wheelVersion, $0.rootIsPurelib) }
    case 3: _ = (try? CoreMetadata(parsing: text, file: "METADATA")).map { $0.headers.all("Requires-Dist").map { try? Requirement(parsing: $0) } }
    case 4: _ = try? Requirement(parsing: text)
    default: _ = (try? WheelFilename(parsing: text)).map(\.tags)
    }
    return 0
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { start, count in fuzz(start, count) })
