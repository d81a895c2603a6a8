/// Finds the modules a Python source file imports, without running Python: `import a.b [as c], d` and `from [.]a.b import (c, d)`
/// statements at any indentation, across parentheses and backslash continuations, ignoring comments and string literals (Python language
/// reference, "The import statement").
///
/// Dynamic imports (`importlib`, `__import__`) are out of its reach by design.
enum PythonImports {
    /// One imported module with the 1-based line of its statement.
    struct Import: Hashable {
        /// Absolute dotted name.
        let module: String
        /// Line of the statement.
        let line: Int
        /// Whether the statement is in the body of a `try:` one of whose handlers catches a failed import
        /// (`except ImportError`, `except ModuleNotFoundError`, a tuple holding one, `except Exception`,
        /// `except BaseException` or a bare `except:`), so a missing module is a handled, optional import.
        var isGuarded = false
    }

    /// A `try:` statement being read, by the indentation of its `try` line.
    private struct TryBlock {
        let indent: Int
        /// Reading the handlers (`except`, `else`, `finally`): statements there are not guarded by it.
        var inHandlers = false
        /// A handler catches a failed import.
        var catchesImportError = false
        /// Indices into the result of imports in its body.
        var bodyImports = [Int]()
    }

    /// The absolute modules `source` (a Python file's UTF-8 bytes) imports; `package` is the dotted package of
    /// the file (for relative imports).
    ///
    /// For `from a import b` both `a` and `a.b` are reported, since `b` may be a submodule. Blocks are told apart by indentation, as Python
    /// does. Every syntax character this reads is ASCII, so the scan works on bytes and makes a `String` only of the few statements that
    /// import or open or continue a `try`.
    static func scan(_ source: [UInt8], package: [String]) -> [Import] {
        var result = [Import]()
        var open = [TryBlock]()
        func close(_ block: TryBlock) {
            guard block.catchesImportError else { return }
            for index in block.bodyImports { result[index].isGuarded = true }
        }
        forEachLogicalLine(source) { text, line, indent in
            let head = Keyword(head: text)
            let isHandler = head?.isHandler ?? false
            while let last = open.last, indent < last.indent || (indent == last.indent && !isHandler) {
                close(open.removeLast())
            }
            // Most statements are neither imports nor parts of a `try`: only their indentation matters.
            guard let head else { return }
            let tokens = text.split(whereSeparator: isSeparator).map { String(decoding: $0, as: UTF8.self) }
            if isHandler, let last = open.indices.last, open[last].indent == indent {
                open[last].inHandlers = true
                if head == .except && catchesImportError(tokens) { open[last].catchesImportError = true }
                return
            }
            if head == .try {
                open.append(TryBlock(indent: indent))
                return
            }
            let before = result.count
            if head == .import {
                var index = 1
                while index < tokens.count {
                    let name = tokens[index]
                    if name == "as" {
                        index += 2
                        continue
                    }
                    if name == ";" { break }
                    result.append(Import(module: name, line: line))
                    index += 1
                }
            } else if head == .from, tokens.count >= 3, tokens[2] == "import" {
                guard let base = resolve(tokens[1], package: package) else { return }
                if !base.isEmpty { result.append(Import(module: base, line: line)) }
                var index = 3
                while index < tokens.count {
                    let name = tokens[index]
                    if name == "as" {
                        index += 2
                        continue
                    }
                    if name != "*" && name != ";" {
                        result.append(Import(module: base.isEmpty ? name : "\(base).\(name)", line: line))
                    }
                    index += 1
                }
            }
            for position in open.indices where !open[position].inHandlers {
                open[position].bodyImports += Array(before..<result.count)
            }
        }
        while let last = open.popLast() { close(last) }
        return result
    }

    /// The statement keywords the scan acts on, read from a statement's first token (a trailing `:` dropped).
    private enum Keyword: String {
        case `import`, from, `try`, except, `else`, finally

        /// A clause that continues a `try` statement rather than starting a statement.
        var isHandler: Bool { self == .except || self == .else || self == .finally }

        /// The keyword `text` starts with, or `nil` when its first token is none of them.
        init?(head text: ArraySlice<UInt8>) {
            let token = text.drop(while: PythonImports.isSeparator).prefix { !PythonImports.isSeparator($0) }
            let word = token.last == UInt8(ascii: ":") ? token.dropLast() : token
            // The longest keyword is 7 bytes: longer tokens are names, and need no String.
            guard word.count <= 7 else { return nil }
            self.init(rawValue: String(decoding: word, as: UTF8.self))
        }
    }

    /// What separates the tokens of a statement for this scan: blanks (a carriage return is one, as for
    /// Python), commas and parentheses.
    private static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: ","), UInt8(ascii: "("), UInt8(ascii: ")"): true
        default: false
        }
    }

    /// Whether an `except` clause's tokens name an exception that a failed import raises.
    private static func catchesImportError(_ tokens: [String]) -> Bool {
        let names = tokens.dropFirst().map { $0.hasSuffix(":") ? String($0.dropLast()) : $0 }.prefix { $0 != "as" }
        guard let firstName = names.first, !firstName.isEmpty else { return true }  // bare `except:`
        let catching: Set<String> = ["ImportError", "ModuleNotFoundError", "Exception", "BaseException"]
        return names.contains { catching.contains(String($0.split(separator: ".").last ?? "")) }
    }

    /// `..x` inside package `a.b.c` → `a.b.x`; `nil` if it climbs above the top.
    static func resolve(_ name: String, package: [String]) -> String? {
        let dots = name.prefix { $0 == "." }.count
        let rest = String(name.dropFirst(dots))
        guard dots > 0 else { return rest }
        guard dots - 1 <= package.count else { return nil }
        let base = package.dropLast(dots - 1)
        return (Array(base) + (rest.isEmpty ? [] : [rest])).joined(separator: ".")
    }

    /// Joins physical lines into logical statements, blanks out comments and string contents, splits on `;` as
    /// well, and calls `body` with each statement's text (trimmed), its first line and its indentation.
    ///
    /// Import statements only care about names, so string contents can be dropped entirely. The text is lent
    /// from one buffer that the next statement reuses.
    static func forEachLogicalLine(_ source: [UInt8], _ body: (_ text: ArraySlice<UInt8>, _ line: Int, _ indent: Int) -> Void) {
        var current = [UInt8]()
        var startLine = 1
        var line = 1
        var depth = 0
        // Indentation of the statement being read: the leading blanks of its first physical line (a tab
        // counts as one column, enough to compare lines of one file that Python accepts). After `;`, the
        // next statement keeps its line's indentation.
        var indent = 0
        var atLineStart = true
        func flush() {
            var lower = current.startIndex
            var upper = current.endIndex
            while lower < upper, isBlank(current[lower]) { lower += 1 }
            while upper > lower, isBlank(current[upper - 1]) { upper -= 1 }
            if lower < upper { body(current[lower..<upper], startLine, indent) }
            current.removeAll(keepingCapacity: true)
            startLine = line
        }
        let newline = UInt8(ascii: "\n")
        var position = source.startIndex
        func next() -> UInt8? {
            guard position < source.endIndex else { return nil }
            defer { position += 1 }
            return source[position]
        }
        func peek(_ offset: Int = 0) -> UInt8? { position + offset < source.endIndex ? source[position + offset] : nil }
        while let c = next() {
            if atLineStart {
                if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") {
                    indent += 1
                    continue
                }
                atLineStart = false
            }
            switch c {
            case UInt8(ascii: "#"):
                while let d = peek(), d != newline { position += 1 }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let triple = peek() == c && peek(1) == c
                if triple { position += 2 }
                while let d = next() {
                    if d == UInt8(ascii: "\\") {
                        if let e = next(), e == newline { line += 1 }
                        continue
                    }
                    if d == newline {
                        line += 1
                        if !triple { break }
                    }
                    if d == c {
                        if !triple { break }
                        if peek() == c && peek(1) == c {
                            position += 2
                            break
                        }
                    }
                }
                current += #" "" "#.utf8
            case UInt8(ascii: "\\"):
                if peek() == newline {
                    position += 1
                    line += 1
                    current.append(UInt8(ascii: " "))
                }
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                current.append(c)
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
                current.append(c)
            case UInt8(ascii: ";"):
                if depth == 0 { flush() } else { current.append(c) }
            case newline:
                line += 1
                if depth == 0 {
                    flush()
                    // A blank or comment-only line does not start a statement, so its indentation is reset.
                    indent = 0
                    atLineStart = true
                } else {
                    current.append(UInt8(ascii: " "))
                }
            default:
                current.append(c)
            }
        }
        flush()
    }

    /// The blanks trimmed from a statement's ends.
    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}
