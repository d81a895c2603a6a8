import PurewheelBasics

/// PW803: `.pth` files that run code at every interpreter start.
///
/// `site` processes every `*.pth` file directly in a site-packages folder when Python starts, and executes each
/// line that begins with `import` followed by a space or a tab (Python's `site` module, `addpackage`). A wheel
/// installs such a file from its root or from `{name}-{version}.data/purelib/` or `.../platlib/`. A line of that
/// kind runs before any user code, in every process of the environment: the litellm compromise (2026-03) persisted
/// through `litellm_init.pth`. Path-only `.pth` files are harmless and pass.
///
/// A file whose whole content is on the built-in list (`knownStartupFiles`) or whose SHA-256 the user allowed passes.
/// A `.pth` file that cannot be read as `site` reads it (too large to read here, or not UTF-8, so its lines depend
/// on the locale) is refused too: what cannot be inspected is not trusted.
struct StartupCodeCheck {
    /// SHA-256 digests of `.pth` files the user has reviewed and allowed.
    var allowed: Set<SHA256Digest> = []

    /// A `.pth` file a popular project ships, allowed by its exact bytes.
    struct KnownFile: Sendable {
        /// The file name, for the documentation.
        let name: String
        /// The project that ships it and why.
        let origin: String
        /// The file's exact bytes.
        let content: String
    }

    /// The `.pth` files with executable lines that well-known projects ship, each matched by its exact content.
    static let knownStartupFiles = [
        KnownFile(
            name: "distutils-precedence.pth",
            origin: "setuptools: makes `import distutils` load setuptools' copy unless SETUPTOOLS_USE_DISTUTILS=stdlib",
            content:
                "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local';"
                + " enabled and __import__('_distutils_hack').add_shim(); \n"),
        KnownFile(
            name: "a1_coverage.pth",
            origin: "coverage: starts measuring subprocesses when COVERAGE_PROCESS_START or COVERAGE_PROCESS_CONFIG is set",
            content:
                "import sys; exec('import os\\n\\nif os.getenv(\"COVERAGE_PROCESS_START\") or os.getenv(\"COVERAGE_PROCESS_CONFIG\"):"
                + "\\n try:\\n  import coverage\\n except:\\n  pass\\n else:\\n  coverage.process_startup(slug=\"pth\")')\n"),
    ]

    fileprivate static let knownDigests = Set(knownStartupFiles.map { SHA256Digest.of(Array($0.content.utf8)) })

    func run(_ wheel: WheelSnapshot) -> [Finding] {
        var findings = [Finding]()
        for entry in wheel.entries where !entry.isDirectory && Self.isInstalledIntoSitePackages(entry.name) {
            guard wheel.contentsAvailable else { continue }
            guard let bytes = wheel.smallFile(entry.name) else {
                findings.append(
                    Finding(
                        .startupCode, entry: entry.name,
                        "the .pth file could not be read whole to inspect it, and site executes its import lines",
                        expected: "a readable file of at most 16 MiB", actual: "\(entry.uncompressedSize) bytes",
                        hint: "a .pth file should list paths; ship startup code as a module the user imports"))
                continue
            }
            switch StartupFile.classify(bytes, allowed: allowed) {
            case .pathsOnly, .known: continue
            case .notUTF8(let digest):
                findings.append(
                    Finding(
                        .startupCode, entry: entry.name,
                        "the .pth file is not UTF-8, so which of its lines site executes depends on the locale",
                        actual: "sha256 \(digest.hex)", hint: "write .pth files in UTF-8, with paths only"))
            case .executes(let number, let line, let digest):
                findings.append(
                    Finding(
                        .startupCode, entry: entry.name,
                        "line \(number) of the .pth file runs at every interpreter start: \(line)",
                        actual: "sha256 \(digest.hex)",
                        hint: "if this code is intended, allow the file by its sha256 (allow-startup-code in"
                            + " [tool.purewheel.check]); otherwise do not install this wheel"))
            }
        }
        return findings
    }

    /// A `.pth` name at the root of site-packages: the wheel's root, or directly in `.data/purelib` or `.data/platlib`.
    static func isInstalledIntoSitePackages(_ name: String) -> Bool {
        // Bytes, as `site` compares names with `str.endswith(".pth")`; this runs for every entry.
        let utf8 = name.utf8
        guard utf8.count >= 4, utf8.suffix(4).elementsEqual(".pth".utf8) else { return false }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return true
        case 3: return parts[0].hasSuffix(".data") && (parts[1] == "purelib" || parts[1] == "platlib")
        default: return false
        }
    }

    /// The first line `site` would execute, numbered from 1.
    ///
    /// Python up to 3.12 reads the file in universal-newlines mode (`\n`, `\r`, `\r\n`); 3.13 and later split with
    /// `str.splitlines`, which also breaks at `\v`, `\f`, `\x1c`–`\x1e`, `\x85`, U+2028 and U+2029. Splitting at every
    /// one of them finds each line either version executes.
    static func firstExecutableLine(_ text: String) -> (Int, String)? {
        for (offset, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isPythonLineBreak).enumerated()
        where line.hasPrefix("import ") || line.hasPrefix("import\t") {
            return (offset + 1, String(line))
        }
        return nil
    }

    /// Python 3.13 and later decode `.pth` files as `utf-8-sig`, so a leading byte order mark does not hide a line.
    static func droppingByteOrderMark(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
    }
}

/// What `site` does with a `.pth` file's bytes, by the rules of PW803: the one classification `check` (for a wheel's
/// `.pth` files) and `verify-env` (for an environment's) share.
public enum StartupFile: Sendable, Hashable {
    /// No line `site` executes: the file only adds paths.
    case pathsOnly
    /// Lines `site` executes, but the whole file is one a well-known project ships, setuptools' namespace-package
    /// template, or a file the user allowed by its SHA-256.
    case known
    /// The first line `site` executes (numbered from 1) and the file's SHA-256.
    case executes(line: Int, text: String, sha256: SHA256Digest)
    /// Not UTF-8: which of its lines `site` executes depends on the locale, so it cannot be cleared.
    case notUTF8(sha256: SHA256Digest)

    /// Classifies the whole content of a `.pth` file as `site` (Python's `site` module, `addpackage`) reads it.
    ///
    /// - Parameters:
    ///   - bytes: the file's content, all of it.
    ///   - allowed: SHA-256 digests of files the user has reviewed and allows.
    /// - Returns: the classification; only `.pathsOnly` and `.known` are harmless.
    public static func classify(_ bytes: [UInt8], allowed: Set<SHA256Digest> = []) -> StartupFile {
        let digest = SHA256Digest.of(bytes)
        if StartupCodeCheck.knownDigests.contains(digest) || allowed.contains(digest) || NamespacePackageLines.matchAll(bytes) {
            return .known
        }
        guard let text = String(validating: StartupCodeCheck.droppingByteOrderMark(bytes), as: UTF8.self) else {
            return .notUTF8(sha256: digest)
        }
        guard let (number, line) = StartupCodeCheck.firstExecutableLine(text) else { return .pathsOnly }
        return .executes(line: number, text: line, sha256: digest)
    }
}

extension Character {
    /// The line boundaries of Python's `str.splitlines`, a superset of universal newlines.
    ///
    /// Each is a grapheme cluster of its own (`\r\n` one cluster), so comparing Characters finds them.
    fileprivate var isPythonLineBreak: Bool {
        switch self {
        case "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1D}", "\u{1E}", "\u{85}", "\u{2028}", "\u{2029}": return true
        default: return false
        }
    }
}
