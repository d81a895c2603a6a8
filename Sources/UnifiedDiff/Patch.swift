/// A parsed unified diff: one or more file diffs, each with its hunks.
public struct Patch: Sendable, Hashable {
    /// The file diffs in patch order.
    public let files: [FileDiff]

    /// Creates a patch.
    public init(files: [FileDiff]) { self.files = files }
}

/// The changes to one file.
public struct FileDiff: Sendable, Hashable {
    /// The path being changed (after stripping `a/` / `b/`), or `nil` for `/dev/null`.
    public let oldPath: String?
    /// The path after the change, or `nil` for `/dev/null` (a deletion).
    public let newPath: String?
    /// Hunks in order.
    public let hunks: [Hunk]

    /// Creates a file diff.
    public init(oldPath: String?, newPath: String?, hunks: [Hunk]) {
        self.oldPath = oldPath
        self.newPath = newPath
        self.hunks = hunks
    }

    /// The entry this diff applies to.
    public var target: String { newPath ?? oldPath ?? "" }
    /// Whether the diff creates a new file (`--- /dev/null`).
    public var createsFile: Bool { oldPath == nil }
}

/// One `@@ -oldStart,oldCount +newStart,newCount @@` hunk.
public struct Hunk: Sendable, Hashable {
    /// One hunk line.
    public enum Line: Sendable, Hashable {
        case context(String)
        case removed(String)
        case added(String)
    }

    /// 1-based line in the original file where the hunk starts (0 for an empty original).
    public let oldStart: Int
    /// Lines the hunk covers in the original.
    public let oldCount: Int
    /// 1-based start in the result.
    public let newStart: Int
    /// Lines the hunk covers in the result.
    public let newCount: Int
    /// The body, with line terminators removed.
    public let lines: [Line]
    /// Whether the last original-side line has no newline (`\ No newline at end of file` after it).
    public let oldMissingFinalNewline: Bool
    /// Whether the last result-side line has no newline.
    public let newMissingFinalNewline: Bool
    /// 1-based line of the `@@` header in the patch file.
    public let headerLine: Int

    /// Creates a hunk.
    public init(
        oldStart: Int, oldCount: Int, newStart: Int, newCount: Int, lines: [Line],
        oldMissingFinalNewline: Bool = false, newMissingFinalNewline: Bool = false, headerLine: Int = 0
    ) {
        self.oldStart = oldStart
        self.oldCount = oldCount
        self.newStart = newStart
        self.newCount = newCount
        self.lines = lines
        self.oldMissingFinalNewline = oldMissingFinalNewline
        self.newMissingFinalNewline = newMissingFinalNewline
        self.headerLine = headerLine
    }

    /// The lines the original must contain (context and removed).
    public var expectedOldLines: [String] {
        lines.compactMap {
            switch $0 {
            case .context(let text), .removed(let text): return text
            case .added: return nil
            }
        }
    }

    /// The lines the result will contain (context and added).
    public var newLines: [String] {
        lines.compactMap {
            switch $0 {
            case .context(let text), .added(let text): return text
            case .removed: return nil
            }
        }
    }
}
