import PurewheelBasics
import TOMLSchema
import WheelModel

/// Reads and validates a lock (see `Lockfile`): every key known, every version PEP 440, every file name a wheel of the recipe's
/// distribution at that version, every digest 64 hex digits.
///
/// Errors name the lock file and the key, like recipe errors.
enum LockfileReader {
    static func parse(_ text: String, path: String, distribution: String) throws(RecipeError) -> Lockfile {
        var root = try RecipeLoader.parseTOML(text, path: path)
        guard let schema = try root.int("schema") else { throw .missingKey(path: path, keyPath: "schema") }
        guard schema == Lockfile.schemaVersion else {
            throw .invalidValue(
                path: path, keyPath: "schema",
                reason: "lock schema \(schema) is not supported (this purewheel reads schema \(Lockfile.schemaVersion))")
        }
        let locked = try root.string("distribution")!
        guard ProjectName.normalized(locked) == ProjectName.normalized(distribution) else {
            throw .invalidValue(
                path: path, keyPath: "distribution", reason: "the lock pins \(locked), the recipe builds from \(distribution)")
        }
        var versions = [Lockfile.LockedVersion]()
        if var versionsReader = try root.table("versions", required: false) {
            for version in versionsReader.keys {
                guard let parsed = PEP440Version(parsing: version) else {
                    throw .invalidValue(path: path, keyPath: versionsReader.path(version), reason: "'\(version)' is not a PEP 440 version")
                }
                // Two spellings of one version would make "the pins of 1.0" depend on which table is read first.
                if let other = versions.first(where: { $0.version == parsed }) {
                    throw .invalidValue(
                        path: path, keyPath: versionsReader.path(version),
                        reason: "'\(version)' and '\(other.version)' are one version (PEP 440); a lock names each version once")
                }
                guard var wheelsReader = try versionsReader.table(version) else { continue }
                var wheels = [Recipe.PinnedWheel]()
                for name in wheelsReader.keys {
                    wheels.append(try pinnedWheel(name, &wheelsReader, version: parsed, distribution: distribution, path: path))
                }
                guard !wheels.isEmpty else {
                    throw .invalidValue(path: path, keyPath: wheelsReader.keyPath, reason: "a locked version pins at least one file")
                }
                try wheelsReader.rejectUnknownKeys()
                versions.append(Lockfile.LockedVersion(version: parsed, wheels: wheels))
            }
            try versionsReader.rejectUnknownKeys()
        }
        try root.rejectUnknownKeys()
        return Lockfile(distribution: locked, versions: versions)
    }

    private static func pinnedWheel(
        _ name: String, _ reader: inout TableReader, version: PEP440Version, distribution: String, path: String
    ) throws(RecipeError) -> Recipe.PinnedWheel {
        let keyPath = reader.path(name)
        let hex = try reader.string(name)!
        guard let digest = SHA256Digest(hex: hex) else {
            throw .invalidValue(path: path, keyPath: keyPath, reason: "'\(hex)' is not a sha256 (64 hexadecimal digits)")
        }
        let filename: WheelFilename
        do {
            filename = try WheelFilename(parsing: name)
        } catch {
            throw .invalidValue(path: path, keyPath: keyPath, reason: error.message)
        }
        guard ProjectName.normalized(filename.distribution) == ProjectName.normalized(distribution),
            PEP440Version(parsing: filename.version) == version
        else {
            throw .invalidValue(
                path: path, keyPath: keyPath, reason: "the file name is not a wheel of \(distribution) at version \(version)")
        }
        return Recipe.PinnedWheel(filename: filename, sha256: digest)
    }
}
