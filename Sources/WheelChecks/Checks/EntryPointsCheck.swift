/// PW619, the format of `.dist-info/entry_points.txt`.
///
/// Packaging.python.org, "Entry points specification", "File format": an INI file of `[group]` sections
/// holding `name = value` lines. installer reads it with Python's
/// strict `configparser` (a repeated section or name fails the install) and, like pip, turns every
/// `console_scripts` and `gui_scripts` entry into a launcher, which needs an object reference
/// `module:attr` (extras in brackets allowed); pip refuses a script entry without the `:attr` part.
struct EntryPointsCheck {
    /// Groups whose entries installers turn into scripts.
    static let scriptGroups: Set<String> = ["console_scripts", "gui_scripts"]

    func run(_ wheel: WheelSnapshot) -> [Finding] {
        guard let distInfo = wheel.distInfo, wheel.contentsAvailable else { return [] }
        let name = "\(distInfo)/entry_points.txt"
        guard let bytes = wheel.smallFile(name) else { return [] }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return [Finding(.entryPointsMalformed, entry: name, "entry_points.txt is not valid UTF-8")]
        }
        var findings = [Finding]()
        func add(_ line: Int, _ message: String, _ actual: Substring) {
            findings.append(
                Finding(
                    .entryPointsMalformed, entry: name, "entry_points.txt line \(line): \(message)", actual: String(actual.prefix(200)),
                    hint: "entry_points.txt is INI: [group] then 'name = module:attr [extras]' lines"))
        }
        var group: String?
        var sections = Set<String>()
        var names = Set<String>()
        var defaults = DefaultSection()
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingBlanks()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if raw.first == " " || raw.first == "\t" {
                // configparser joins it to the previous value; importlib.metadata reads it as an entry of its own.
                add(index + 1, "an indented line, which readers join to the previous value or read on its own", raw)
                continue
            }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    add(index + 1, "a section header is not '[group]'", raw)
                    continue
                }
                let title = String(line.dropFirst().dropLast())
                if !sections.insert(title).inserted { add(index + 1, "section [\(title)] appears twice", raw) }
                group = title
                names = []
                if title == DefaultSection.title { defaults.line = defaults.line ?? index + 1 }
                continue
            }
            guard let group else {
                add(index + 1, "an entry comes before any [group] header", raw)
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                add(index + 1, "the line is not 'name = value'", raw)
                continue
            }
            let key = line[..<equals].trimmingBlanks()
            let value = line[line.index(after: equals)...].trimmingBlanks()
            guard !key.isEmpty else {
                add(index + 1, "the entry has no name", raw)
                continue
            }
            if group == DefaultSection.title { defaults.names.append(String(key)) }
            // configparser folds option names to lower case only when asked; installer keeps them as written.
            if !names.insert(String(key)).inserted { add(index + 1, "name '\(key)' appears twice in [\(group)]", raw) }
            if Self.scriptGroups.contains(group), !ObjectReference.isValid(value, requiresAttribute: true) {
                add(index + 1, "a script entry point is not 'module:attr [extras]'", raw)
            }
            // The name becomes a file in the scripts folder: installer refuses a separator or '..' (writing outside it).
            if Self.scriptGroups.contains(group),
                key == "." || key == ".." || key.contains("/") || key.contains("\\")
                    || key.contains(where: { ($0.asciiValue ?? 0x20) < 0x20 })
            {
                add(index + 1, "a script name is not a plain file name", raw)
            } else if Self.scriptGroups.contains(group), !Self.isIndexScriptName(key) {
                // warehouse `utils/wheel.py` `_validate_section`: names must match `[\w.-]+`.
                findings.append(
                    Finding(
                        .invalidScriptName, entry: name, "entry_points.txt line \(index + 1): script name '\(key)' is not [\\w.-]+",
                        actual: String(key.prefix(200)), hint: "PyPI refuses it; use letters, digits, '_', '.' and '-'"))
            }
        }
        findings += defaults.findings(entry: name)
        return findings
    }
}

extension EntryPointsCheck {
    /// Whether `name` matches Python's `[\w.-]+` on text: letters, digits (any script), `_`, `.` and `-`.
    static func isIndexScriptName(_ name: Substring) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }
    }
}

/// An entry point's object reference: `importable.module`, optionally `:qualified.name`, optionally
/// `[extra, ...]` (entry points specification, "Data model").
enum ObjectReference {
    static func isValid(_ value: Substring, requiresAttribute: Bool) -> Bool {
        var reference = value
        if let bracket = reference.firstIndex(of: "[") {
            let extras = reference[bracket...].trimmingBlanks()
            guard extras.hasSuffix("]") else { return false }
            let names = extras.dropFirst().dropLast().split(separator: ",").map { $0.trimmingBlanks() }
            guard names.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isNameCharacter) }) else { return false }
            reference = reference[..<bracket]
        }
        let parts = reference.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingBlanks() }
        guard let module = parts.first, isDottedName(module) else { return false }
        if parts.count == 2 { return isDottedName(parts[1]) }
        return !requiresAttribute
    }

    static func isDottedName(_ text: Substring) -> Bool {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        return !text.isEmpty
            && pieces.allSatisfy { piece in
                guard let first = piece.first, !first.isNumber else { return false }
                return piece.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
            }
    }

    static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "-_.".contains(character))
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmingBlanks() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" || first == "\r" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return text
    }
}
