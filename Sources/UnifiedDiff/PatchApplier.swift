/// Applies a `FileDiff` to text exactly: every context and removed line must equal the target's line at the
/// position the hunk header names, give or take `maxOffset` lines. No fuzz: context is never ignored.
public struct PatchApplier: Sendable {
    /// How far (in lines) a hunk may have moved from where its header says.
    public let maxOffset: Int
    /// The patch file's name, for errors.
    public let patchName: String

    /// Creates an applier.
    public init(patchName: String, maxOffset: Int = 0) {
        self.patchName = patchName
        self.maxOffset = maxOffset
    }

    /// The result of applying one file diff.
    public struct Applied: Sendable, Hashable {
        /// The new text.
        public let text: String
        /// For each hunk, how many lines it moved from its header's position (0 when exact).
        public let offsets: [Int]
    }

    /// Applies `diff` to `original` (`nil` when the diff creates the file).
    ///
    /// - Throws: `PatchError.hunkDoesNotApply` naming the hunk (1-based) and the target line.
    public func apply(_ diff: FileDiff, to original: String?) throws(PatchError) -> Applied {
        var (lines, hasFinalNewline) = PatchApplier.split(original ?? "")
        var offsets = [Int]()
        var shift = 0
        var earliest = 0
        for (number, hunk) in diff.hunks.enumerated() {
            let expected = hunk.expectedOldLines
            // For a pure insertion (oldCount 0) the header names the line *after which* text goes.
            let nominal = (hunk.oldCount == 0 ? hunk.oldStart : hunk.oldStart - 1) + shift
            guard let position = findMatch(expected, in: lines, near: nominal, notBefore: earliest) else {
                throw .hunkDoesNotApply(
                    patch: patchName, target: diff.target, hunk: number + 1, line: hunk.oldStart,
                    reason: PatchApplier.mismatch(expected, lines, at: nominal)
                )
            }
            let touchesEnd = position + expected.count == lines.count
            if hunk.oldMissingFinalNewline && !(touchesEnd && !hasFinalNewline) {
                throw .hunkDoesNotApply(
                    patch: patchName, target: diff.target, hunk: number + 1, line: hunk.oldStart,
                    reason: "the hunk expects the file to end without a newline"
                )
            }
            let replacement = hunk.newLines
            lines.replaceSubrange(position..<position + expected.count, with: replacement)
            if touchesEnd {
                hasFinalNewline = !hunk.newMissingFinalNewline
            }
            offsets.append(position - nominal)
            earliest = position + replacement.count
            shift += replacement.count - expected.count + (position - nominal)
        }
        var text = lines.joined(separator: "\n")
        if hasFinalNewline && !lines.isEmpty { text += "\n" }
        return Applied(text: text, offsets: offsets)
    }

    private func findMatch(_ expected: [String], in lines: [String], near nominal: Int, notBefore earliest: Int) -> Int? {
        for distance in 0...maxOffset {
            for candidate in distance == 0 ? [nominal] : [nominal - distance, nominal + distance] {
                guard candidate >= earliest, candidate + expected.count <= lines.count else { continue }
                if lines[candidate..<candidate + expected.count].elementsEqual(expected) { return candidate }
            }
        }
        return nil
    }

    private static func mismatch(_ expected: [String], _ lines: [String], at nominal: Int) -> String {
        for (index, want) in expected.enumerated() {
            let position = nominal + index
            guard position >= 0, position < lines.count else {
                return "the file has \(lines.count) lines, the hunk needs line \(position + 1)"
            }
            if lines[position] != want {
                return "line \(position + 1) is '\(clip(lines[position]))', the patch expects '\(clip(want))'"
            }
        }
        return "the hunk's lines are not where its header says"
    }

    private static func clip(_ text: String) -> String {
        let visible = text.replacingCR()
        return visible.count > 80 ? String(visible.prefix(77)) + "..." : visible
    }

    /// Splits on LF; a trailing CR stays part of its line, so CRLF text only matches CRLF patches.
    static func split(_ text: String) -> ([String], Bool) {
        guard !text.isEmpty else { return ([], true) }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let hasFinalNewline = text.hasSuffix("\n")
        if hasFinalNewline { lines.removeLast() }
        return (lines, hasFinalNewline)
    }
}

extension String {
    fileprivate func replacingCR() -> String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar == "\r" { out += "\\r" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
