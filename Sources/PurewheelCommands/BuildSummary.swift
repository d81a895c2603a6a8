import FoundationEssentials
import Publishing
import PurewheelBasics
import WheelBuild
import WheelChecks
import WheelModel

/// The short report `build` prints per output: the path first, then what was dropped, patched and injected,
/// and the output's sha256.
struct BuildSummary {
    let result: BuildResult
    /// Where it was published; `nil` for `--dry-run`.
    let published: PublishedWheel?

    /// A published build.
    init(_ published: PublishedWheel) {
        self.result = published.build
        self.published = published
    }

    /// A planned build (`--dry-run`).
    init(planned result: BuildResult) {
        self.result = result
        self.published = nil
    }

    func render() -> String {
        var lines = [String]()
        let name = result.wheel.filename.description
        lines.append(published?.path ?? "\(name) (dry run, nothing written)")
        let pin = result.upstream.pinStatus == .pinned ? "pinned" : "UNPINNED (--allow-unpinned)"
        lines.append("  from      \(PathText.lastComponent(result.upstream.path)) (sha256 \(result.upstream.sha256.hex), \(pin))")
        var droppedCount = 0
        var droppedBytes: UInt64 = 0
        for change in result.changes {
            switch change {
            case .dropped(let path, let size, _):
                guard result.isRemovedFromOutput(path) else {
                    if published == nil { lines.append("  strip     \(path) (written again by the build, so not dropped)") }
                    continue
                }
                droppedCount += 1
                droppedBytes += size
                if published == nil { lines.append("  drop      \(path) (\(size) bytes)") }
            case .normalized(let path, _):
                lines.append("  newlines  \(path) (CRLF to LF)")
            case .patched(let path, let patch, let offsets):
                let moved = offsets.contains { $0 != 0 } ? " (hunk offsets \(offsets.map(String.init).joined(separator: ",")))" : ""
                lines.append("  patched   \(path) with \(patch)\(moved)")
            case .injected(let path, _, let size):
                lines.append("  injected  \(path) (\(size) bytes)")
            }
        }
        lines.insert("  dropped   \(Self.count(droppedCount, "file")), \(droppedBytes) bytes", at: 2)
        lines.append("  entries   \(result.wheel.entries.count)")
        if let published, let verified = result.verified {
            lines.append("  size      \(published.size) bytes")
            lines.append("  sha256    \(published.sha256.hex)")
            lines.append("  verified  \(verified.warnings.isEmpty ? "no findings" : Self.count(verified.warnings.count, "warning"))")
            lines.append("  provenance \(published.provenancePath)")
            if let source = published.publishedFrom {
                lines.append("  note      same files as \(PathText.lastComponent(source)), whose bytes were published")
            }
            for warning in verified.warnings {
                lines.append("    warning: \(warning.line)")
            }
        }
        // Entry names, file names and checker messages come from the upstream wheel: escaped, so that a crafted
        // name cannot drive the terminal (the summary's own text has no control characters to lose).
        return lines.map(TerminalText.escape).joined(separator: "\n") + "\n"
    }

    private static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
