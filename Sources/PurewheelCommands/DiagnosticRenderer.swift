import PurewheelBasics

/// Renders errors for people: location first, then what happened, then a `hint:` line.
public enum DiagnosticRenderer {
    /// `error: <location>: <message>` plus an indented hint, LF-terminated.
    ///
    /// Locations, messages and hints quote untrusted text (entry names, file names, METADATA values, recipe
    /// values), so every part is passed through `TerminalText.escape`: a control character shows as `\x1b`
    /// and the like instead of reaching the terminal.
    public static func render(_ error: any PurewheelError) -> String {
        var text = "error: "
        if let location = error.location { text += TerminalText.escape(location.description) + ": " }
        text += TerminalText.escape(error.message) + "\n"
        if let hint = error.hint { text += "  hint: \(TerminalText.escape(hint))\n" }
        return text
    }
}
