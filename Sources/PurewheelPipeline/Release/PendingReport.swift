import Foundation
import PurewheelBasics
import RecipeFormat
import WheelModel

/// Which upstream versions still wait for a published output: every upstream version the recipe builds whose
/// output version (`X` or `X.postN`) is not on the publish index, and, listed apart with the reason, the
/// upstream versions the recipe cannot build.
public struct PendingReport: Sendable, Hashable {
    /// A version to build and publish.
    public struct Pending: Sendable, Hashable, Codable {
        /// The upstream version.
        public let version: String
        /// Whether the lock pins its files (a release can go out) or not (lock it first, for review).
        public let pinned: Bool
    }

    /// A version the recipe cannot build, and why.
    public struct Unbuildable: Sendable, Hashable, Codable {
        /// The upstream version.
        public let version: String
        /// Why not.
        public let reason: String
    }

    /// Versions to build, in PEP 440 order.
    public let versions: [Pending]
    /// Versions left out, with the reason, in PEP 440 order.
    public let unbuildable: [Unbuildable]

    /// Compares `upstream` versions with the `published` output versions.
    public init(recipe: Recipe, upstream: [String], published: [String]) {
        var versions = [Pending]()
        var unbuildable = [Unbuildable]()
        let publishedVersions = published.compactMap(PEP440Version.init(parsing:))
        for version in Locker.sortedUnique(upstream) {
            let output = recipe.outputVersion(for: version)
            if let parsed = PEP440Version(parsing: output), publishedVersions.contains(parsed) { continue }
            guard recipe.builds(version: version) else {
                unbuildable.append(
                    Unbuildable(version: version, reason: "outside [source] versions (\(recipe.source.versions?.text ?? "any"))"))
                continue
            }
            let pinned = try? recipe.pinnedVersion(version)
            if let pinned, !pinned.wheels.contains(where: { $0.filename.platformFamily == recipe.source.canonicalPlatform }) {
                unbuildable.append(
                    Unbuildable(
                        version: version, reason: "the lock pins no \(recipe.source.canonicalPlatform.rawValue) wheel of it to build from"))
                continue
            }
            versions.append(Pending(version: version, pinned: pinned != nil))
        }
        self.versions = versions
        self.unbuildable = unbuildable
    }

    /// The output versions already published in a folder of wheels: every `*.whl` of `distribution` there.
    ///
    /// - Throws: `ReleaseError.fileSystem` when the folder cannot be read.
    public static func publishedVersions(inFolder folder: String, distribution: String) throws(ReleaseError) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw .fileSystem(
                FileIO.exists(folder) ? .operationFailed(operation: "list", path: folder, errno: ENOTDIR) : .notFound(path: folder))
        }
        return names.sorted().compactMap { name in
            guard name.hasSuffix(".whl"), let filename = try? WheelFilename(parsing: name),
                ProjectName.normalized(filename.distribution) == ProjectName.normalized(distribution)
            else { return nil }
            return filename.version
        }
    }
}
