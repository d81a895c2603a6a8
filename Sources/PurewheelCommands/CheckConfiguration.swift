import FoundationEssentials
import Glibc
import PurewheelBasics
import RecipeFormat
import TOMLSchema
import WheelChecks

/// The `[tool.purewheel.check]` table of a `pyproject.toml`: the same settings as `check`'s options, plus per-wheel ignores.
///
/// Every field is optional; a command-line option replaces the file's value.
///
/// ```toml
/// [tool.purewheel.check]
/// select = ["PW1", "PW2", "PW4"]
/// ignore = ["PW802"]
/// max-entries = 50000
/// per-file-ignores = { "legacy_*.whl" = ["PW801"] }
/// ```
struct CheckSettings: Sendable, Hashable {
    /// Codes ignored for wheels whose file name matches a glob.
    struct PerFileIgnore: Sendable, Hashable {
        /// Matched against the wheel's file name, or against the path as given when the pattern has a `/`.
        let pattern: Glob
        /// Codes or prefixes, upper-cased.
        let codes: [String]

        /// Whether the wheel at `path` is concerned.
        func matches(path: String) -> Bool {
            pattern.pattern.contains("/")
                ? pattern.matches(path) : pattern.matches(String(path.split(separator: "/").last ?? Substring(path)))
        }
    }

    var select: [String]?
    var ignore: [String]?
    var perFileIgnores: [PerFileIgnore] = []
    var maxEntries: Int?
    var maxEntrySize: UInt64?
    var maxTotalSize: UInt64?
    var maxRatio: UInt64?
    var profile: CheckProfile?
    /// SHA-256 digests of `.pth` files whose startup code was reviewed and is allowed (PW803).
    var allowStartupCode: [SHA256Digest]?
}

/// Why a `pyproject.toml` configuration could not be used.
///
/// Exit 78 (EX_CONFIG), except a `--config` file that does not exist (66) or cannot be read (74); a file that is not
/// UTF-8 is a configuration error (78), like invalid TOML.
struct CheckConfigurationError: PurewheelError, Equatable {
    enum Reason: Sendable, Equatable {
        case notFound
        case unreadable(String)
        case notUTF8
        /// Owned by another user; `discover` passes such a file over instead of failing.
        case untrusted(owner: UInt32)
        case syntax(line: Int, column: Int, String)
        case missingKey
        case unknownKey(known: [String])
        case wrongType(expected: String, actual: String)
        case unknownCode(String)
        case badGlob(String)
        case notPositive
    }

    /// The configuration file.
    let path: String
    /// The key concerned, as `tool.purewheel.check.select[1]`.
    let keyPath: String
    /// What is wrong.
    let reason: Reason

    var location: SourceLocation? {
        if case .syntax(let line, _, _) = reason { return .recipe(path, keyPath: "", line: line) }
        return keyPath.isEmpty ? .file(path) : .recipe(path, keyPath: keyPath, line: nil)
    }

    var category: FailureCategory {
        switch reason {
        case .notFound: return .missingInput
        case .unreadable: return .io
        default: return .recipe
        }
    }

    var message: String {
        switch reason {
        case .notFound: return "the configuration file does not exist"
        case .unreadable(let cause): return "cannot read the configuration file: \(cause)"
        case .notUTF8: return "the configuration file is not valid UTF-8"
        case .untrusted(let owner): return "the configuration file belongs to another user (uid \(owner))"
        case .syntax(_, let column, let cause): return "invalid TOML at column \(column): \(cause)"
        case .missingKey: return "required key is missing"
        case .unknownKey: return "unknown key '\(keyPath.split(separator: ".").last ?? "")'"
        case .wrongType(let expected, let actual): return "expected \(expected), found \(actual)"
        case .unknownCode(let code): return "unknown finding code '\(code)'"
        case .badGlob(let problem): return "invalid glob: \(problem)"
        case .notPositive: return "expected a positive integer"
        }
    }

    var hint: String? {
        switch reason {
        case .unknownKey(let known): return "known keys here: \(known.joined(separator: ", "))"
        case .unknownCode: return "codes are listed in docs/codes.md (PW100–PW999); a prefix such as PW4 names a family"
        default: return nil
        }
    }
}

/// Finds and reads the `[tool.purewheel.check]` configuration.
enum CheckConfigurationLoader {
    /// The keys of `[tool.purewheel.check]`, sorted.
    static let checkKeys = [
        "allow-startup-code", "ignore", "max-entries", "max-entry-size", "max-ratio", "max-total-size", "per-file-ignores", "profile",
        "select",
    ]
    /// The keys of `[tool.purewheel]`: `verify-env`'s table is read by `VerifyEnvConfigurationLoader`.
    static let toolKeys = ["check", "verify-env"]

    /// The nearest `pyproject.toml` with a `[tool.purewheel]` table in `directory` or a parent folder up to the
    /// repository root or the user's home, whose owner `search` trusts; `nil` settings when there is none.
    ///
    /// A `pyproject.toml` without that table is passed over, so that a sub-project's file does not hide the repository's
    /// configuration. One that another user owns is passed over too, and listed in `ignored`: a configuration can turn
    /// errors off, so a stranger's file in `/tmp` or a shared parent folder must not configure anyone's check.
    ///
    /// - Throws: `CheckConfigurationError` for the first trusted file on the way that cannot be read or parsed, or
    ///   whose purewheel table is invalid.
    static func discover(from directory: String, search: ConfigurationSearch) throws(CheckConfigurationError) -> Discovery {
        var folder = URL(fileURLWithPath: directory).standardizedFileURL.path
        var discovery = Discovery()
        while true {
            let candidate = (folder.hasSuffix("/") ? folder : folder + "/") + "pyproject.toml"
            if let owners = search.owners(candidate) {
                if let stranger = owners.first(where: { !search.trusts($0) }) {
                    discovery.ignored.append(.init(path: candidate, owner: stranger))
                } else {
                    do throws(CheckConfigurationError) {
                        // The owner is checked again on the file opened, in case it was swapped after the lookup.
                        if let settings = try load(path: candidate, acceptingOwner: search.trusts) {
                            discovery.applied = (candidate, settings)
                            return discovery
                        }
                    } catch {
                        guard case .untrusted(let owner) = error.reason else { throw error }
                        discovery.ignored.append(.init(path: candidate, owner: owner))
                    }
                }
            }
            let parent = PathText.parent(folder)
            if search.isRepositoryRoot(folder) || search.homes.contains(folder) || parent == folder || parent.isEmpty {
                return discovery
            }
            folder = parent
        }
    }

    /// What `discover` found: the configuration applied, if any, and the files passed over for their owner.
    struct Discovery: Sendable {
        /// A `pyproject.toml` left out because a user other than the current one and root owns it (or, for a
        /// symbolic link, the link or its target).
        struct Ignored: Sendable, Equatable {
            /// The file as found.
            let path: String
            /// The owner that is not trusted.
            let owner: UInt32
        }

        /// The file applied and its settings.
        var applied: (path: String, settings: CheckSettings)?
        /// Files passed over, nearest first.
        var ignored: [Ignored] = []
    }

    /// The largest configuration file read.
    static let maximumFileSize = 1 << 20

    /// The settings in the file at `path`: `nil` when it has no `[tool.purewheel]` table, empty settings
    /// when it has one without `check`.
    ///
    /// - Throws: `CheckConfigurationError` when the file is missing or unreadable, not a regular file, larger than
    ///   `maximumFileSize`, not UTF-8, not valid TOML, or has an unknown key, a value of the wrong type, an unknown code
    ///   or an invalid glob.
    static func load(path: String, acceptingOwner accepts: (UInt32) -> Bool = { _ in true }) throws(CheckConfigurationError)
        -> CheckSettings?
    {
        let bytes = try read(path: path, acceptingOwner: accepts)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .init(path: path, keyPath: "", reason: .notUTF8)
        }
        return try parse(text, path: path)
    }

    /// The bytes of the regular file at `path`, without blocking on a FIFO, if its owner is accepted.
    static func read(path: String, acceptingOwner accepts: (UInt32) -> Bool) throws(CheckConfigurationError) -> [UInt8] {
        let file: (bytes: [UInt8], owner: UInt32)
        do {
            file = try FileIO.readRegularFile(path, limit: maximumFileSize)
        } catch {
            switch error {
            case .notFound: throw .init(path: path, keyPath: "", reason: .notFound)
            case .notRegularFile: throw .init(path: path, keyPath: "", reason: .unreadable("not a readable regular file"))
            case .operationFailed(_, _, let failure):
                throw .init(path: path, keyPath: "", reason: .unreadable("\(failure)"))
            }
        }
        guard accepts(file.owner) else { throw .init(path: path, keyPath: "", reason: .untrusted(owner: file.owner)) }
        guard file.bytes.count <= maximumFileSize else {
            throw .init(path: path, keyPath: "", reason: .unreadable("larger than \(maximumFileSize) bytes"))
        }
        return file.bytes
    }

    /// Parses the text of a `pyproject.toml` (see `load(path:)`).
    static func parse(_ text: String, path: String) throws(CheckConfigurationError) -> CheckSettings? {
        var root = try Reader.parse(text) { CheckConfigurationError(schema: $0, path: path) }
        guard root.kind(of: "tool") == .table, var tool = try root.table("tool"), tool.kind(of: "purewheel") != nil,
            var purewheel = try tool.table("purewheel")
        else { return nil }
        try purewheel.rejectKeys(otherThan: toolKeys)
        guard var check = try purewheel.table("check", required: false) else { return CheckSettings() }
        try check.rejectKeys(otherThan: checkKeys)
        var settings = CheckSettings()
        settings.select = try codes("select", in: &check, path: path)
        settings.ignore = try codes("ignore", in: &check, path: path)
        settings.maxEntries = try positive("max-entries", in: &check, path: path).map(Int.init)
        settings.maxEntrySize = try positive("max-entry-size", in: &check, path: path)
        settings.maxTotalSize = try positive("max-total-size", in: &check, path: path)
        settings.maxRatio = try positive("max-ratio", in: &check, path: path)
        if let name = try check.string("profile", required: false) {
            guard let profile = CheckProfile(rawValue: name) else {
                let names = CheckProfile.allCases.map(\.rawValue)
                throw .init(
                    path: path, keyPath: check.path("profile"),
                    reason: .wrongType(expected: "one of \(names.joined(separator: ", "))", actual: "'\(name)'"))
            }
            settings.profile = profile
        }
        settings.allowStartupCode = try digests("allow-startup-code", in: &check, path: path)
        if var table = try check.table("per-file-ignores", required: false) {
            for key in table.keys {
                let pattern: Glob
                do throws(Glob.Problem) {
                    pattern = try Glob(key)
                } catch {
                    throw .init(path: path, keyPath: table.path(key), reason: .badGlob(Self.describe(error)))
                }
                settings.perFileIgnores.append(.init(pattern: pattern, codes: try codes(key, in: &table, path: path) ?? []))
            }
        }
        return settings
    }

    private static func describe(_ problem: Glob.Problem) -> String {
        switch problem {
        case .empty: return "the pattern is empty"
        case .unclosedBracket: return "a '[' is not closed"
        case .absolute: return "the pattern is absolute"
        case .doubleStarInsideSegment: return "'**' must be a whole path segment"
        }
    }

    /// Reads a table of the configuration; its errors are `CheckConfigurationError`s naming the file.
    typealias Reader = TOMLTableReader<CheckConfigurationError>

    /// The finding codes or prefixes at `key`, upper-cased.
    static func codes(_ key: String, in table: inout Reader, path: String) throws(CheckConfigurationError) -> [String]? {
        let texts = try table.strings(key, expected: "an array of codes", element: "a code such as \"PW405\"")
        return try texts?.enumerated().map { index, text throws(CheckConfigurationError) in
            let code = text.trimmingWhitespace().uppercased()
            guard FindingCode.isSelector(code) else {
                throw .init(path: path, keyPath: "\(table.path(key))[\(index)]", reason: .unknownCode(text))
            }
            return code
        }
    }

    /// The SHA-256 digests at `key`, each 64 hex digits.
    static func digests(_ key: String, in table: inout Reader, path: String) throws(CheckConfigurationError)
        -> [SHA256Digest]?
    {
        let expected = "a sha256 digest as 64 hex digits"
        let texts = try table.strings(key, expected: "an array of sha256 digests", element: expected)
        return try texts?.enumerated().map { index, text throws(CheckConfigurationError) in
            guard let digest = SHA256Digest(hex: text.lowercased()) else {
                throw .init(
                    path: path, keyPath: "\(table.path(key))[\(index)]",
                    reason: .wrongType(expected: expected, actual: TOMLValueKind.string.description))
            }
            return digest
        }
    }

    /// The positive integer at `key`.
    private static func positive(_ key: String, in table: inout Reader, path: String) throws(CheckConfigurationError) -> UInt64? {
        guard let number = try table.int(key, required: false, expected: "a positive integer") else { return nil }
        guard number > 0 else { throw .init(path: path, keyPath: table.path(key), reason: .notPositive) }
        return UInt64(number)
    }
}

extension CheckConfigurationError {
    /// The configuration error for a schema problem of the file at `path`.
    init(schema error: TOMLSchemaError, path: String) {
        switch error.problem {
        case .syntax(let line, let column, let reason):
            self.init(path: path, keyPath: "", reason: .syntax(line: line, column: column, reason))
        case .missingKey: self.init(path: path, keyPath: error.keyPath, reason: .missingKey)
        case .unknownKey(let known): self.init(path: path, keyPath: error.keyPath, reason: .unknownKey(known: known))
        case .wrongType(let expected, let actual):
            self.init(path: path, keyPath: error.keyPath, reason: .wrongType(expected: expected, actual: actual.description))
        }
    }
}

/// The codes a run reports for each wheel: the effective select and ignore, per-wheel ignores, and the
/// unreadable-file codes that are always reported.
struct FindingFilter: Sendable {
    /// Select and ignore, in the checker's own semantics (ignore wins; prefixes match).
    let options: CheckOptions
    /// Ignores for wheels whose name matches.
    let perFileIgnores: [CheckSettings.PerFileIgnore]

    /// Whether `finding` of the wheel at `path` is reported.
    func reports(_ finding: Finding, path: String) -> Bool {
        if finding.code.meansUnreadable { return true }
        guard options.reports(finding.code) else { return false }
        return !perFileIgnores.contains { ignore in
            ignore.matches(path: path) && ignore.codes.contains { finding.code.isNamed(by: $0) }
        }
    }

    /// `report` with only the reported findings.
    func apply(_ report: CheckReport) -> CheckReport {
        CheckReport(
            path: report.path, findings: report.findings.filter { reports($0, path: report.path) }, releaseFacts: report.releaseFacts)
    }
}

/// Whose `pyproject.toml` may configure a check, and where the search for one stops.
///
/// Only the current user's files and root's apply: a configuration can turn errors off, and a folder such as `/tmp`
/// lets anyone write one. The search stops at the repository root (a folder holding `.git`) or the user's home, after
/// looking there. The lookups are closures so that tests can decide ownership without being root.
struct ConfigurationSearch: Sendable {
    /// The effective user id of the run.
    var userID: UInt32
    /// The user's home folders, standardized: `HOME` and the account's home directory.
    var homes: Set<String>
    /// The owners of the file at a path: the entry itself and, for a symbolic link, its target; `nil` when there is no
    /// such file (a dangling link included).
    var owners: @Sendable (String) -> [UInt32]?
    /// Whether a folder holds a `.git` entry (a folder, or the file of a worktree or submodule).
    var isRepositoryRoot: @Sendable (String) -> Bool

    /// Whether a file owned by `owner` may apply: the current user's or root's.
    func trusts(_ owner: UInt32) -> Bool { owner == userID || owner == 0 }

    /// The real process: its effective user id, `HOME` and the account's home, and `lstat`/`stat` owners.
    static func process(variables: [String: String]) -> ConfigurationSearch {
        let userID = geteuid()
        var homes = Set<String>()
        if let home = variables["HOME"], home.hasPrefix("/") { homes.insert(URL(fileURLWithPath: home).standardizedFileURL.path) }
        if let entry = getpwuid(userID), let directory = entry.pointee.pw_dir {
            let home = String(cString: directory)
            if home.hasPrefix("/") { homes.insert(URL(fileURLWithPath: home).standardizedFileURL.path) }
        }
        return ConfigurationSearch(
            userID: userID, homes: homes,
            owners: { path in
                var link = stat()
                guard lstat(path, &link) == 0 else { return nil }
                guard link.st_mode & S_IFMT == S_IFLNK else { return [link.st_uid] }
                var target = stat()
                guard stat(path, &target) == 0 else { return nil }
                return [link.st_uid, target.st_uid]
            },
            isRepositoryRoot: { folder in
                var info = stat()
                return lstat((folder.hasSuffix("/") ? folder : folder + "/") + ".git", &info) == 0
            })
    }
}
