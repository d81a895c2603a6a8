import PurewheelBasics
import RecipeFormat

/// Puts the recipe's `notice` line into every Python file a patch changed or an inject added, right after the file's
/// licence header, so that each modified file carries a prominent notice of the change (Apache-2.0 §4(b)).
///
/// Runs after every patch and inject, so that no patch's context has to know about the notice.
public struct NoticeStage: ArchiveStage {
    /// Creates the stage.
    public init() {}

    /// Inserts the notice into each patched or injected `.py` entry that does not hold it yet.
    ///
    /// - Throws: `PipelineError` at `.inject`: `.build(.notText)` when such an entry is not UTF-8, `.zip` when one cannot be read.
    public func run(_ input: WheelContents, archive: borrowing UpstreamArchive, in context: StageContext) throws(PipelineError)
        -> WheelContents
    {
        guard let notice = context.recipe.notice else { return input }
        return try inStage(.inject) { () throws(PipelineError.Cause) in
            var output = input
            var targets = [String]()
            for change in input.changes {
                switch change {
                case .patched(let path, _, _), .injected(let path, _, _):
                    if path.hasSuffix(".py"), !targets.contains(path) { targets.append(path) }
                case .dropped, .normalized:
                    continue
                }
            }
            for path in targets {
                guard let index = output.entries.firstIndex(where: { $0.path.rawValue == path }) else { continue }
                let bytes = try archive.bytes(of: output.entries[index])
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw .build(.notText(archive: input.upstream.path, entry: path))
                }
                output.entries[index].content = .bytes(Array(Self.inserting(notice, into: text).utf8))
            }
            return output
        }
    }

    /// `text` with `notice` on its own line after the licence header.
    ///
    /// The header is a `#!` line and the comment lines that open the file (a coding line among them); the notice goes at
    /// the very top when the file opens with code. A file that already holds the line is returned unchanged.
    static func inserting(_ notice: String, into text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.contains(where: { $0 == notice || $0 == notice + "\r" }) { return text }
        var header = 0
        while header < lines.count, lines[header].hasPrefix("#") { header += 1 }
        let newline = lines.first?.hasSuffix("\r") == true ? "\r\n" : "\n"
        var result = lines[..<header].map { $0 + "\n" }.joined()
        result += notice + newline
        result += lines[header...].joined(separator: "\n")
        return result
    }
}
