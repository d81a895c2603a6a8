import PurewheelBasics

/// Renders errors for people: location first, then what happened, then a `hint:` line.
public enum DiagnosticRenderer {
    /// `error: <location>: <message>` plus an indented hint, LF-terminated; the lines of a multi-line
    /// message (pip's explanation, a list of findings) follow indented by two spaces.
    ///
    /// Locations, messages and hints quote untrusted text (entry names, file names, METADATA values, recipe
    /// values), so every part is passed through `TerminalText.escape`, line by line: a control character shows
    /// as `\x1b` and the like instead of reaching the terminal, and no line can start flush left as if it
    /// were a diagnostic of its own.
    public static func render(_ error: any PurewheelError) -> String {
        var text = "error: "
        if let location = error.location { text += TerminalText.escape(location.description) + ": " }
        let lines = error.message.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escape(String($0)) }
        text += lines.joined(separator: "\n  ") + "\n"
        if let hint = error.hint { text += "  hint: \(TerminalText.escape(hint))\n" }
        return text
    }
}
