import PurewheelBasics
import WheelModel

/// A validated recipe (schema 1, see recipes/README.md).
///
/// Every value has been type-checked, every glob parsed, every referenced file found; paths are resolved against the recipe's folder.
public struct Recipe: Sendable {
    /// The recipe file, as given.
    public let path: String
    /// The folder that recipe-relative paths resolve against.
    public let directory: String
    /// The machine-written lock beside the recipe (`x.toml` → `x.lock`), which pins the upstream files.
    public var lockPath: String { Recipe.lockPath(forRecipe: path) }
    /// Where upstream wheels come from.
    public let source: Source
    /// What the produced wheel is called.
    public let output: Output
    /// METADATA edits.
    public let metadata: MetadataEdits
    /// Steps for every build.
    public let baseSteps: Steps
    /// Extra steps for some versions or platforms, in file order.
    public let overlays: [Overlay]
    /// Upstream versions pinned by the lock, with their pins and revisions, in PEP 440 order.
    public let versions: [PinnedVersion]
    /// The lock the pins came from (empty when the recipe has no lock yet).
    public let lock: Lockfile
    /// `revision` settings of `[versions."X"]` tables, by upstream version as the recipe spells it.
    public let revisions: [String: Int]
    /// The line put after the licence header of every patched or injected Python file (`notice`), if any.
    public let notice: String?

    /// `[source]`.
    public struct Source: Sendable, Hashable {
        /// Upstream distribution name.
        public let distribution: String
        /// The platform family `--upstream-version` downloads.
        public let canonicalPlatform: PlatformFamily
        /// Which upstream versions the recipe builds (`nil`: every version).
        public let versions: VersionSpecifierSet?
        /// The CPython versions (`3.11`) whose wheels `lock` and `pending` look for.
        public let pythonVersions: [String]
        /// The platform tags whose wheels `lock` and `pending` look for.
        public let platforms: [String]
    }

    /// `[output]`.
    public struct Output: Sendable, Hashable {
        /// New distribution name.
        public let distribution: String
        /// Output wheel tag (schema 1: `py3-none-any`).
        public let tag: WheelTag
    }

    /// `[metadata]`.
    public struct MetadataEdits: Sendable, Hashable {
        /// New `Summary`.
        public let summary: String
        /// Markdown placed before the upstream description.
        public let descriptionNote: String?
        /// New `Requires-Python`.
        public let requiresPython: String?
        /// `Requires-Dist` edits for every version.
        public let requirements: RequirementEdits
        /// New `Metadata-Version` (`metadata_version`), such as `2.5`.
        public let metadataVersion: String?
        /// `Import-Name` values (PEP 794), in order; empty: upstream's are kept.
        public let importNames: [String]
        /// New `License-Expression` (PEP 639); when set, the legacy `License` field is dropped.
        public let licenseExpression: String?
        /// `License-File` values, each a file under `.dist-info/licenses/` (`nil`: upstream's are kept).
        public let licenseFiles: [String]?
        /// `Classifier` edits for every version.
        public let classifiers: ClassifierEdits
        /// `Project-URL` values (`Label, URL`) appended after upstream's.
        public let projectURLs: [String]
    }

    /// `[metadata.classifiers]` or an overlay's `classifiers`: remove by glob, then add.
    public struct ClassifierEdits: Sendable, Hashable {
        /// Upstream classifiers matching any of these globs are dropped.
        public var remove: [KeyedGlob]
        /// Classifiers appended after the last kept one, in order.
        public var add: [String]

        /// No edits.
        public static let none = ClassifierEdits(remove: [], add: [])

        /// These edits followed by `later`'s: both remove lists apply, then both add lists in order.
        public func merged(with later: ClassifierEdits) -> ClassifierEdits {
            ClassifierEdits(remove: remove + later.remove, add: add + later.add)
        }
    }

    /// `[metadata.requirements]` or an overlay's `requirements`: replace, remove, add and relax `Requires-Dist`.
    public struct RequirementEdits: Sendable, Hashable {
        /// Requirements replaced, sorted by normalized project name.
        public var replace: [RequirementReplacement]
        /// Normalized names of requirements to drop, with their key paths.
        public var remove: [(project: String, keyPath: String)]
        /// Requirements appended.
        public var add: [Requirement]
        /// Upper bounds widened after the replacements, in recipe order.
        public var relax: [BoundRelaxation] = []

        /// No edits.
        public static let none = RequirementEdits(replace: [], remove: [], add: [])

        /// These edits followed by `later`'s; a later replacement of the same project wins.
        public func merged(with later: RequirementEdits) -> RequirementEdits {
            let replaced = Set(later.replace.map(\.project))
            return RequirementEdits(
                replace: (replace.filter { !replaced.contains($0.project) } + later.replace).sorted { $0.project < $1.project },
                remove: remove + later.remove, add: add + later.add, relax: relax + later.relax
            )
        }

        /// Whether two edit sets are the same: equal replacements, removals (project and key path), additions and
        /// relaxations, in order.
        public static func == (lhs: RequirementEdits, rhs: RequirementEdits) -> Bool {
            lhs.replace == rhs.replace && lhs.add == rhs.add && lhs.remove.map(\.project) == rhs.remove.map(\.project)
                && lhs.remove.map(\.keyPath) == rhs.remove.map(\.keyPath) && lhs.relax == rhs.relax
        }

        /// Hashes the replacements, removals, additions and relaxations that `==` compares.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(replace)
            hasher.combine(add)
            hasher.combine(relax)
            for item in remove {
                hasher.combine(item.project)
                hasher.combine(item.keyPath)
            }
        }
    }

    /// One `replace` entry: a project's upstream requirement becomes one or more requirements (several when
    /// environment markers split it, for example per Python version).
    public struct RequirementReplacement: Sendable, Hashable {
        /// Normalized project name being replaced.
        public let project: String
        /// The requirements that take its place, in order.
        public let requirements: [Requirement]
        /// Key path for errors.
        public let keyPath: String
    }

    /// One `relax` entry: an upper bound of upstream's requirement on a project, replaced by a wider one for a stated
    /// reason (the description of the output lists it).
    public struct BoundRelaxation: Sendable, Hashable {
        /// Normalized project name.
        public let project: String
        /// The upstream clause it replaces, canonically spelled (`<24`).
        public let upstreamBound: String
        /// The clause that takes its place, canonically spelled (`<27`).
        public let relaxedBound: String
        /// Why the wider bound is safe, one line.
        public let reason: String
        /// Key path for errors, for example `overlay[3].requirements.relax[0]`.
        public let keyPath: String
    }

    /// The strip / newline / patch / inject lists of the top level or an overlay.
    public struct Steps: Sendable, Hashable {
        /// Globs of entries to drop.
        public var strip: [KeyedGlob]
        /// Globs of entries whose CRLF becomes LF.
        public var normalizeNewlines: [KeyedGlob]
        /// Patches in order.
        public var patches: [PatchStep]
        /// Injected files in order.
        public var injects: [InjectStep]

        /// No steps.
        public static let none = Steps(strip: [], normalizeNewlines: [], patches: [], injects: [])

        /// These steps followed by `other`'s.
        public func appending(_ other: Steps) -> Steps {
            Steps(
                strip: strip + other.strip, normalizeNewlines: normalizeNewlines + other.normalizeNewlines,
                patches: patches + other.patches, injects: injects + other.injects
            )
        }
    }

    /// A glob with the recipe key it came from.
    public struct KeyedGlob: Sendable, Hashable {
        /// The parsed pattern.
        public let glob: Glob
        /// The recipe key it came from, for example `strip[2]` or `overlay[0].strip[1]`.
        public let keyPath: String
    }

    /// One `[[patch]]`.
    public struct PatchStep: Sendable, Hashable {
        /// The diff file, resolved against the recipe folder.
        public let file: String
        /// The diff file as written in the recipe (relative), for messages.
        public let relativeFile: String
        /// Allowed hunk offset in lines.
        public let maxOffset: Int
        /// The recipe key this step came from, for example `patch[0]`.
        public let keyPath: String
    }

    /// One `[[inject]]`.
    public struct InjectStep: Sendable, Hashable {
        /// The source file, resolved against the recipe folder.
        public let file: String
        /// Destination entry path.
        public let path: String
        /// Whether the entry gets mode 0755.
        public let isExecutable: Bool
        /// The recipe key this step came from, for example `inject[1]`.
        public let keyPath: String
    }

    /// The upstream versions an overlay applies to: a list, or a PEP 440 specifier set so that a release
    /// nobody has seen yet gets the edits of its layout.
    public enum VersionSelector: Sendable, Hashable {
        /// Exactly these versions (compared by PEP 440 equality).
        case list([String])
        /// Every version the specifier set contains.
        case specifier(VersionSpecifierSet)

        /// Whether `version` is selected.
        public func matches(_ version: String) -> Bool {
            switch self {
            case .list(let versions):
                return versions.contains { PEP440.areSame($0, version) }
            case .specifier(let set):
                return set.contains(version)
            }
        }
    }

    /// One `[[overlay]]`.
    public struct Overlay: Sendable, Hashable {
        /// Versions it applies to (`nil`: all).
        public let versions: VersionSelector?
        /// Platform families it applies to (`nil`: all).
        public let platforms: [PlatformFamily]?
        /// Its steps.
        public let steps: Steps
        /// Its `Requires-Dist` edits, applied after `[metadata.requirements]`.
        public let requirements: RequirementEdits
        /// Its `Classifier` edits, applied after `[metadata.classifiers]`.
        public let classifiers: ClassifierEdits

        /// Whether it applies to a build of `version` from a `platform` wheel.
        public func applies(version: String, platform: PlatformFamily) -> Bool {
            (versions?.matches(version) ?? true) && (platforms?.contains(platform) ?? true)
        }
    }

    /// One locked upstream version with its recipe settings.
    public struct PinnedVersion: Sendable, Hashable {
        /// The upstream version; its `description` is the lock's spelling.
        public let version: PEP440Version
        /// The recipe's `revision` of this version: its output is `<version>.post<revision>` (`nil`: `<version>`).
        public let revision: Int?
        /// Pinned files, sorted by file name.
        public let wheels: [PinnedWheel]
    }

    /// One pinned upstream file.
    public struct PinnedWheel: Sendable, Hashable {
        /// Parsed file name.
        public let filename: WheelFilename
        /// Its expected SHA-256.
        public let sha256: SHA256Digest

        /// Pins `filename` to `sha256`.
        public init(filename: WheelFilename, sha256: SHA256Digest) {
            self.filename = filename
            self.sha256 = sha256
        }
    }

    /// The lock file that belongs to the recipe at `recipePath`: the same name with `.lock` for `.toml`.
    public static func lockPath(forRecipe recipePath: String) -> String {
        (recipePath.hasSuffix(".toml") ? String(recipePath.dropLast(5)) : recipePath) + ".lock"
    }

    /// The pins of `version`.
    ///
    /// - Throws: `RecipeError.unknownVersion`.
    public func pinnedVersion(_ version: PEP440Version) throws(RecipeError) -> PinnedVersion {
        guard let pinned = versions.first(where: { $0.version == version }) else {
            throw .unknownVersion(path: path, version: version.description, known: versions.map(\.version.description))
        }
        return pinned
    }

    /// The pin for a file name, searching every version.
    public func pin(forFilename name: String) -> (version: PinnedVersion, wheel: PinnedWheel)? {
        for version in versions {
            if let wheel = version.wheels.first(where: { $0.filename.description == name }) { return (version, wheel) }
        }
        return nil
    }

    /// The same recipe with `lock` as its pins (what `purewheel lock` checks a new release against).
    public func replacingLock(_ lock: Lockfile) -> Recipe {
        let versions = lock.versions.map {
            PinnedVersion(version: $0.version, revision: revision(for: $0.version.description), wheels: $0.wheels)
        }
        return Recipe(
            path: path, directory: directory, source: source, output: output, metadata: metadata, baseSteps: baseSteps,
            overlays: overlays, versions: versions, lock: lock, revisions: revisions, notice: notice
        )
    }

    /// Whether the recipe builds upstream `version` at all (`[source] versions`).
    public func builds(version: PEP440Version) -> Bool {
        source.versions?.contains(version) ?? true
    }

    /// All steps for a build of `version` from a `platform` wheel: the top level, then matching overlays.
    public func steps(version: String, platform: PlatformFamily) -> Steps {
        overlays.filter { $0.applies(version: version, platform: platform) }.reduce(baseSteps) { $0.appending($1.steps) }
    }

    /// The `Requires-Dist` edits for a build of `version` from a `platform` wheel: `[metadata.requirements]`,
    /// then matching overlays in order.
    public func requirementEdits(version: String, platform: PlatformFamily) -> RequirementEdits {
        overlays.filter { $0.applies(version: version, platform: platform) }.reduce(metadata.requirements) {
            $0.merged(with: $1.requirements)
        }
    }

    /// The `Classifier` edits for a build of `version` from a `platform` wheel: `[metadata.classifiers]`, then matching
    /// overlays in order.
    public func classifierEdits(version: String, platform: PlatformFamily) -> ClassifierEdits {
        overlays.filter { $0.applies(version: version, platform: platform) }.reduce(metadata.classifiers) {
            $0.merged(with: $1.classifiers)
        }
    }

    /// The recipe's `revision` of upstream `version` (`[versions."X"] revision`, matched by PEP 440 equality), or `nil`.
    public func revision(for version: String) -> Int? {
        revisions.first { PEP440.areSame($0.key, version) }?.value
    }

    /// The output version for upstream `version`: `version.postN` when the recipe gives it revision N, else `version`.
    ///
    /// The loader refuses a revision for a version that cannot take a post segment, so the spelling always parses.
    public func outputVersion(for version: String) -> String {
        guard let revision = revision(for: version) else { return version }
        return PEP440Version(parsing: version)?.withPostRelease(revision)?.description ?? "\(version).post\(revision)"
    }
}
