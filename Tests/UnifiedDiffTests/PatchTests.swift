import Foundation
import Testing
import UnifiedDiff

@Suite struct PatchTests {
    static let original = (1...12).map { "line \($0)" }.joined(separator: "\n") + "\n"

    static let patchText = """
        diff --git a/pkg/mod.py b/pkg/mod.py
        --- a/pkg/mod.py
        +++ b/pkg/mod.py
        @@ -2,3 +2,3 @@
         line 2
        -line 3
        +LINE THREE
         line 4
        @@ -10,3 +10,4 @@
         line 10
         line 11
        +inserted
         line 12

        """

    @Test func parsesFilesAndHunks() throws {
        let patch = try PatchParser.parse(Self.patchText, name: "0001.diff")
        #expect(patch.files.count == 1)
        #expect(patch.files[0].target == "pkg/mod.py")
        #expect(patch.files[0].hunks.map(\.oldStart) == [2, 10])
        #expect(patch.files[0].hunks[1].lines.contains(.added("inserted")))
    }

    @Test func appliesExactly() throws {
        let patch = try PatchParser.parse(Self.patchText, name: "0001.diff")
        let applied = try PatchApplier(patchName: "0001.diff").apply(patch.files[0], to: Self.original)
        #expect(applied.text.contains("line 2\nLINE THREE\nline 4\n"))
        #expect(applied.text.hasSuffix("line 11\ninserted\nline 12\n"))
        #expect(applied.offsets == [0, 0])
    }

    @Test func misappliedHunkNamesPatchHunkAndLine() throws {
        let patch = try PatchParser.parse(Self.patchText, name: "recipes/x/patches/0001.diff")
        let changed = Self.original.replacingOccurrences(of: "line 11\n", with: "line eleven\n")
        #expect(
            throws: PatchError.hunkDoesNotApply(
                patch: "recipes/x/patches/0001.diff", target: "pkg/mod.py", hunk: 2, line: 10,
                reason: "line 11 is 'line eleven', the patch expects 'line 11'; its first line is at line 10, but the lines after it differ"
                    + " (max_offset is 0)"
            )
        ) {
            try PatchApplier(patchName: "recipes/x/patches/0001.diff").apply(patch.files[0], to: changed)
        }
        let error = PatchError.hunkDoesNotApply(patch: "recipes/x/patches/0001.diff", target: "pkg/mod.py", hunk: 2, line: 10, reason: "r")
        #expect(error.message == "hunk 2 of 0001.diff does not apply to pkg/mod.py at line 10: r")
    }

    @Test func offsetOnlyWhenAllowed() throws {
        let patch = try PatchParser.parse(Self.patchText, name: "p.diff")
        let shifted = "extra\nextra\n" + Self.original
        #expect(throws: PatchError.self) { try PatchApplier(patchName: "p.diff").apply(patch.files[0], to: shifted) }
        let applied = try PatchApplier(patchName: "p.diff", maxOffset: 2).apply(patch.files[0], to: shifted)
        // Each offset is the hunk's whole move from its header's line, not its move relative to the hunk before.
        #expect(applied.offsets == [2, 2])
        #expect(applied.text.hasSuffix("line 11\ninserted\nline 12\n"))
    }

    @Test func aHunkMovedBeyondMaxOffsetSaysWhereItsLinesAre() throws {
        let patch = try PatchParser.parse(Self.patchText, name: "p.diff")
        let shifted = String(repeating: "extra\n", count: 5) + Self.original
        #expect(
            throws: PatchError.hunkDoesNotApply(
                patch: "p.diff", target: "pkg/mod.py", hunk: 1, line: 2,
                reason: "line 2 is 'extra', the patch expects 'line 2'; its lines are at line 7, 5 lines from its header (max_offset is 2)")
        ) { try PatchApplier(patchName: "p.diff", maxOffset: 2).apply(patch.files[0], to: shifted) }
    }

    @Test func aHunkWhoseLinesAreGoneSaysSo() throws {
        let patch = try PatchParser.parse(Self.patchText, name: "p.diff")
        let rewritten = Self.original.replacingOccurrences(of: "line 2\n", with: "LINE 2\n")
        #expect(
            throws: PatchError.hunkDoesNotApply(
                patch: "p.diff", target: "pkg/mod.py", hunk: 1, line: 2,
                reason: "line 2 is 'LINE 2', the patch expects 'line 2'; its first line is not within 200 lines (max_offset is 0)")
        ) { try PatchApplier(patchName: "p.diff").apply(patch.files[0], to: rewritten) }
    }

    @Test func errorsAfterAnInsertingHunkUseTheTargetsLineNumbers() throws {
        let text = "--- a/f\n+++ b/f\n@@ -2,2 +2,5 @@\n line 2\n+a\n+b\n+c\n line 3\n@@ -10,3 +13,3 @@\n line 10\n-line 11\n+X\n line 12\n"
        let patch = try PatchParser.parse(text, name: "p.diff")
        let changed = Self.original.replacingOccurrences(of: "line 11\n", with: "line eleven\n")
        #expect(
            throws: PatchError.hunkDoesNotApply(
                patch: "p.diff", target: "f", hunk: 2, line: 10,
                reason: "line 11 is 'line eleven', the patch expects 'line 11'; its first line is at line 10, but the lines after it differ"
                    + " (max_offset is 0)")
        ) { try PatchApplier(patchName: "p.diff").apply(patch.files[0], to: changed) }
        let applied = try PatchApplier(patchName: "p.diff").apply(patch.files[0], to: Self.original)
        #expect(applied.offsets == [0, 0])
    }

    @Test func crlfTargetDoesNotMatchLFPatch() throws {
        let patch = try PatchParser.parse(Self.patchText, name: "p.diff")
        let crlf = Self.original.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(throws: PatchError.self) { try PatchApplier(patchName: "p.diff").apply(patch.files[0], to: crlf) }
    }

    @Test func handlesMissingNewlineAtEnd() throws {
        let text = "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n"
        let patch = try PatchParser.parse(text, name: "p.diff")
        let applied = try PatchApplier(patchName: "p.diff").apply(patch.files[0], to: "a\nb")
        #expect(applied.text == "a\nc\n")
    }

    @Test func createsFiles() throws {
        let text = "--- /dev/null\n+++ b/pkg/new.py\n@@ -0,0 +1,2 @@\n+one\n+two\n"
        let patch = try PatchParser.parse(text, name: "p.diff")
        #expect(patch.files[0].createsFile)
        #expect(try PatchApplier(patchName: "p.diff").apply(patch.files[0], to: nil).text == "one\ntwo\n")
    }

    @Test func rejectsTargetsOutsideTheWheelRoot() {
        let text = "--- /dev/null\n+++ b/../../evil.py\n@@ -0,0 +1,1 @@\n+x\n"
        #expect(throws: PatchError.unsafeTarget(patch: "p.diff", hunk: 1, line: 2, target: "../../evil.py", problem: .parentReference)) {
            try PatchParser.parse(text, name: "p.diff")
        }
    }

    @Test(arguments: [
        (id: "no header", text: "hello\n", line: 1),
        (id: "no plus", text: "--- a/x\nhello\n", line: 2),
        (id: "bad range", text: "--- a/x\n+++ b/x\n@@ -a +1 @@\n", line: 3),
        (id: "short hunk", text: "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n", line: 4),
    ])
    func rejectsMalformedPatches(id: String, text: String, line: Int) {
        #expect {
            try PatchParser.parse(text, name: "p.diff")
        } throws: { error in
            guard case PatchError.malformed(_, let found, _) = error else { return false }
            return found == line
        }
    }
}
