import PurewheelBasics

/// Parses unified diffs as `diff -u` and `git diff` write them (GNU diffutils manual, "Detailed Description of Unified Format").
///
/// Text before the first `---` of each file diff (such as `diff --git` or `index` lines) is ignored; `\ No newline at end of file` marks
/// the preceding line.
public enum PatchParser {
    /// Parses `text`; `name` labels errors.
    ///
    /// - Throws: `PatchError.malformed` with the patch line number, `.unsafeTarget` for a file header naming a
    ///   path that is absolute or leaves the wheel root.
    public static func parse(_ text: String, name: String) throws(PatchError) -> Patch {
        var lines = text.lineFeedSeparated()
        if lines.last == "" { lines.removeLast() }
        var files = [FileDiff]()
        var index = 0
        while index < lines.count {
            guard lines[index].hasPrefix("--- ") else {
                index += 1
                continue
            }
            guard index + 1 < lines.count, lines[index + 1].hasPrefix("+++ ") else {
                throw .malformed(patch: name, line: index + 2, reason: "'---' header is not followed by '+++'")
            }
            let oldPath = path(fromHeader: lines[index])
            let newPath = path(fromHeader: lines[index + 1])
            // A target must be a safe entry path: `b/../../evil.py` would write outside the wheel root.
            for (offset, candidate) in [(0, oldPath), (1, newPath)] {
                if let candidate, let problem = EntryPath.problem(in: candidate) {
                    throw .unsafeTarget(patch: name, hunk: 1, line: index + offset + 1, target: candidate, problem: problem)
                }
            }
            index += 2
            var hunks = [Hunk]()
            while index < lines.count, lines[index].hasPrefix("@@") {
                let (hunk, next) = try parseHunk(lines, at: index, name: name)
                hunks.append(hunk)
                index = next
            }
            guard !hunks.isEmpty else { throw .malformed(patch: name, line: index + 1, reason: "file diff has no hunks") }
            files.append(FileDiff(oldPath: oldPath, newPath: newPath, hunks: hunks))
        }
        guard !files.isEmpty else { throw .malformed(patch: name, line: 1, reason: "no '---' / '+++' file header found") }
        return Patch(files: files)
    }

    private static func path(fromHeader line: String) -> String? {
        var value = String(line.dropFirst(4))
        // diff -u appends a tab and a timestamp after the name.
        if let tab = value.firstIndex(of: "\t") { value = String(value[..<tab]) }
        if value == "/dev/null" { return nil }
        if value.hasPrefix("a/") || value.hasPrefix("b/") { value = String(value.dropFirst(2)) }
        return value
    }

    private static func parseHunk(_ lines: [String], at start: Int, name: String) throws(PatchError) -> (Hunk, Int) {
        let header = lines[start]
        guard let ranges = parseRanges(header) else {
            throw .malformed(patch: name, line: start + 1, reason: "bad hunk header '\(header)'")
        }
        var body = [Hunk.Line]()
        var oldSeen = 0
        var newSeen = 0
        var oldNoNewline = false
        var newNoNewline = false
        var index = start + 1
        while oldSeen < ranges.oldCount || newSeen < ranges.newCount || (index < lines.count && lines[index].hasPrefix("\\")) {
            guard index < lines.count else {
                throw .malformed(
                    patch: name, line: index, reason: "hunk ends early: expected \(ranges.oldCount) old and \(ranges.newCount) new lines")
            }
            let line = lines[index]
            let text = String(line.dropFirst())
            switch line.first {
            case " ":
                body.append(.context(text))
                oldSeen += 1
                newSeen += 1
            case nil:
                // Some tools drop the single space of an empty context line.
                body.append(.context(""))
                oldSeen += 1
                newSeen += 1
            case "-":
                body.append(.removed(text))
                oldSeen += 1
            case "+":
                body.append(.added(text))
                newSeen += 1
            case "\\":
                switch body.last {
                case .context:
                    oldNoNewline = true
                    newNoNewline = true
                case .removed: oldNoNewline = true
                case .added: newNoNewline = true
                case nil: throw .malformed(patch: name, line: index + 1, reason: "'\\' line before any hunk line")
                }
            default:
                throw .malformed(patch: name, line: index + 1, reason: "unexpected line in hunk: '\(line)'")
            }
            index += 1
            if oldSeen > ranges.oldCount || newSeen > ranges.newCount {
                throw .malformed(patch: name, line: index, reason: "hunk has more lines than its header '\(header)' says")
            }
        }
        let hunk = Hunk(
            oldStart: ranges.oldStart, oldCount: ranges.oldCount, newStart: ranges.newStart, newCount: ranges.newCount,
            lines: body, oldMissingFinalNewline: oldNoNewline, newMissingFinalNewline: newNoNewline, headerLine: start + 1
        )
        return (hunk, index)
    }

    private static func parseRanges(_ header: String) -> (oldStart: Int, oldCount: Int, newStart: Int, newCount: Int)? {
        let parts = header.split(separator: " ")
        guard parts.count >= 4, parts[0] == "@@", parts[3] == "@@" || parts[3].hasPrefix("@@"),
            parts[1].hasPrefix("-"), parts[2].hasPrefix("+"),
            let old = range(parts[1].dropFirst()), let new = range(parts[2].dropFirst())
        else { return nil }
        return (old.0, old.1, new.0, new.1)
    }

    private static func range(_ text: Substring) -> (Int, Int)? {
        let pieces = text.split(separator: ",", omittingEmptySubsequences: false)
        guard let start = Int(pieces[0]), start >= 0 else { return nil }
        if pieces.count == 1 { return (start, 1) }
        guard pieces.count == 2, let count = Int(pieces[1]), count >= 0 else { return nil }
        return (start, count)
    }
}
