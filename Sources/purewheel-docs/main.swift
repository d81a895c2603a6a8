// Writes purewheel's generated reference pages to standard output: `swift run purewheel-docs codes > docs/codes.md`.
import Glibc
import WheelChecks

let pages = ["codes": FindingCodeReference.markdown]
let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 1, let page = arguments.first.flatMap({ pages[$0] }) else {
    let usage = "usage: purewheel-docs \(pages.keys.sorted().joined(separator: "|"))\n"
    _ = usage.utf8CString.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
    exit(64)
}
print(page(), terminator: "")
