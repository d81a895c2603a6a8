/// Finds the input that makes TOMLKit's parser abort the process instead of reporting an error.
///
/// toml++ (inside TOMLKit 0.6.0) asserts, and so kills the process, in release builds too, when a table header's
/// first key starts with anything but a bare-key character or a quote: a non-ASCII letter (`[é]`), a control
/// character, most punctuation (`[@x]`, `[[{x]]`). The same characters anywhere else are reported as syntax
/// errors. So every text is scanned for such a header before the parser sees it, and the caller reports it as the
/// syntax error it is (found by fuzzing: fixtures/fuzz-seeds/regressions/).
///
/// The scan walks Unicode scalars, as toml++ does, not Swift characters: a combining mark right after `[` makes
/// one grapheme of both (`[` + U+0346 is not equal to `[`), and `\r\n` is one grapheme too.
public enum TOMLHeaderGuard {
    /// The 1-based line and column of the first table header whose first key does not start with a letter,
    /// digit, `_`, `-` or a quote; `nil` when there is none.
    ///
    /// Lines inside multi-line strings and inside multi-line array values are not headers and are skipped.
    public static func firstUnsafeHeader(in text: String) -> (line: Int, column: Int)? {
        var scanner = Scanner()
        for (index, line) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let characters = Array(line)
            if scanner.isAtTopLevel, let column = unsafeHeaderColumn(characters) { return (index + 1, column) }
            scanner.consume(characters)
        }
        return nil
    }

    /// The column of the offending character when `line` is a table header with an unsafe first key.
    private static func unsafeHeaderColumn(_ line: [Unicode.Scalar]) -> Int? {
        var position = 0
        func skipBlanks() { while position < line.count, line[position] == " " || line[position] == "\t" { position += 1 } }
        skipBlanks()
        guard position < line.count, line[position] == "[" else { return nil }
        position += 1
        if position < line.count, line[position] == "[" { position += 1 }
        skipBlanks()
        guard position < line.count else { return position + 1 }
        let first = line[position]
        let isSafe =
            ("a"..."z").contains(first) || ("A"..."Z").contains(first) || ("0"..."9").contains(first)
            || "_-\"'".unicodeScalars.contains(first)
        return isSafe ? nil : position + 1
    }

    /// Follows strings, comments and array brackets across lines, so that only lines that start at the top
    /// level (not inside a value) are taken for headers.
    private struct Scanner {
        private var multiLineQuote: String?
        private var arrayDepth = 0

        var isAtTopLevel: Bool { multiLineQuote == nil && arrayDepth == 0 }

        mutating func consume(_ line: [Unicode.Scalar]) {
            var position = 0
            // A header line opens no value: its brackets are not arrays.
            if isAtTopLevel, line.first(where: { $0 != " " && $0 != "\t" }) == "[" { return }
            var afterEquals = !isAtTopLevel
            while position < line.count {
                if let quote = multiLineQuote {
                    if matches(line, position, quote) {
                        multiLineQuote = nil
                        position += 3
                    } else {
                        position += quote == "\"\"\"" && line[position] == "\\" ? 2 : 1
                    }
                    continue
                }
                let character = line[position]
                if matches(line, position, "\"\"\"") || matches(line, position, "'''") {
                    multiLineQuote = String(String.UnicodeScalarView(line[position..<position + 3]))
                    position += 3
                    continue
                }
                switch character {
                case "#": return
                case "\"", "'": position = endOfString(line, from: position, quote: character)
                case "=": afterEquals = true
                case "[" where afterEquals: arrayDepth += 1
                case "]" where arrayDepth > 0: arrayDepth -= 1
                default: break
                }
                position += 1
            }
        }

        /// Whether `marker` starts at `position`, compared in place: this runs at every scalar of the recipe and its lock, and copying both
        /// into arrays each time was most of reading them.
        private func matches(_ line: [Unicode.Scalar], _ position: Int, _ marker: String) -> Bool {
            line[position...].starts(with: marker.unicodeScalars)
        }

        /// The position of the closing quote of a one-line string (or the last character of the line).
        private func endOfString(_ line: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar) -> Int {
            var position = start + 1
            while position < line.count, line[position] != quote {
                position += quote == "\"" && line[position] == "\\" ? 2 : 1
            }
            return min(position, line.count - 1)
        }
    }
}
