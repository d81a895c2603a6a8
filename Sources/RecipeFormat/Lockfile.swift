import PurewheelBasics
import WheelModel

/// The machine-written lock beside a recipe (`x.lock` for `x.toml`): every upstream file the recipe may build, by exact file name and
/// SHA-256.
///
/// `purewheel lock` writes it; people review it, never edit it.
///
/// The format is TOML, sorted so that the same pins always give the same bytes:
///
/// ```toml
/// # Written by `purewheel lock`: upstream files by name and sha256. Do not edit by hand.
/// schema = 1
/// distribution = "ml-metadata"
///
/// [versions."1.21.0"]
/// "ml_metadata-1.21.0-cp310-cp310-manylinux_2_39_x86_64.whl" = "a2a0e204…"
/// ```
public struct Lockfile: Sendable, Hashable {
    /// The only lock schema this version reads and writes.
    public static let schemaVersion = 1

    /// The upstream distribution the pins belong to.
    public let distribution: String
    /// Pinned versions, sorted by PEP 440 order; each version's files sorted by name.
    public private(set) var versions: [LockedVersion]

    /// One `[versions."X"]` table.
    public struct LockedVersion: Sendable, Hashable {
        /// The upstream version; its `description`, PEP 440 normal form (`1.0rc1`, never `1.0RC1`), is the table's key.
        public let version: PEP440Version
        /// Its pinned files, sorted by file name.
        public let wheels: [Recipe.PinnedWheel]
    }

    /// A lock with the given pins, sorted into canonical order.
    public init(distribution: String, versions: [LockedVersion]) {
        self.distribution = distribution
        self.versions = Self.sorted(versions)
    }

    /// The pins of `version` (compared by PEP 440 equality), if any.
    public func locked(_ version: PEP440Version) -> LockedVersion? {
        versions.first { $0.version == version }
    }

    /// The pin of the file called `name`, in any version.
    public func pin(forFilename name: String) -> Recipe.PinnedWheel? {
        for version in versions {
            if let wheel = version.wheels.first(where: { $0.filename.description == name }) { return wheel }
        }
        return nil
    }

    /// This lock with `wheels` added under `version`.
    ///
    /// Files already pinned keep their pins; the caller has checked that their bytes still match.
    public func adding(_ wheels: [Recipe.PinnedWheel], version: PEP440Version) -> Lockfile {
        let existing = locked(version)
        let known = Set(existing?.wheels.map(\.filename.description) ?? [])
        let merged = (existing?.wheels ?? []) + wheels.filter { !known.contains($0.filename.description) }
        let others = versions.filter { $0.version != existing?.version }
        return Lockfile(
            distribution: distribution, versions: others + [LockedVersion(version: existing?.version ?? version, wheels: merged)])
    }

    /// The lock as TOML, byte for byte the same for the same pins.
    public func rendered() -> String {
        var out = "# Written by `purewheel lock`: every upstream file the recipe may build, by name and sha256.\n"
        out += "# Do not edit by hand; a changed upstream file is an alarm, never a new pin.\n"
        out += "schema = \(Self.schemaVersion)\n"
        out += "distribution = \"\(distribution)\"\n"
        for version in versions {
            out += "\n[versions.\"\(version.version)\"]\n"
            for wheel in version.wheels {
                out += "\"\(wheel.filename)\" = \"\(wheel.sha256.hex)\"\n"
            }
        }
        return out
    }

    private static func sorted(_ versions: [LockedVersion]) -> [LockedVersion] {
        versions.map {
            LockedVersion(version: $0.version, wheels: $0.wheels.sorted { $0.filename.description < $1.filename.description })
        }
        .sorted { $0.version < $1.version }
    }
}
