import FoundationEssentials
import PurewheelBasics
import TOMLSchema

/// The `[tool.purewheel.verify-env]` table of a `pyproject.toml`: the same settings as `verify-env`'s options.
///
/// Every field is optional; a command-line option replaces the file's value.
///
/// ```toml
/// [tool.purewheel.verify-env]
/// select = ["PW9"]
/// ignore = ["PW913"]
/// allow-startup-code = ["ef2e…e8"]
/// ```
struct VerifyEnvSettings: Sendable, Hashable {
    var select: [String]?
    var ignore: [String]?
    /// SHA-256 digests of `.pth` files whose startup code was reviewed and is allowed (PW914, PW916).
    var allowStartupCode: [SHA256Digest]?
}

/// Finds and reads the `[tool.purewheel.verify-env]` configuration, in the file and under the trust rules of `check`'s.
///
/// The file is the one `CheckConfigurationLoader.discover` applies (the nearest `pyproject.toml` with a
/// `[tool.purewheel]` table that the current user or root owns), validated whole, so that `check` and `verify-env`
/// never disagree about which file configures a folder or whether it is valid.
enum VerifyEnvConfigurationLoader {
    /// The keys of `[tool.purewheel.verify-env]`, sorted.
    static let keys = ["allow-startup-code", "ignore", "select"]

    /// The settings that apply in `directory`, and the files passed over for their owner (see
    /// `CheckConfigurationLoader.discover`).
    ///
    /// - Throws: `CheckConfigurationError` for the first trusted file on the way that cannot be read or parsed, or
    ///   whose purewheel table is invalid.
    static func discover(from directory: String, search: ConfigurationSearch) throws(CheckConfigurationError) -> Discovery {
        let found = try CheckConfigurationLoader.discover(from: directory, search: search)
        var discovery = Discovery(ignored: found.ignored)
        guard let path = found.applied?.path else { return discovery }
        do throws(CheckConfigurationError) {
            // Read again, owner checked again on the file opened: it may have been swapped since the search read it.
            discovery.applied = try load(path: path, acceptingOwner: search.trusts).map { (path, $0) }
        } catch {
            guard case .untrusted(let owner) = error.reason else { throw error }
            discovery.ignored.append(.init(path: path, owner: owner))
        }
        return discovery
    }

    /// What `discover` found: the configuration applied, if any, and the files passed over for their owner.
    struct Discovery: Sendable {
        /// The file applied and its settings.
        var applied: (path: String, settings: VerifyEnvSettings)?
        /// Files passed over, nearest first.
        var ignored: [CheckConfigurationLoader.Discovery.Ignored]
    }

    /// The settings in the file at `path`: `nil` when it has no `[tool.purewheel]` table, empty settings when it has
    /// one without `verify-env`.
    ///
    /// - Throws: `CheckConfigurationError` as `CheckConfigurationLoader.load(path:)` does, for the whole file.
    static func load(path: String, acceptingOwner accepts: (UInt32) -> Bool = { _ in true }) throws(CheckConfigurationError)
        -> VerifyEnvSettings?
    {
        let bytes = try CheckConfigurationLoader.read(path: path, acceptingOwner: accepts)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .init(path: path, keyPath: "", reason: .notUTF8)
        }
        return try parse(text, path: path)
    }

    /// Parses the text of a `pyproject.toml` (see `load(path:)`).
    static func parse(_ text: String, path: String) throws(CheckConfigurationError) -> VerifyEnvSettings? {
        // The whole `[tool.purewheel]` table is validated first, with the syntax check and its positions.
        guard try CheckConfigurationLoader.parse(text, path: path) != nil else { return nil }
        var root = try CheckConfigurationLoader.Reader.parse(text) { CheckConfigurationError(schema: $0, path: path) }
        guard var tool = try root.table("tool"), var purewheel = try tool.table("purewheel"),
            var table = try purewheel.table("verify-env", required: false)
        else { return VerifyEnvSettings() }
        try table.rejectKeys(otherThan: keys)
        var settings = VerifyEnvSettings()
        settings.select = try CheckConfigurationLoader.codes("select", in: &table, path: path)
        settings.ignore = try CheckConfigurationLoader.codes("ignore", in: &table, path: path)
        settings.allowStartupCode = try CheckConfigurationLoader.digests("allow-startup-code", in: &table, path: path)
        return settings
    }
}
