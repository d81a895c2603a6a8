import Foundation
import PurewheelPipeline

/// The short report `build` prints per output: the path first, then what was dropped, patched and injected,
/// and the output's sha256.
struct BuildSummary {
    let result: BuildResult
    let dryRun: Bool

    func render() -> String {
        var lines = [String]()
        let name = result.wheel.filename.description
        lines.append(result.verified?.written.path ?? "\(name) (dry run, nothing written)")
        let pin = result.upstream.pinStatus == .pinned ? "pinned" : "UNPINNED (--allow-unpinned)"
        lines.append("  from      \((result.upstream.path as NSString).lastPathComponent) (sha256 \(result.upstream.sha256.hex), \(pin))")
        var droppedCount = 0
        var droppedBytes: UInt64 = 0
        for change in result.changes {
            switch change {
            case .dropped(let path, let size, _):
                droppedCount += 1
                droppedBytes += size
                if dryRun { lines.append("  drop      \(path) (\(size) bytes)") }
            case .normalized(let path, _):
                lines.append("  newlines  \(path) (CRLF to LF)")
            case .patched(let path, let patch, let offsets):
                let moved = offsets.contains { $0 != 0 } ? " (hunk offsets \(offsets.map(String.init).joined(separator: ",")))" : ""
                lines.append("  patched   \(path) with \(patch)\(moved)")
            case .injected(let path, _, let size):
                lines.append("  injected  \(path) (\(size) bytes)")
            }
        }
        lines.insert("  dropped   \(droppedCount) files, \(droppedBytes) bytes", at: 2)
        lines.append("  entries   \(result.wheel.entries.count)")
        if let verified = result.verified {
            lines.append("  size      \(verified.written.size) bytes")
            lines.append("  sha256    \(verified.written.sha256.hex)")
            lines.append("  verified  \(verified.warnings.isEmpty ? "no findings" : "\(verified.warnings.count) warnings")")
            if let provenance = result.provenancePath { lines.append("  provenance \(provenance)") }
            if let note = result.note { lines.append("  note      \(note)") }
            for warning in verified.warnings { lines.append("    warning: \(warning)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
