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

    /// The absolute modules `source` imports; `package` is the dotted package of the file (for relative imports).
    ///
    /// For `from a import b` both `a` and `a.b` are reported, since `b` may be a submodule. Blocks are told apart by indentation, as Python
    /// does.
    static func scan(_ source: String, package: [String]) -> [Import] {
        var result = [Import]()
        var open = [TryBlock]()
        func close(_ block: TryBlock) {
            guard block.catchesImportError else { return }
            for index in block.bodyImports { result[index].isGuarded = true }
        }
        for statement in logicalLines(source) {
            guard let head = statement.text.split(maxSplits: 1, whereSeparator: isSeparator).first else { continue }
            let headKeyword = head.hasSuffix(":") ? head.dropLast() : head
            let isHandler = ["except", "else", "finally"].contains(headKeyword)
            while let last = open.last, statement.indent < last.indent || (statement.indent == last.indent && !isHandler) {
                close(open.removeLast())
            }
            // Most statements are neither imports nor parts of a `try`: only their indentation matters.
            guard isHandler || ["import", "from", "try"].contains(headKeyword) else { continue }
            let tokens = statement.text.split(whereSeparator: isSeparator).map(String.init)
            let first = tokens[0]
            let keyword = String(headKeyword)
            if isHandler, let last = open.indices.last, open[last].indent == statement.indent {
                open[last].inHandlers = true
                if keyword == "except" && catchesImportError(tokens) { open[last].catchesImportError = true }
                continue
            }
            if keyword == "try" {
                open.append(TryBlock(indent: statement.indent))
                continue
            }
            let before = result.count
            if first == "import" {
                var index = 1
                while index < tokens.count {
                    let name = tokens[index]
                    if name == "as" {
                        index += 2
                        continue
                    }
                    if name == ";" { break }
                    result.append(Import(module: name, line: statement.line))
                    index += 1
                }
            } else if first == "from", tokens.count >= 3, tokens[2] == "import" {
                guard let base = resolve(tokens[1], package: package) else { continue }
                if !base.isEmpty { result.append(Import(module: base, line: statement.line)) }
                var index = 3
                while index < tokens.count {
                    let name = tokens[index]
                    if name == "as" {
                        index += 2
                        continue
                    }
                    if name != "*" && name != ";" {
                        result.append(Import(module: base.isEmpty ? name : "\(base).\(name)", line: statement.line))
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

    /// What separates the tokens of a statement for this scan: blanks, commas and parentheses.
    private static func isSeparator(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "," || character == "(" || character == ")"
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

    /// Joins physical lines into logical statements and blanks out comments and string contents, splitting on `;` as well.
    ///
    /// Import statements only care about names, so string contents can be dropped entirely.
    static func logicalLines(_ source: String) -> [(text: String, line: Int, indent: Int)] {
        var statements = [(text: String, line: Int, indent: Int)]()
        var current = ""
        var startLine = 1
        var line = 1
        var depth = 0
        // Indentation of the statement being read: the leading blanks of its first physical line (a tab
        // counts as one column, enough to compare lines of one file that Python accepts). After `;`, the
        // next statement keeps its line's indentation.
        var indent = 0
        var atLineStart = true
        var scalars = Array(source.unicodeScalars)[...]
        func flush() {
            let trimmed = current.trimmingSpaces()
            if !trimmed.isEmpty { statements.append((trimmed, startLine, indent)) }
            current = ""
            startLine = line
        }
        while let c = scalars.popFirst() {
            if atLineStart {
                if c == " " || c == "\t" {
                    indent += 1
                    continue
                }
                atLineStart = false
            }
            switch c {
            case "#":
                while let d = scalars.first, d != "\n" { scalars.removeFirst() }
            case "\"", "'":
                let triple = scalars.prefix(2).elementsEqual([c, c])
                if triple { scalars.removeFirst(2) }
                while let d = scalars.popFirst() {
                    if d == "\\" {
                        if let e = scalars.popFirst(), e == "\n" { line += 1 }
                        continue
                    }
                    if d == "\n" {
                        line += 1
                        if !triple { break }
                    }
                    if d == c {
                        if !triple { break }
                        if scalars.prefix(2).elementsEqual([c, c]) {
                            scalars.removeFirst(2)
                            break
                        }
                    }
                }
                current += " \"\" "
            case "\\":
                if scalars.first == "\n" {
                    scalars.removeFirst()
                    line += 1
                    current += " "
                }
            case "(", "[", "{":
                depth += 1
                current.unicodeScalars.append(c)
            case ")", "]", "}":
                depth = max(0, depth - 1)
                current.unicodeScalars.append(c)
            case ";":
                if depth == 0 { flush() } else { current.unicodeScalars.append(c) }
            case "\n":
                line += 1
                if depth == 0 {
                    flush()
                    // A blank or comment-only line does not start a statement, so its indentation is reset.
                    indent = 0
                    atLineStart = true
                } else {
                    current += " "
                }
            default:
                current.unicodeScalars.append(c)
            }
        }
        flush()
        return statements
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars.removeLast() }
        return String(scalars)
    }
}
