import PurewheelBasics
import RecipeFormat
import WheelModel

/// What a new lock changes against the lock it replaces, judged against the versions it was meant to pin.
///
/// The release workflow runs `lock` next to unreviewed upstream code, so the lock it hands to the job that may push
/// is checked first: the change must only add pins, all of them of the named versions, at least one for each, and
/// must leave every other byte of meaning alone (distribution, version spellings, existing pins).
public struct LockChange: Sendable, Hashable {
    /// One pin the head lock adds.
    public struct AddedPin: Sendable, Hashable {
        /// The version it is pinned under, as the head lock spells it.
        public let version: String
        /// The file and its sha256.
        public let pin: Recipe.PinnedWheel
    }

    /// One way the head lock does something other than add pins of the named versions.
    public enum Difference: Sendable, Hashable {
        /// The head pins another distribution.
        case distributionChanged(base: String, head: String)
        /// A version the base pins is missing from the head.
        case versionRemoved(version: String)
        /// The head spells a pinned version differently (the same version under PEP 440).
        case versionRespelled(base: String, head: String)
        /// A file the base pins is missing from the head.
        case pinRemoved(version: String, file: String)
        /// A file keeps its name but not its sha256.
        case pinChanged(version: String, file: String, base: SHA256Digest, head: SHA256Digest)
        /// The head adds a file of a version that was not named.
        case pinOfOtherVersion(version: String, file: String)
        /// A named version gains no pin.
        case nothingAdded(version: String)

        /// What the difference is, in one line (lowercase, untrusted parts unescaped: the renderer escapes).
        public var summary: String {
            switch self {
            case .distributionChanged(let base, let head): return "the distribution changes from \(base) to \(head)"
            case .versionRemoved(let version): return "\(version): the version is no longer pinned"
            case .versionRespelled(let base, let head): return "\(base): the version is now spelled \(head)"
            case .pinRemoved(let version, let file): return "\(version): \(file) is no longer pinned"
            case .pinChanged(let version, let file, let base, let head):
                return "\(version): \(file) changes its pin from sha256 \(base.hex) to sha256 \(head.hex)"
            case .pinOfOtherVersion(let version, let file): return "\(version): \(file) is a pin of a version not named"
            case .nothingAdded(let version): return "\(version): no pin of this version is added"
            }
        }
    }

    /// The pins the head adds that are allowed, in lock order.
    public let added: [AddedPin]
    /// Everything else the head changes, in lock order; empty when the change only adds pins of the named versions.
    public let differences: [Difference]

    /// Compares `head` with `base`.
    ///
    /// - Parameters:
    ///   - base: the lock before the change.
    ///   - head: the lock after it.
    ///   - versions: the versions whose pins may be added (compared under PEP 440); each must gain at least one pin.
    public init(base: Lockfile, head: Lockfile, versions: [String]) {
        var added = [AddedPin]()
        var differences = [Difference]()
        if ProjectName.normalized(base.distribution) != ProjectName.normalized(head.distribution) {
            differences.append(.distributionChanged(base: base.distribution, head: head.distribution))
        }
        for locked in base.versions where head.locked(locked.version) == nil {
            differences.append(.versionRemoved(version: locked.version))
        }
        for locked in head.versions {
            let before = base.locked(locked.version)
            if let before, before.version != locked.version {
                differences.append(.versionRespelled(base: before.version, head: locked.version))
            }
            let isNamed = versions.contains { PEP440.areSame($0, locked.version) }
            let (new, changed) = Self.compare(before?.wheels ?? [], locked.wheels, version: locked.version)
            differences += changed
            for pin in new {
                if isNamed {
                    added.append(AddedPin(version: locked.version, pin: pin))
                } else {
                    differences.append(.pinOfOtherVersion(version: locked.version, file: pin.filename.description))
                }
            }
        }
        for version in versions where !added.contains(where: { PEP440.areSame($0.version, version) }) {
            differences.append(.nothingAdded(version: version))
        }
        self.added = added
        self.differences = differences
    }

    /// Whether the head only adds pins of the named versions, at least one for each.
    public var onlyAddsNamedPins: Bool { differences.isEmpty }

    /// The pins of `head` that `base` lacks, and the removed or changed pins of `base`, each list in file-name order.
    private static func compare(
        _ base: [Recipe.PinnedWheel], _ head: [Recipe.PinnedWheel], version: String
    ) -> (added: [Recipe.PinnedWheel], differences: [Difference]) {
        var differences = [Difference]()
        for pin in base {
            let name = pin.filename.description
            guard let now = head.first(where: { $0.filename.description == name }) else {
                differences.append(.pinRemoved(version: version, file: name))
                continue
            }
            if now.sha256 != pin.sha256 {
                differences.append(.pinChanged(version: version, file: name, base: pin.sha256, head: now.sha256))
            }
        }
        let known = Set(base.map(\.filename.description))
        return (head.filter { !known.contains($0.filename.description) }, differences)
    }
}
