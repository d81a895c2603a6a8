/// Splits a command held in one environment variable (`$PUREWHEEL_PIP`) into words the way a POSIX shell does, without expanding anything:
/// unquoted spaces and tabs separate words, `'…'` keeps everything literally, `"…"` keeps everything but `\"` and `\\`, and a backslash
/// outside quotes escapes the next character.
///
/// So `python3 -m pip` is three words and `"/opt/my tools/pip" --quiet` two.
enum ShellWords {
    /// The words of `text`, or `nil` when a quote is not closed or the text ends in a lone backslash.
    static func split(_ text: String) -> [String]? {
        var words = [String]()
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            switch (quote, character) {
            case ("'", "'"), ("\"", "\""):
                quote = nil
            case ("'", _):
                current.append(character)
            case ("\"", "\\"), (nil, "\\"):
                escaped = true
                inWord = true
            case ("\"", _):
                current.append(character)
            case (nil, "'"), (nil, "\""):
                quote = character
                inWord = true
            case (nil, " "), (nil, "\t"), (nil, "\n"):
                if inWord { words.append(current) }
                current = ""
                inWord = false
            default:
                current.append(character)
                inWord = true
            }
        }
        guard quote == nil, !escaped else { return nil }
        if inWord { words.append(current) }
        return words
    }
}
