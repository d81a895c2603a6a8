import FoundationEssentials
import PurewheelBasics
import RecipeFormat
import WheelModel
import ZipIO

/// Which upstream versions still wait for a published output: every upstream version the recipe builds whose
/// output version (`X`, or `X.postN` for the recipe's `revision` N) is not on the publish index, and, listed apart with
/// the reason, the upstream versions the recipe cannot build.
///
/// A published `X` or `X.postM` covers upstream `X` when M is at least the recipe's revision (none counts as 0); an
/// older revision leaves `X` pending, as a fixed repack not shipped yet, and a newer one is listed apart: revisions only
/// go up, so a recipe behind what was published must not build. `X.postM` counts as a revision of `X` only when
/// upstream has no release `X.postM` of its own.
public struct PendingReport: Sendable, Hashable {
    /// A version to build and publish.
    public struct Pending: Sendable, Hashable, Codable {
        /// The upstream version.
        public let version: PEP440Version
        /// Whether the lock pins its files (a release can go out) or not (lock it first, for review).
        public let pinned: Bool
        /// The output version to publish (`X`, or `X.postN` for the recipe's revision N).
        public let output: String
        /// The newest output version of it already published, an older revision (`nil`: none is published).
        public let published: String?
    }

    /// A version the recipe cannot build, and why.
    public struct Unbuildable: Sendable, Hashable, Codable {
        /// The upstream version.
        public let version: PEP440Version
        /// Why not.
        public let reason: String
    }

    /// Versions to build, in PEP 440 order.
    public let versions: [Pending]
    /// Versions left out, with the reason, in PEP 440 order.
    public let unbuildable: [Unbuildable]

    /// Compares `upstream` versions with the `published` output versions.
    public init(recipe: Recipe, upstream: [PEP440Version], published: [String]) {
        var versions = [Pending]()
        var unbuildable = [Unbuildable]()
        let publishedVersions = published.compactMap(PEP440Version.init(parsing:))
        let upstreamVersions = Set(upstream)
        for version in PEP440Version.sortedUnique(upstream) {
            let output = recipe.outputVersion(for: version.description)
            let revision = recipe.revision(for: version.description) ?? 0
            let newest = Self.newestPublishedRevision(of: version, in: publishedVersions, upstream: upstreamVersions)
            if let newest, newest.revision >= revision {
                if newest.revision > revision {
                    unbuildable.append(
                        Unbuildable(
                            version: version,
                            reason: "\(newest.version.description) is published, a newer revision than the recipe's \(output): "
                                + "a revision only goes up"))
                }
                continue
            }
            if let collision = PEP440Version(parsing: output), version != collision,
                upstreamVersions.contains(collision)
            {
                unbuildable.append(
                    Unbuildable(version: version, reason: "its revision's output \(output) is also an upstream version"))
                continue
            }
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
            versions.append(Pending(version: version, pinned: pinned != nil, output: output, published: newest?.version.description))
        }
        self.versions = versions
        self.unbuildable = unbuildable
    }

    /// The newest published output of upstream `version`: `version` itself (revision 0) or `version.postM` (revision M),
    /// where `version.postM` is not an upstream release of its own; `nil` when none is published.
    static func newestPublishedRevision(of base: PEP440Version, in published: [PEP440Version], upstream: Set<PEP440Version>)
        -> (version: PEP440Version, revision: Int)?
    {
        var newest: (version: PEP440Version, revision: Int)?
        for candidate in published {
            let revision: Int
            if candidate == base {
                revision = 0
            } else if base.withPostRelease(0) != nil, candidate.postReleaseBase == base, !upstream.contains(candidate),
                let post = candidate.postRelease
            {
                revision = post
            } else {
                continue
            }
            if newest.map({ revision > $0.revision }) ?? true { newest = (candidate, revision) }
        }
        return newest
    }

    /// The output versions already published in a folder of wheels: every `*.whl` of `distribution` whose file name carries the output
    /// `tag` (`py3-none-any`; a compressed set such as `py2.py3-none-any` counts when it includes it).
    ///
    /// Upstream's platform wheels of the same name and version are not outputs: a recipe whose output keeps upstream's name (google-crc32c)
    /// would otherwise see every upstream version as published.
    ///
    /// Only a regular file that opens as a wheel counts (a zip archive holding its `.dist-info/WHEEL`): an empty
    /// file, a folder, a FIFO or a symbolic link with an output's name was not published.
    ///
    /// - Throws: `ReleaseError.publishedFolderMissing`, or `.fileSystem` when the folder cannot be read.
    public static func publishedVersions(inFolder folder: String, distribution: String, tag: WheelTag) throws(ReleaseError)
        -> [String]
    {
        guard FileIO.kind(of: folder) != nil else { throw .publishedFolderMissing(path: folder) }
        let names: [String]
        do throws(FileSystemError) {
            names = try FileIO.contents(ofDirectory: folder)
        } catch {
            throw .fileSystem(error)
        }
        return names.sorted().compactMap { name in
            guard name.hasSuffix(".whl"), let filename = try? WheelFilename(parsing: name),
                ProjectName.normalized(filename.distribution) == ProjectName.normalized(distribution),
                filename.pythonTag.split(separator: ".").contains(Substring(tag.python)),
                filename.abiTag.split(separator: ".").contains(Substring(tag.abi)),
                filename.platformTag.split(separator: ".").contains(Substring(tag.platform)),
                isWheel("\(folder)/\(name)", filename: filename)
            else { return nil }
            return filename.version
        }
    }

    /// Whether `path` is a regular file that opens as a zip archive holding the `WHEEL` file its name implies.
    private static func isWheel(_ path: String, filename: WheelFilename) -> Bool {
        guard FileIO.kind(of: path) == .regular else { return false }
        let wheelFile = "\(filename.distribution)-\(filename.version).dist-info/WHEEL"
        do throws(ZipError) {
            let hasWheelFile = { (reader: ZipReader) throws(ZipError) -> Bool in !reader.entries.isEmpty }
            return try ZipReader.withArchive(.file(path: path), listingOnly: { $0 == wheelFile }, hasWheelFile)
        } catch {
            return false
        }
    }
}
