/// Applies a `FileDiff` to text exactly: every context and removed line must equal the target's line at the position the hunk header names,
/// give or take `maxOffset` lines.
///
/// No fuzz: context is never ignored.
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
        /// For each hunk, how many lines it moved from the line its header names, in the target's own line numbers (before the patch): 0
        /// when exact, +3 when it applied three lines further down.
        ///
        /// Each value is the hunk's whole move, not its move relative to the previous hunk.
        public let offsets: [Int]
    }

    /// Applies `diff` to `original` (`nil` when the diff creates the file).
    ///
    /// A hunk is looked for where its header says, moved as far as the hunks before it moved, then up to
    /// `maxOffset` lines further either way. Every line number in results and errors is the target's own
    /// (1-based, before the patch), whatever the earlier hunks inserted or removed.
    ///
    /// - Throws: `PatchError.hunkDoesNotApply` naming the hunk (1-based) and the target line; its reason
    ///   says where the hunk's lines were found nearby, if anywhere within `searchRadius` lines.
    public func apply(_ diff: FileDiff, to original: String?) throws(PatchError) -> Applied {
        var (lines, hasFinalNewline) = PatchApplier.split(original ?? "")
        var offsets = [Int]()
        var shift = 0
        // Lines added minus lines removed by the hunks applied so far: a position at or after `earliest` in
        // the patched-so-far text is target line `position - sizeChange + 1`.
        var sizeChange = 0
        var earliest = 0
        for (number, hunk) in diff.hunks.enumerated() {
            let expected = hunk.expectedOldLines
            // For a pure insertion (oldCount 0) the header names the line *after which* text goes.
            let header = hunk.oldCount == 0 ? hunk.oldStart : hunk.oldStart - 1
            let nominal = header + shift
            guard let position = findMatch(expected, in: lines, near: nominal, notBefore: earliest) else {
                let search = Search(expected: expected, lines: lines, earliest: earliest, sizeChange: sizeChange)
                throw .hunkDoesNotApply(
                    patch: patchName, target: diff.target, hunk: number + 1, line: hunk.oldStart,
                    reason: search.mismatch(at: nominal) + "; " + search.nearby(nominal: nominal, header: header, maxOffset: maxOffset)
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
            offsets.append(position - sizeChange - header)
            earliest = position + replacement.count
            shift += replacement.count - expected.count + (position - nominal)
            sizeChange += replacement.count - expected.count
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

    /// How far from its expected place a failed hunk's lines are looked for, to say where they went.
    public static let searchRadius = 200

    /// Explains a hunk that did not apply, in target line numbers.
    private struct Search {
        let expected: [String]
        let lines: [String]
        let earliest: Int
        let sizeChange: Int

        /// The target's 1-based line number of a position in the patched-so-far text.
        func targetLine(_ position: Int) -> Int { position - sizeChange + 1 }

        func mismatch(at nominal: Int) -> String {
            let targetLength = lines.count - sizeChange
            for (index, want) in expected.enumerated() {
                let position = nominal + index
                guard position >= 0, position < lines.count else {
                    return "the file has \(targetLength) lines, the hunk needs line \(targetLine(position))"
                }
                if lines[position] != want {
                    return "line \(targetLine(position)) is '\(clip(lines[position]))', the patch expects '\(clip(want))'"
                }
            }
            return "the hunk's lines are not where its header says"
        }

        /// Where, within `searchRadius` lines, all of the hunk's context and removed lines are (closest
        /// first), or else its first such line, or that neither is there.
        func nearby(nominal: Int, header: Int, maxOffset: Int) -> String {
            let limit = "max_offset is \(maxOffset)"
            guard let first = expected.first else { return limit }
            var firstLine: Int?
            for distance in 0...PatchApplier.searchRadius {
                for candidate in distance == 0 ? [nominal] : [nominal - distance, nominal + distance] {
                    guard candidate >= earliest, candidate < lines.count, lines[candidate] == first else { continue }
                    if candidate + expected.count <= lines.count, lines[candidate..<candidate + expected.count].elementsEqual(expected) {
                        let moved = targetLine(candidate) - 1 - header
                        return "its lines are at line \(targetLine(candidate)), \(moved) lines from its header (\(limit))"
                    }
                    if firstLine == nil { firstLine = candidate }
                }
            }
            if let firstLine {
                return "its first line is at line \(targetLine(firstLine)), but the lines after it differ (\(limit))"
            }
            return "its first line is not within \(PatchApplier.searchRadius) lines (\(limit))"
        }
    }

    private static func clip(_ text: String) -> String {
        let visible = text.replacingCR()
        return visible.count > 80 ? String(visible.prefix(77)) + "..." : visible
    }

    /// Splits at LF `Character`s (`lineFeedSeparated`): a CRLF is one `Character` and no line break, so CRLF text never matches an LF
    /// patch.
    static func split(_ text: String) -> ([String], Bool) {
        guard !text.isEmpty else { return ([], true) }
        var lines = text.lineFeedSeparated()
        let hasFinalNewline = text.endsWithLineFeed
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
