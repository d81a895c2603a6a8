/// Finds the one input that makes TOMLKit's parser abort the process instead of reporting an error.
///
/// toml++ (inside TOMLKit 0.6.0) asserts, and so kills the process, when a table header's first key starts with
/// a non-ASCII character (`[é]`, `[[中]]`, `[ €.x]`), in release builds too; the same character anywhere else is
/// reported as a syntax error. So every text is scanned for such a header before the parser sees it, and the
/// caller reports it as the syntax error it is.
public enum TOMLHeaderGuard {
    /// The 1-based line and column of the first table header whose first key starts with a non-ASCII
    /// character, outside multi-line strings; `nil` when there is none.
    public static func firstUnsafeHeader(in text: String) -> (line: Int, column: Int)? {
        var inBasicString = false
        var inLiteralString = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let startsInString = inBasicString || inLiteralString
            // A line's `"""` / `'''` markers toggle multi-line strings (an approximation that errs towards
            // scanning less, never towards a false alarm inside a string).
            if !inLiteralString, line.components(separatedBy: "\"\"\"").count % 2 == 0 { inBasicString.toggle() }
            if !inBasicString, line.components(separatedBy: "'''").count % 2 == 0 { inLiteralString.toggle() }
            guard !startsInString else { continue }
            let characters = Array(line)
            var position = 0
            while position < characters.count, characters[position] == " " || characters[position] == "\t" { position += 1 }
            guard position < characters.count, characters[position] == "[" else { continue }
            position += 1
            if position < characters.count, characters[position] == "[" { position += 1 }
            while position < characters.count, characters[position] == " " || characters[position] == "\t" { position += 1 }
            if position < characters.count, !characters[position].isASCII {
                return (index + 1, position + 1)
            }
        }
        return nil
    }
}
