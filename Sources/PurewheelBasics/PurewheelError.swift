/// Where a problem was found, so that every error and finding can point a user at the exact place.
public enum SourceLocation: Sendable, Hashable {
    /// A file on disk.
    case file(String)
    /// An entry inside a zip archive on disk.
    case archiveEntry(archive: String, entry: String)
    /// A key inside a recipe; `keyPath` reads like `patch[1].file`.
    case recipe(String, keyPath: String, line: Int?)
    /// A hunk of a patch file, with the line of the target entry it was meant for.
    case patchHunk(String, hunk: Int, line: Int)

    /// The location as users see it: `file`, `archive!entry`, `recipe (key)`, `patch (hunk N)`.
    public var description: String {
        switch self {
        case .file(let path):
            return path
        case .archiveEntry(let archive, let entry):
            return "\(archive)!\(entry)"
        case .recipe(let path, let keyPath, let line):
            let position = line.map { ":\($0)" } ?? ""
            return keyPath.isEmpty ? "\(path)\(position)" : "\(path)\(position) (\(keyPath))"
        case .patchHunk(let path, let hunk, _):
            return "\(path) (hunk \(hunk))"
        }
    }
}

/// The broad kind of a failure; the command layer maps each one to its own exit code.
public enum FailureCategory: String, Sendable, Hashable, CaseIterable {
    /// `check` or the build's verification found error-severity findings.
    case findings
    /// The command line itself is wrong.
    case usage
    /// A malformed zip or wheel, or upstream bytes that do not match their pin.
    case badInput
    /// A recipe, wheel or pinned file that does not exist.
    case missingInput
    /// A bug in purewheel.
    case `internal`
    /// Reading, writing or renaming failed, or pip could not fetch.
    case io
    /// A recipe that does not parse or validate, or a patch that does not apply.
    case recipe
    /// An upstream file on the index no longer has the bytes its lock pins: an alarm, never overwritten.
    case pinConflict
    /// A rebuild from a provenance statement gave other bytes than the wheel it describes.
    case provenanceMismatch
}

/// The contract every purewheel error meets, so the command layer can render and classify any of them.
public protocol PurewheelError: Error, Sendable {
    /// Where it went wrong, when that is known.
    var location: SourceLocation? { get }
    /// Which kind of failure this is.
    var category: FailureCategory { get }
    /// What happened: lowercase, no trailing period, expected versus actual where it applies.
    var message: String { get }
    /// What the user can do about it, if anything useful can be said.
    var hint: String? { get }
}

extension PurewheelError {
    /// Most errors have no hint.
    public var hint: String? { nil }
}

/// A broken internal invariant: always a purewheel bug, never the user's input.
public struct InternalError: PurewheelError, Equatable {
    /// What invariant was broken.
    public let description: String
    /// The source file that detected it.
    public let file: String
    /// The source line that detected it.
    public let line: Int

    /// Creates an internal error at the caller's position.
    public init(_ description: String, file: String = #fileID, line: Int = #line) {
        self.description = description
        self.file = file
        self.line = line
    }

    /// Always `nil`: the message names the purewheel source file and line instead.
    public var location: SourceLocation? { nil }
    /// Always `.internal` (exit 70).
    public var category: FailureCategory { .internal }
    /// The broken invariant and the source position that detected it.
    public var message: String { "internal error: \(description) (\(file):\(line))" }
    /// Asks the user to report the bug with the command that triggered it.
    public var hint: String? { "this is a purewheel bug; please report it with the command that triggered it" }
}
