import Glibc
import PurewheelBasics
import Synchronization

/// A build's private folder inside the output folder (`.purewheel-staging-<pid>-<random>`), where every wheel and statement is written and
/// verified before anything is published.
///
/// Being in the output folder keeps every rename on one file system, so each is atomic.
///
/// The live build holds an advisory lock on `<staging>/lock` (`flock`); the kernel releases it when the
/// build ends in any way, so a staging folder whose lock is free belongs to nobody, whatever PID namespace
/// its build ran in. `create` and `publish` repair and remove such folders first: a publication journal found
/// there is rolled back, so the output folder is as it was before that build.
///
/// Creating a staging folder, repairing abandoned ones and publishing each hold one lock on the output folder
/// itself (`flock` on the folder, so nothing is left in it), so they never interleave: no repair sees a folder
/// between its `mkdir` and its lock, and a publication killed half-way is rolled back before anybody publishes
/// again, never after (which would undo the later publication).
public struct StagingArea: ~Copyable {
    /// Staging folders are named `.purewheel-staging-<pid>-<random>`.
    public static let prefix = ".purewheel-staging-"
    /// The lock file's name inside a staging folder.
    static let lockName = "lock"

    /// The output folder.
    public let outputDirectory: String
    /// This staging folder.
    public let path: String
    private let lock: FileLock
    /// Shared with a signal handler, so an interrupted build removes its folder without racing a publication.
    public let interruption: StagingInterruption

    private init(outputDirectory: String, path: String, lock: consuming FileLock) {
        self.outputDirectory = outputDirectory
        self.path = path
        self.lock = lock
        self.interruption = StagingInterruption(path: path)
    }

    /// Creates the output folder if needed, repairs and removes abandoned staging folders in it, and creates
    /// this build's own, locked.
    ///
    /// - Throws: `PublishError.fileSystem`, or `.journalUnreadable` for an abandoned journal that cannot be
    ///   read (that folder is then left for a person to look at).
    public static func create(in outputDirectory: String) throws(PublishError) -> StagingArea {
        try create(in: outputDirectory, beforeLocking: { _ in })
    }

    /// `create(in:)`, calling `beforeLocking` with the new folder's path between its `mkdir` and its lock, the
    /// moment another build must not take it for abandoned (a test seam).
    static func create(in outputDirectory: String, beforeLocking: (String) -> Void) throws(PublishError) -> StagingArea {
        // `--out dist/` must not print `dist//name`: every path below is joined as "\(outputDirectory)/name".
        let outputDirectory = FileIO.trimmingTrailingSlashes(outputDirectory)
        let folderLock = try fileSystem { () throws(FileSystemError) in
            try FileIO.createDirectory(outputDirectory)
            return try FileLock.acquire(folder: outputDirectory)
        }
        try repairAbandonedLocked(in: outputDirectory)
        // Randomness only names a scratch folder; it never reaches the output bytes.
        let path = "\(outputDirectory)/\(prefix)\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        do throws(FileSystemError) {
            guard mkdir(path, 0o700) == 0 else {
                throw .operationFailed(operation: "create staging folder", path: path, errno: .current)
            }
            beforeLocking(path)
            let lock = try FileLock.acquire("\(path)/\(lockName)")
            folderLock.release()
            return StagingArea(outputDirectory: outputDirectory, path: path, lock: lock)
        } catch {
            throw .fileSystem(error)
        }
    }

    /// The folder input number `index` is built in (created on demand).
    ///
    /// - Throws: `FileSystemError.operationFailed`.
    public func folder(for index: Int) throws(FileSystemError) -> String {
        let folder = "\(path)/\(index)"
        try FileIO.createDirectory(folder)
        return folder
    }

    /// Publishes staged files all-or-nothing.
    ///
    /// Holds the output folder's lock throughout, and first repairs abandoned staging folders. Every destination
    /// is checked first (anything but a regular file in the way fails before the first rename); the plan goes to a
    /// journal in this folder; each file being replaced is moved aside into this folder, the last one first; then
    /// the files are renamed in order (so a wheel listed after its statement never sits beside another statement,
    /// see `PublishJournal`). If a rename fails, the ones already made are undone and the replaced files put back.
    /// The journal is removed only after the last rename, so a build killed in between is rolled back by the next
    /// one that creates a staging folder or publishes.
    ///
    /// - Parameter moves: staged paths (inside this folder) and the names they get in the output folder.
    /// - Throws: `PublishError.destinationOccupied` or `.fileSystem`; the output folder is then unchanged.
    public func publish(_ moves: [(staged: String, name: String)]) throws(PublishError) {
        // Waiting for another build's publication happens outside `whilePublishing`, so that a signal meanwhile
        // ends this build at once.
        let folderLock = try fileSystem { () throws(FileSystemError) in try FileLock.acquire(folder: outputDirectory) }
        try interruption.whilePublishing { () throws(PublishError) in
            try Self.repairAbandonedLocked(in: outputDirectory)
            try apply(try prepare(moves))
        }
        folderLock.release()
    }

    /// Checks the destinations and writes the journal; nothing is renamed yet.
    ///
    /// Called with the output folder's lock held.
    func prepare(_ moves: [(staged: String, name: String)]) throws(PublishError) -> PublishJournal {
        var planned = [PublishJournal.Move]()
        for (index, move) in moves.enumerated() {
            let destination = "\(outputDirectory)/\(move.name)"
            let existing = FileIO.kind(of: destination)
            if let existing, existing != .regular {
                throw .destinationOccupied(path: destination, kind: existing)
            }
            guard move.staged.hasPrefix(path + "/") else {
                throw .internal(InternalError("staged file \(move.staged) is outside \(path)"))
            }
            let source = String(move.staged.dropFirst(path.count + 1))
            guard let identity = PublishJournal.Identity(of: move.staged) else {
                throw .fileSystem(.notFound(path: move.staged))
            }
            planned.append(
                PublishJournal.Move(
                    source: source, destination: move.name, backup: existing == nil ? nil : "backup/\(index)", identity: identity))
        }
        let journal = PublishJournal(moves: planned)
        do throws(FileSystemError) {
            try AtomicFile(destination: "\(path)/\(PublishJournal.fileName)").write(bytes: Array(journal.serialized().utf8))
            try FileIO.createDirectory("\(path)/backup")
        } catch {
            // Nothing was renamed, so the journal goes (see `apply`).
            do { try FileIO.remove("\(path)/\(PublishJournal.fileName)") } catch {}
            throw .fileSystem(error)
        }
        return journal
    }

    /// Makes the journal's renames and removes the journal (the commit point), or undoes them.
    ///
    /// Called with the output folder's lock held, after `prepare`.
    func apply(_ journal: PublishJournal) throws(PublishError) {
        do throws(FileSystemError) {
            for rename in journal.renames(staging: path, output: outputDirectory) { try FileIO.rename(rename.from, to: rename.to) }
            try FileIO.syncDirectory(outputDirectory)
        } catch {
            try journal.rollBack(staging: path, output: outputDirectory)
            // Undone, so the journal goes, and `remove` removes the folder. Should that fail, the folder stays and
            // the next build's rollback of it changes nothing: the rename's error is the one to report.
            do { try FileIO.remove("\(path)/\(PublishJournal.fileName)") } catch {}
            throw .fileSystem(error)
        }
        do throws(FileSystemError) {
            // The commit point: from here on, nothing is rolled back.
            try FileIO.remove("\(path)/\(PublishJournal.fileName)")
            try FileIO.syncDirectory(path)
        } catch {
            throw .fileSystem(error)
        }
    }

    /// Removes this staging folder and everything left in it; the lock goes with the value.
    ///
    /// A folder that still holds a publication journal (a publication whose undoing failed) is kept instead, with
    /// the backups of the files it replaced, for the next build to roll back.
    public func remove() {
        interruption.abandon()
    }

    /// Repairs and removes every staging folder in `outputDirectory` whose lock is free: a journal found there is rolled back first.
    ///
    /// Holds the output folder's lock meanwhile (see the type's discussion). A folder whose lock is held belongs to
    /// a running build and is left alone; an empty folder without a lock file is one whose build died before
    /// taking it.
    ///
    /// - Returns: the folders removed.
    /// - Throws: `PublishError.journalUnreadable` or `.fileSystem`.
    @discardableResult
    public static func repairAbandoned(in outputDirectory: String) throws(PublishError) -> [String] {
        let outputDirectory = FileIO.trimmingTrailingSlashes(outputDirectory)
        let folderLock = try fileSystem { () throws(FileSystemError) in try FileLock.acquire(folder: outputDirectory) }
        let removed = try repairAbandonedLocked(in: outputDirectory)
        folderLock.release()
        return removed
    }

    /// `repairAbandoned(in:)` with the output folder's lock already held.
    @discardableResult
    private static func repairAbandonedLocked(in outputDirectory: String) throws(PublishError) -> [String] {
        let names: [String]
        do throws(FileSystemError) {
            names = try FileIO.contents(ofDirectory: outputDirectory)
        } catch {
            throw .fileSystem(error)
        }
        var removed = [String]()
        for name in names where name.hasPrefix(prefix) && FileIO.kind(of: "\(outputDirectory)/\(name)") == .directory {
            let folder = "\(outputDirectory)/\(name)"
            if try repair(folder, output: outputDirectory) { removed.append(folder) }
        }
        return removed
    }

    /// Repairs and removes one staging folder unless its lock is held.
    ///
    /// - Returns: whether the folder was removed.
    private static func repair(_ folder: String, output: String) throws(PublishError) -> Bool {
        guard FileIO.kind(of: "\(folder)/\(lockName)") != nil else {
            guard try fileSystem({ () throws(FileSystemError) in try FileIO.contents(ofDirectory: folder) }).isEmpty else { return false }
            try fileSystem { () throws(FileSystemError) in try FileIO.remove(folder) }
            return true
        }
        guard let lock = try fileSystem({ () throws(FileSystemError) in try FileLock.acquireIfFree("\(folder)/\(lockName)") }) else {
            return false
        }
        let journalPath = "\(folder)/\(PublishJournal.fileName)"
        if FileIO.kind(of: journalPath) == .regular {
            let text = String(decoding: try fileSystem { () throws(FileSystemError) in try FileIO.read(journalPath) }, as: UTF8.self)
            try PublishJournal(parsing: text, path: journalPath).rollBack(staging: folder, output: output)
        }
        try fileSystem { () throws(FileSystemError) in try FileIO.removeTree(folder) }
        lock.release()
        return true
    }
}

/// Runs `body`, wrapping its `FileSystemError` as `PublishError.fileSystem`.
func fileSystem<T: ~Copyable>(_ body: () throws(FileSystemError) -> T) throws(PublishError) -> T {
    do {
        return try body()
    } catch {
        throw .fileSystem(error)
    }
}

/// What a signal handler may do with a staging folder from another thread: remove it, but never in the
/// middle of a publication (it waits for the renames to end, so the output folder is never left mixed).
public final class StagingInterruption: Sendable {
    /// The staging folder.
    public let path: String
    private let isGone = Mutex(false)

    init(path: String) { self.path = path }

    /// Runs a publication while holding off `abandon`.
    func whilePublishing<T>(_ body: () throws(PublishError) -> T) throws(PublishError) -> T {
        try isGone.withLock { (gone: inout Bool) throws(PublishError) -> T in
            guard !gone else { throw .fileSystem(.notFound(path: path)) }
            return try body()
        }
    }

    /// Removes the staging folder (once), unless it holds a publication journal; waits for a publication in
    /// progress to end.
    public func abandon() {
        isGone.withLock { gone in
            guard !gone else { return }
            gone = true
            // A journal outlives a publication that may have changed the output folder and was not undone: the
            // folder keeps the backups of the files it replaced, and the next build, finding its lock free, rolls
            // it back.
            guard FileIO.kind(of: "\(path)/\(PublishJournal.fileName)") == nil else { return }
            // Best effort: this runs on the way out (end of the build, or a signal); what cannot be removed
            // now is repaired by the next build, whose lock test finds the folder abandoned.
            do { try FileIO.removeTree(path) } catch {}
        }
    }
}
