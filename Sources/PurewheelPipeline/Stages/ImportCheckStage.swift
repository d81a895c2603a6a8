import PurewheelBasics
import ZipIO

/// Fails if a remaining `.py` file still imports a module the recipe stripped and nothing replaced, because
/// such a wheel installs fine and then breaks at import time on the user's machine.
public struct ImportCheckStage: Stage {
    /// Creates the stage.
    public init() {}

    public func run(_ input: WheelContents, in context: StageContext) throws(PipelineError) -> WheelContents {
        var stripped = Set<String>()
        for case .dropped(let path, _, _) in input.changes {
            if let module = ImportCheckStage.moduleName(of: path) { stripped.insert(module) }
        }
        let provided = Set(input.entries.compactMap { ImportCheckStage.moduleName(of: $0.path.rawValue) })
        let missing = stripped.subtracting(provided)
        guard !missing.isEmpty else { return input }
        try inStage(.importCheck) {
            try input.withUpstreamArchive { reader in
                for entry in input.entries where entry.path.rawValue.hasSuffix(".py") {
                    let source = String(decoding: try entry.bytes(from: reader), as: UTF8.self)
                    let package = ImportCheckStage.package(of: entry.path.rawValue)
                    for found in PythonImports.scan(source, package: package) {
                        // `import a.b.c` also imports `a` and `a.b`.
                        let parts = found.module.split(separator: ".")
                        for length in 1...max(1, parts.count) {
                            let module = parts.prefix(length).joined(separator: ".")
                            if missing.contains(module) {
                                throw BuildError.importOfStrippedModule(
                                    archive: input.upstream.path, entry: entry.path.rawValue, line: found.line, module: module)
                            }
                        }
                    }
                }
            }
        }
        return input
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
