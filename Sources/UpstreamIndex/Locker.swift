import FoundationEssentials
import PurewheelBasics
import RecipeFormat
import WheelBuild
import WheelModel

/// Pins new upstream releases: finds every file of a version through pip (one query per Python version and platform tag of `[source]`),
/// hashes what arrives, refuses any pinned file whose bytes changed, and checks that the recipe builds every new file before a single pin
/// is added.
///
/// Downloads land in the build cache, so a following `build --upstream-version` reuses them.
public struct Locker: Sendable {
    /// The recipe, with its current lock.
    public let recipe: Recipe
    /// Where versions and files come from.
    public let index: PipIndex
    /// The download cache (`PipFetcher`'s layout).
    public let cacheDirectory: String
    /// The `Generator` used for the dry-run builds.
    public let generator: String
    /// How many pip processes run at once.
    public var concurrency = 4

    /// Creates a locker.
    public init(recipe: Recipe, index: PipIndex, cacheDirectory: String, generator: String) {
        self.recipe = recipe
        self.index = index
        self.cacheDirectory = cacheDirectory
        self.generator = generator
    }

    /// What a lock run found.
    public struct Outcome: Sendable {
        /// The lock after the run (equal to the recipe's when nothing was added).
        public let lock: Lockfile
        /// Per version examined: the files newly pinned and the files whose pins were confirmed.
        public let versions: [VersionOutcome]

        /// Whether the lock must be written.
        public var changed: Bool { versions.contains { !$0.added.isEmpty } }
    }

    /// One version's result.
    public struct VersionOutcome: Sendable {
        /// The upstream version.
        public let version: PEP440Version
        /// Files pinned by this run.
        public let added: [Recipe.PinnedWheel]
        /// Files that were pinned already and still have their pinned bytes.
        public let confirmed: [String]
    }

    /// Every upstream version on the index with a wheel for one of the recipe's Python versions and
    /// platforms, in PEP 440 order (whether or not the recipe builds it).
    ///
    /// - Throws: `ReleaseError`.
    public func upstreamVersions() throws(ReleaseError) -> [PEP440Version] {
        PEP440Version.sortedUnique(try availability().joined())
    }

    /// Pins `requested` (every buildable upstream version when `nil`).
    ///
    /// Nothing is written here: the caller writes `Outcome.lock` when it changed.
    ///
    /// - Throws: `ReleaseError.pinConflict` (nothing pinned), `.noUpstreamFiles`, `.versionNotBuilt`,
    ///   `.doesNotBuild` (nothing pinned), `.indexUnreachable`, `.pipFailed`, `.recipe`, `.fetch`.
    public func lock(versions requested: [PEP440Version]?) throws(ReleaseError) -> Outcome {
        let byPython = try availability()
        let versions: [PEP440Version]
        if let requested {
            for version in requested where !recipe.builds(version: version) {
                throw .versionNotBuilt(recipe: recipe.path, version: version.description, specifier: recipe.source.versions?.text ?? "any")
            }
            versions = requested
        } else {
            versions = PEP440Version.sortedUnique(byPython.joined()).filter { recipe.builds(version: $0) }
        }
        let scratch = try PipFetcher.privateDownloadFolderForLock(
            in: "\(cacheDirectory)/\(ProjectName.normalized(recipe.source.distribution))")
        defer { ScratchFolder.remove(scratch) }

        var lock = recipe.lock
        var outcomes = [VersionOutcome]()
        var conflicts = [PinConflict]()
        var newFiles = [String]()
        for version in versions {
            let pythons = zip(recipe.source.pythonVersions, byPython).filter { _, listed in listed.contains(version)
            }
            .map(\.0)
            let files = try download(version, pythons: pythons, into: "\(scratch)/\(version)")
            guard !files.isEmpty else {
                throw .noUpstreamFiles(distribution: recipe.source.distribution, version: version.description)
            }
            var added = [Recipe.PinnedWheel]()
            var confirmed = [String]()
            for (name, path) in files {
                let digest: SHA256Digest
                let filename: WheelFilename
                do {
                    digest = try FileIO.digest(path).digest
                    filename = try WheelFilename(parsing: name)
                } catch {
                    throw .pipFailed(command: "pip download", status: 0, output: "pip wrote \(name), which cannot be read as a wheel")
                }
                if let pinned = recipe.lock.pin(forFilename: name) {
                    if pinned.sha256 == digest {
                        confirmed.append(name)
                    } else {
                        conflicts.append(PinConflict(file: name, pinned: pinned.sha256, served: digest))
                    }
                    continue
                }
                added.append(Recipe.PinnedWheel(filename: filename, sha256: digest))
                newFiles.append(try cache(path, version: version, name: name))
            }
            lock = lock.adding(added, version: version)
            outcomes.append(VersionOutcome(version: version, added: added, confirmed: confirmed))
        }
        guard conflicts.isEmpty else { throw .pinConflict(lock: recipe.lockPath, conflicts: conflicts) }
        try checkBuilds(newFiles, with: lock, scratch: scratch)
        return Outcome(lock: outcomes.contains { !$0.added.isEmpty } ? lock : recipe.lock, versions: outcomes)
    }

    /// Adds the new pins of `outcome` to the lock as it is on disk now, and writes it atomically.
    ///
    /// Another `lock` run (or a person) may have changed the lock since this run read it: the lock is read again
    /// and merged under an exclusive lock on a file beside it (`.<lock name>.writer`), so two runs pinning
    /// different versions keep both, and a pin written meanwhile is never replaced.
    ///
    /// - Returns: whether the file was written (`false` when the lock already holds every new pin).
    /// - Throws: `ReleaseError.pinConflict` (the lock on disk pins a new file with other bytes; nothing written),
    ///   `.recipe` (the lock on disk is malformed), `.fileSystem`.
    public func write(_ outcome: Outcome) throws(ReleaseError) -> Bool {
        guard outcome.changed else { return false }
        let writer: FileLock
        do throws(FileSystemError) {
            writer = try FileLock.acquire(Locker.writerLockPath(for: recipe.lockPath))
        } catch {
            throw .fileSystem(error)
        }
        let result = Result { () throws(ReleaseError) -> Bool in try writeLocked(outcome) }
        writer.release()
        return try result.get()
    }

    private func writeLocked(_ outcome: Outcome) throws(ReleaseError) -> Bool {
        let current: Lockfile
        do throws(RecipeError) {
            current = try RecipeLoader.load(path: recipe.path).lock
        } catch {
            throw .recipe(error)
        }
        var merged = current
        var conflicts = [PinConflict]()
        for version in outcome.versions where !version.added.isEmpty {
            for wheel in version.added {
                if let pinned = current.pin(forFilename: wheel.filename.description), pinned.sha256 != wheel.sha256 {
                    conflicts.append(PinConflict(file: wheel.filename.description, pinned: pinned.sha256, served: wheel.sha256))
                }
            }
            merged = merged.adding(version.added, version: version.version)
        }
        guard conflicts.isEmpty else { throw .pinConflict(lock: recipe.lockPath, conflicts: conflicts) }
        if merged == current { return false }
        do throws(FileSystemError) {
            try AtomicFile(destination: recipe.lockPath).write(bytes: Array(merged.rendered().utf8))
        } catch {
            throw .fileSystem(error)
        }
        return true
    }

    /// The file whose `flock` serializes writers of the lock at `lockPath`.
    public static func writerLockPath(for lockPath: String) -> String {
        let slash = lockPath.lastIndex(of: "/")
        let folder = slash.map { String(lockPath[...$0]) } ?? ""
        let name = slash.map { String(lockPath[lockPath.index(after: $0)...]) } ?? lockPath
        return "\(folder).\(name).writer"
    }

    /// For each of the recipe's Python versions (in order), the versions that have a wheel for it.
    ///
    /// The index's answers are parsed here; a version that is not PEP 440 is left out, as nothing can build or pin it.
    private func availability() throws(ReleaseError) -> [[PEP440Version]] {
        let source = recipe.source
        guard !source.pythonVersions.isEmpty else { throw .recipe(.missingKey(path: recipe.path, keyPath: "source.python_versions")) }
        guard !source.platforms.isEmpty else { throw .recipe(.missingKey(path: recipe.path, keyPath: "source.platforms")) }
        let index = index
        let pythons = source.pythonVersions
        let results = OrderedParallelMap.map(pythons.count, width: concurrency) { position -> Result<[String], ReleaseError> in
            Result { () throws(ReleaseError) -> [String] in
                try index.versions(of: source.distribution, pythonVersion: pythons[position], platforms: source.platforms)
            }
        }
        let byPython = try results.map { result throws(ReleaseError) in try result.get() }
        let parsed = byPython.map { $0.compactMap(PEP440Version.init(parsing:)) }
        try confirmRead(parsed)
        return parsed
    }

    /// Fails unless the answers show that the index was read.
    ///
    /// pip words an index it could not read like one without the project, and a login page or captive portal
    /// answers 200 with no links at all. The lock's pins are the evidence: the answers must list one of the
    /// versions it pins (not each Python version's: a mirror may hold only recent releases), and without pins
    /// some version must be listed.
    private func confirmRead(_ byPython: [[PEP440Version]]) throws(ReleaseError) {
        let distribution = recipe.source.distribution
        let pinned = recipe.lock.versions
        guard !pinned.isEmpty else {
            guard byPython.contains(where: { !$0.isEmpty }) else { throw .indexListsNothing(distribution: distribution) }
            return
        }
        let listed = Set(byPython.joined())
        guard pinned.contains(where: { listed.contains($0.version) }) else {
            throw .indexListsNoPinnedVersion(distribution: distribution, pinned: pinned.map(\.version.description))
        }
    }

    /// Downloads what pip picks for each Python version and platform; returns each distinct file once
    /// (name → path), in file-name order.
    private func download(_ version: PEP440Version, pythons: [String], into folder: String) throws(ReleaseError) -> [(String, String)] {
        let jobs = pythons.flatMap { python in recipe.source.platforms.map { (python, $0) } }
        let index = index
        let distribution = recipe.source.distribution
        let results = OrderedParallelMap.map(jobs.count, width: concurrency) { position -> Result<(String, [String]), ReleaseError> in
            let destination = "\(folder)/\(position)"
            return Result { () throws(ReleaseError) -> (String, [String]) in
                do throws(FileSystemError) {
                    try FileIO.createDirectory(destination)
                } catch {
                    throw .fileSystem(error)
                }
                let (python, platform) = jobs[position]
                return (
                    destination,
                    try index.download(
                        distribution: distribution, version: version.description, pythonVersion: python, platform: platform,
                        into: destination)
                )
            }
        }
        var files = [String: String]()
        for result in results {
            let (destination, names) = try result.get()
            for name in names where files[name] == nil { files[name] = "\(destination)/\(name)" }
        }
        return files.keys.sorted().map { ($0, files[$0] ?? "") }
    }

    /// Moves a downloaded file into the build cache under its final name.
    private func cache(_ path: String, version: PEP440Version, name: String) throws(ReleaseError) -> String {
        let folder = "\(cacheDirectory)/\(ProjectName.normalized(recipe.source.distribution))/\(version)"
        do throws(FileSystemError) {
            try FileIO.createDirectory(folder)
        } catch {
            throw .fetch(.cacheUnusable(path: folder, reason: error.message))
        }
        do {
            try PipFetcher.publish(path, to: "\(folder)/\(name)")
        } catch {
            throw .fetch(error)
        }
        return "\(folder)/\(name)"
    }

    /// Dry-runs the whole pipeline on every new file with the new pins: a release the recipe no longer fits
    /// (a hunk that does not apply, a glob that matches nothing) is refused before it is pinned.
    private func checkBuilds(_ files: [String], with lock: Lockfile, scratch: String) throws(ReleaseError) {
        let context = StageContext(
            recipe: recipe.replacingLock(lock), fetcher: PipFetcher(pipCommand: index.pip.command, cacheDirectory: cacheDirectory),
            sourceDateEpoch: nil, generator: generator
        )
        let pipeline = Pipeline(context: context)
        for file in files {
            do {
                _ = try pipeline.run(.localFile(path: file, allowUnpinned: false), outputDirectory: scratch, dryRun: true)
            } catch {
                throw .doesNotBuild(file: PathText.lastComponent(file), error: error)
            }
        }
    }
}

extension PipFetcher {
    /// A private scratch folder for one lock run inside the distribution's cache folder (same file system,
    /// so finished downloads are renamed into place).
    static func privateDownloadFolderForLock(in folder: String) throws(ReleaseError) -> String {
        do {
            return try privateDownloadFolder(in: folder)
        } catch {
            throw .fetch(error)
        }
    }
}
