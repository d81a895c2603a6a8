import FoundationEssentials
import PurewheelBasics
import WheelModel

/// PW623–PW627: `Import-Name` and `Import-Namespace` (PEP 794, core metadata 2.5).
///
/// Each value is a dotted import name, optionally followed by `; private`; `Import-Name` may be empty (the
/// distribution has no import names). A name in both fields is ambiguous and tools MUST raise an error. The fields
/// need Metadata-Version 2.5 or later. Every name MUST be importable once the project is installed on some platform:
/// a pure wheel installs the same files everywhere, so its names must resolve to a module or package it contains,
/// and not only to a native extension, which a pure wheel cannot load; a platform wheel's names may come from
/// another file of the release, so a missing one is a warning there.
struct ImportNameRules {
    let headers: HeaderFields
    let entry: String
    let wheel: WheelSnapshot

    /// One parsed value of either field.
    struct ImportName: Hashable {
        let name: String
        let isPrivate: Bool
    }

    func run() -> [Finding] {
        let names = headers.all("Import-Name")
        let namespaces = headers.all("Import-Namespace")
        guard !names.isEmpty || !namespaces.isEmpty else { return [] }
        var findings = [Finding]()
        if !Self.isAtLeast25(headers.first("Metadata-Version")) {
            findings.append(
                Finding(
                    .importNameNeedsMetadata25, entry: entry, "Import-Name and Import-Namespace need Metadata-Version 2.5",
                    expected: "2.5", actual: headers.first("Metadata-Version") ?? "(none)",
                    hint: "set Metadata-Version: 2.5; readers of older versions drop these fields"))
        }
        var parsedNames = [ImportName]()
        for (field, values) in [("Import-Name", names), ("Import-Namespace", namespaces)] {
            for raw in values {
                // An empty Import-Name says the distribution has no import names (PEP 794); an empty namespace says nothing.
                if field == "Import-Name", raw.trimmingWhitespace().isEmpty { continue }
                guard let parsed = Self.parse(raw) else {
                    findings.append(
                        Finding(
                            .invalidImportName, entry: entry, "\(field) is not a dotted import name, optionally with '; private'",
                            expected: "e.g. spam.eggs or _spam; private", actual: raw,
                            hint: "each part must be a Python identifier and not a keyword"))
                    continue
                }
                if field == "Import-Name" { parsedNames.append(parsed) }
                findings += resolution(of: parsed.name, field: field)
            }
        }
        let namespaceNames = Set(namespaces.compactMap { Self.parse($0)?.name })
        for name in parsedNames.map(\.name) where namespaceNames.contains(name) {
            findings.append(
                Finding(
                    .importNameAndNamespace, entry: entry, "the same name is in Import-Name and Import-Namespace", actual: name,
                    hint: "a name is either provided exclusively (Import-Name) or shared (Import-Namespace), not both"))
        }
        return findings
    }

    private func resolution(of name: String, field: String) -> [Finding] {
        switch provided[name] {
        case .python?: return []
        case .nativeOnly? where !isPure: return []
        case .nativeOnly?:
            return [
                Finding(
                    .importNameNotProvided, entry: entry, "\(field) names a module that only a native extension provides",
                    actual: name, hint: "a pure wheel cannot load native code; remove the name or ship the module in Python")
            ]
        case nil where isPure:
            return [
                Finding(
                    .importNameNotProvided, entry: entry, "\(field) names a module or package the wheel does not contain",
                    actual: name, hint: "a pure wheel installs the same files everywhere, so the name can never be imported")
            ]
        case nil:
            return [
                Finding(
                    .importNameNotInThisFile, entry: entry, "\(field) names a module or package this wheel does not contain",
                    actual: name, hint: "fine if another file of the release provides it on its platform")
            ]
        }
    }

    private var isPure: Bool { wheel.filename?.isPureTagged ?? false }

    /// How a module name is provided.
    enum Provider {
        /// By Python source, bytecode or a package folder.
        case python
        /// Only by a compiled extension module.
        case nativeOnly
    }

    /// Every importable dotted name the wheel installs into site-packages, with how it is provided.
    private var provided: [String: Provider] { Self.importableNames(wheel.entries.filter { !$0.isDirectory }.map(\.name)) }

    /// The importable names of files installed at these wheel paths: packages (every folder on the way) and modules.
    static func importableNames(_ paths: [String]) -> [String: Provider] {
        var names = [String: Provider]()
        for path in paths {
            guard let relative = sitePackagesPath(path) else { continue }
            var parts = relative.split(separator: "/").map(String.init)
            guard let file = parts.popLast() else { continue }
            for depth in parts.indices { names[parts[...depth].joined(separator: ".")] = .python }
            let prefix = parts.isEmpty ? "" : parts.joined(separator: ".") + "."
            if let module = sourceModule(file) {
                names[prefix + module] = .python
            } else if let module = extensionModule(file), names[prefix + module] == nil {
                names[prefix + module] = .nativeOnly
            }
        }
        return names
    }

    /// The path below site-packages for files of the wheel's root or of `.data/purelib` and `.data/platlib`.
    static func sitePackagesPath(_ path: String) -> Substring? {
        let parts = path.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard let top = parts.first else { return nil }
        if top.hasSuffix(".dist-info") { return nil }
        if top.hasSuffix(".data") {
            guard parts.count == 3, parts[1] == "purelib" || parts[1] == "platlib" else { return nil }
            return parts[2]
        }
        return path[...]
    }

    private static func sourceModule(_ file: String) -> String? {
        for suffix in [".py", ".pyc"] where file.hasSuffix(suffix) { return String(file.dropLast(suffix.count)) }
        return nil
    }

    /// `_speedups.cpython-311-x86_64-linux-gnu.so`, `_speedups.abi3.so`, `_speedups.pyd`: the name before the first dot.
    private static func extensionModule(_ file: String) -> String? {
        guard file.hasSuffix(".so") || file.hasSuffix(".pyd") else { return nil }
        return file.split(separator: ".", maxSplits: 1).first.map(String.init)
    }

    /// Parses `name`, `name;private` or `name ; private` (any spaces around `;`), as PEP 794 allows.
    static func parse(_ raw: String) -> ImportName? {
        let pieces = raw.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
        let name = pieces[0].trimmingWhitespace()
        if pieces.count == 2, pieces[1].trimmingWhitespace() != "private" { return nil }
        guard !name.isEmpty, name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isIdentifier) else {
            return nil
        }
        return ImportName(name: name, isPrivate: pieces.count == 2)
    }

    /// Python's `str.isidentifier()` and not a keyword (`keyword.iskeyword`): what `import` accepts.
    static func isIdentifier(_ part: Substring) -> Bool {
        guard let first = part.unicodeScalars.first, first == "_" || first.properties.isXIDStart else { return false }
        guard part.unicodeScalars.dropFirst().allSatisfy({ $0.properties.isXIDContinue }) else { return false }
        return !keywords.contains(String(part))
    }

    /// Python's hard keywords (`keyword.kwlist`); soft keywords such as `match` and `type` are valid names.
    static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
        "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
        "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    private static func isAtLeast25(_ version: String?) -> Bool {
        let parts = (version ?? "").trimmingWhitespace().split(separator: ".").compactMap { Int($0) }
        return parts.count >= 2 && (parts[0], parts[1]) >= (2, 5)
    }
}
