import FoundationEssentials
import Glibc
import PurewheelBasics

/// Turns `check`'s arguments into wheel paths: a folder stands for every `*.whl` in it (sorted by name,
/// hidden files left out, no recursion), a glob the shell did not expand (quoted, or from a tool that
/// passes arguments verbatim) is expanded with `glob(3)`, and anything else is a wheel path as given, so
/// that a missing file is still a PW100 finding.
enum CheckInputs {
    /// A folder without wheels, or a glob that matches nothing.
    ///
    /// Exit 66 (EX_NOINPUT).
    struct NoWheelsError: PurewheelError, Equatable {
        /// The folder or pattern as given.
        let argument: String
        /// Whether `argument` was a folder (otherwise a glob).
        let isFolder: Bool

        var location: SourceLocation? { .file(argument) }
        var category: FailureCategory { .missingInput }
        var message: String { isFolder ? "the folder has no *.whl files" : "the pattern matches no file" }
        var hint: String? { isFolder ? "build or download the wheels first, or name the files" : nil }
    }

    /// The wheel paths for `arguments`, in argument order.
    ///
    /// - Throws: `NoWheelsError` for a folder without `*.whl` files or a glob that matches nothing.
    static func expand(_ arguments: [String]) throws(NoWheelsError) -> [String] {
        var paths = [String]()
        for argument in arguments {
            var isDirectory = false
            if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) {
                guard isDirectory else {
                    paths.append(argument)
                    continue
                }
                let wheels = wheelsInFolder(argument)
                guard !wheels.isEmpty else { throw NoWheelsError(argument: argument, isFolder: true) }
                paths += wheels
            } else if argument.contains(where: { "*?[".contains($0) }) {
                let matches = glob(argument)
                guard !matches.isEmpty else { throw NoWheelsError(argument: argument, isFolder: false) }
                paths += matches
            } else {
                paths.append(argument)
            }
        }
        return paths
    }

    /// The non-hidden `*.whl` names in `folder` that are not folders themselves, sorted by UTF-8 bytes.
    private static func wheelsInFolder(_ folder: String) -> [String] {
        // An unreadable folder lists nothing and so reads as empty; the error names it either way.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return names.filter { $0.hasSuffix(".whl") && !$0.hasPrefix(".") }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .map { prefix + $0 }
            .filter { path in
                var isDirectory = false
                return !(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory)
            }
    }

    /// `glob(3)` matches, sorted (the C library's order).
    private static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { index in result.gl_pathv[index].map { String(cString: $0) } }
    }
}
