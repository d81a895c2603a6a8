/// The `*-nspkg.pth` files setuptools writes for `pkg_resources`-style namespace packages (`namespace_packages=`).
///
/// Each line runs code that makes one namespace package importable; the code is a fixed template whose only
/// variable is the package's dotted name. A line is accepted when it is that template, byte for byte, for a name
/// made of Python identifiers: then it can do nothing but set up that namespace, whatever the name.
enum NamespacePackageLines {
    /// Whether every non-empty line of `bytes` is setuptools' namespace template for some dotted name.
    static func matchAll(_ bytes: [UInt8]) -> Bool {
        guard let text = String(validating: bytes, as: UTF8.self), text.hasSuffix("\n") else { return false }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        return !lines.isEmpty && lines.allSatisfy { line in name(in: line).map { expectedLine(for: $0) == line } ?? false }
    }

    private static let prefix = "import sys, types, os;p = os.path.join(sys._getframe(1).f_locals['sitedir'], *("

    /// The dotted name whose path tuple follows the template's fixed start, when its parts are identifiers.
    static func name(in line: Substring) -> [String]? {
        guard line.hasPrefix(prefix), let end = line.firstRange(of: "))") else { return nil }
        let tuple = line[line.index(line.startIndex, offsetBy: prefix.count)..<end.lowerBound]
        let parts = tuple.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        let names = parts.compactMap { part -> String? in
            guard part.count >= 2, part.hasPrefix("'"), part.hasSuffix("'") else { return nil }
            let name = part.dropFirst().dropLast()
            return ImportNameRules.isIdentifier(name) ? String(name) : nil
        }
        return names.count == parts.count && !names.isEmpty ? names : nil
    }

    /// The line setuptools writes for the namespace package `parts.joined(".")`.
    static func expectedLine(for parts: [String]) -> String {
        let quoted = parts.map { "'\($0)'" }
        let pathTuple = parts.count == 1 ? "(\(quoted[0]),)" : "(" + quoted.joined(separator: ", ") + ")"
        let name = "'\(parts.joined(separator: "."))'"
        var line =
            "import sys, types, os;p = os.path.join(sys._getframe(1).f_locals['sitedir'], *\(pathTuple));"
            + "importlib = __import__('importlib.util');__import__('importlib.machinery');"
            + "m = sys.modules.setdefault(\(name), importlib.util.module_from_spec("
            + "importlib.machinery.PathFinder.find_spec(\(name), [os.path.dirname(p)])));"
            + "m = m or sys.modules.setdefault(\(name), types.ModuleType(\(name)));"
            + "mp = (m or []) and m.__dict__.setdefault('__path__',[]);(p not in mp) and mp.append(p)"
        if parts.count > 1 {
            let parent = "'\(parts.dropLast().joined(separator: "."))'"
            line += ";m and setattr(sys.modules[\(parent)], '\(parts[parts.count - 1])', m)"
        }
        return line
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
