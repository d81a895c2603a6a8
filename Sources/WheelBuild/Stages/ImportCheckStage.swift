import PurewheelBasics
import ZipIO

/// Fails if a remaining `.py` file still imports a module the recipe stripped and nothing replaced, because
/// such a wheel installs fine and then breaks at import time on the user's machine.
///
/// An import inside `try: … except ImportError:` (or `ModuleNotFoundError`, see `PythonImports.Import`) is
/// optional: the code was written for the module to be missing. The rule, applied transitively:
/// 1. A module is *broken* if it imports, outside such a guard, a stripped module or a broken one (its
///    import then raises `ModuleNotFoundError`).
/// 2. A broken module is acceptable only if something imports it and every import of it (or of a module
///    inside it) in the wheel is guarded: then it is an optional backend that its importers fall back from,
///    as upstream designed. A broken module that nothing imports, or that some module imports unguarded,
///    fails the build (the unguarded importer is itself broken, so the check climbs to the module users
///    import).
/// The error names the file that imports the stripped module and the line, at the end of the chain.
public struct ImportCheckStage: ArchiveStage {
    /// Creates the stage.
    public init() {}

    /// One module file: its dotted name, entry and imports.
    private struct ModuleFile {
        let module: String
        let entry: String
        let imports: [PythonImports.Import]
    }

    /// Scans every remaining `.py` entry's imports and applies the rule above; returns the input unchanged.
    ///
    /// - Throws: `PipelineError` at `.importCheck`: `.build(.importOfStrippedModule)` naming the file and line, or `.zip` when an entry
    ///   cannot be read.
    public func run(_ input: WheelContents, archive: borrowing UpstreamArchive, in context: StageContext) throws(PipelineError)
        -> WheelContents
    {
        var stripped = Set<String>()
        for case .dropped(let path, _, _) in input.changes {
            if let module = ImportCheckStage.moduleName(of: path) { stripped.insert(module) }
        }
        let provided = Set(input.entries.compactMap { ImportCheckStage.moduleName(of: $0.path.rawValue) })
        let missing = stripped.subtracting(provided)
        guard !missing.isEmpty else { return input }
        try inStage(.importCheck) { () throws(PipelineError.Cause) in
            var files = [ModuleFile]()
            for entry in input.entries where entry.path.rawValue.hasSuffix(".py") {
                let path = entry.path.rawValue
                files.append(
                    ModuleFile(
                        module: ImportCheckStage.moduleName(of: path) ?? path, entry: path,
                        imports: PythonImports.scan(try archive.bytes(of: entry), package: ImportCheckStage.package(of: path))))
            }
            if let failure = ImportCheckStage.firstFailure(files, missing: missing) {
                throw .build(
                    .importOfStrippedModule(archive: input.upstream.path, entry: failure.entry, line: failure.line, module: failure.module))
            }
        }
        return input
    }

    /// `module` and every package above it: `a.b.c` → `a`, `a.b`, `a.b.c`.
    private static func lineage(_ module: String) -> [String] {
        let parts = module.split(separator: ".")
        return (1...max(1, parts.count)).map { parts.prefix($0).joined(separator: ".") }
    }

    /// Applies the rule above; returns the direct import of a stripped module behind the first unacceptable
    /// broken module (in entry order), or `nil` when every broken module is acceptable.
    private static func firstFailure(_ files: [ModuleFile], missing: Set<String>) -> (entry: String, line: Int, module: String)? {
        // Why each broken module is broken: the line and the stripped or broken module it imports unguarded.
        var brokenBy = [String: (line: Int, module: String)]()
        var changed = true
        while changed {
            changed = false
            for file in files where brokenBy[file.module] == nil {
                for found in file.imports where !found.isGuarded {
                    let cause = lineage(found.module).first { missing.contains($0) || (brokenBy[$0] != nil && $0 != file.module) }
                    guard let cause else { continue }
                    brokenBy[file.module] = (found.line, cause)
                    changed = true
                    break
                }
            }
        }
        for file in files {
            guard brokenBy[file.module] != nil else { continue }
            let importers = files.flatMap { importer in
                importer.module == file.module ? [] : importer.imports.filter { lineage($0.module).contains(file.module) }
            }
            guard importers.isEmpty || importers.contains(where: { !$0.isGuarded }) else { continue }
            // Follow the chain down to the module that imports a stripped one.
            var module = file.module
            var seen = Set<String>()
            while let cause = brokenBy[module], !missing.contains(cause.module), seen.insert(module).inserted {
                module = cause.module
            }
            guard let direct = brokenBy[module], let owner = files.first(where: { $0.module == module }) else { continue }
            return (owner.entry, direct.line, direct.module)
        }
        return nil
    }

    /// The dotted module an entry provides: `a/b.py` → `a.b`, `a/__init__.py` → `a`,
    /// `a/ext.cpython-311-x86_64-linux-gnu.so` → `a.ext`; `nil` for non-modules.
    static func moduleName(of path: String) -> String? {
        var segments = path.split(separator: "/").map(String.init)
        guard let last = segments.popLast(), !(segments.first?.hasSuffix(".dist-info") ?? false),
            !(segments.first?.hasSuffix(".data") ?? false)
        else { return nil }
        let isModule = [".py", ".pyc", ".so", ".pyd"].contains { last.hasSuffix($0) }
        guard isModule, let stem = last.split(separator: ".").first.map(String.init) else { return nil }
        if stem == "__init__" { return segments.isEmpty ? nil : segments.joined(separator: ".") }
        return (segments + [stem]).joined(separator: ".")
    }

    /// The package a module file belongs to, as segments.
    static func package(of path: String) -> [String] {
        var segments = path.split(separator: "/").map(String.init)
        segments.removeLast()
        return segments
    }
}
