import PurewheelBasics

/// Renders errors for people: location first, then what happened, then a `hint:` line.
public enum DiagnosticRenderer {
    /// `error: <location>: <message>` plus an indented hint, LF-terminated.
    public static func render(_ error: any PurewheelError) -> String {
        var text = "error: "
        if let location = error.location { text += location.description + ": " }
        text += error.message + "\n"
        if let hint = error.hint { text += "  hint: \(hint)\n" }
        return text
    }
}
