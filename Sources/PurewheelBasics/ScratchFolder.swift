import Glibc
import SystemPackage

/// A private working folder (downloads in progress, a rebuild) that nothing is left of: it is removed when its
/// owner is done, when a signal interrupts the process (`Interruption`), and otherwise, after a SIGKILL or a
/// power cut, by a later run that creates scratch beside it.
///
/// The owner holds an exclusive lock on `.owner` inside the folder for the folder's whole life; the kernel drops
/// it when the owner dies, so a free lock proves the folder abandoned. A folder must also be older than
/// `abandonedAge`, which covers the moment between its creation and its lock (and folders made before the lock
/// existed).
public enum ScratchFolder {
    /// The lock file inside every scratch folder.
    public static let ownerLockName = ".owner"

    /// How old (by modification time) an unlocked scratch folder must be before a later run removes it.
    public static let abandonedAge: Int = 300

    /// Creates a new folder `<parent>/<prefix>XXXXXX` (`mkdtemp`, mode 0700) holding its owner lock, and registers
    /// it for removal on interruption.
    ///
    /// `parent` is created if missing; abandoned folders named `sweepPrefix…` in it are removed first.
    ///
    /// - Throws: `FileSystemError.operationFailed` when the folder or its lock cannot be made.
    public static func create(in parent: String, prefix: String, sweeping sweepPrefix: String) throws(FileSystemError) -> String {
        try FileIO.createDirectory(parent)
        sweep(in: parent, prefix: sweepPrefix)
        var template = Array("\(parent)/\(prefix)XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkdtemp($0) != nil } ?? false }
        guard created else { throw .operationFailed(operation: "create folder", path: parent, errno: .current) }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let lockPath = "\(path)/\(ownerLockName)"
        let descriptor: FileDescriptor
        do {
            descriptor = try Errno.typed {
                try FileDescriptor.open(
                    FilePath(lockPath), .readWrite, options: [.create, .exclusiveCreate, .closeOnExec, .noFollow],
                    permissions: [.ownerReadWrite])
            }
        } catch {
            rmdir(path)
            throw .operationFailed(operation: "lock", path: lockPath, errno: error)
        }
        // swift-system wraps no `flock`.
        guard flock(descriptor.rawValue, LOCK_EX | LOCK_NB) == 0 else {
            let failure = Errno.current
            FileIO.closeQuietly(descriptor)
            unlink(lockPath)
            rmdir(path)
            throw .operationFailed(operation: "lock", path: lockPath, errno: failure)
        }
        Interruption.shared.addScratch(path, lock: descriptor.rawValue)
        return path
    }

    /// Removes a folder made by `create` (best effort) and releases its lock.
    public static func remove(_ path: String) {
        guard let descriptor = Interruption.shared.takeScratch(path) else {
            // The signal thread took it and removes it; or it was never registered.
            return
        }
        Interruption.removeScratch(path, lock: descriptor)
    }

    /// Removes every folder in `parent` named `prefix…` that this user owns, whose owner lock is free (or
    /// missing) and that is older than `abandonedAge`; anything else (links, files, others' folders, folders in
    /// use) is left alone, and failures are ignored, since the sweep only tidies.
    public static func sweep(in parent: String, prefix: String, now: Int = time(nil)) {
        guard let names = try? FileIO.contents(ofDirectory: parent) else { return }
        for name in names where name.hasPrefix(prefix) {
            let path = "\(parent)/\(name)"
            let info: Stat
            do throws(Errno) { info = try FilePath(path).stat(followTargetSymlink: false) } catch { continue }
            guard info.type == .directory, info.userID.rawValue == geteuid(), now - Int(info.st_mtim.tv_sec) >= abandonedAge
            else { continue }
            let lockPath = "\(path)/\(ownerLockName)"
            switch FileIO.kind(of: lockPath) {
            case .regular?:
                guard let lock = try? FileLock.acquireIfFree(lockPath) else { continue }
                do { try FileIO.removeTree(path) } catch {}
                lock.release()
            case nil:
                do { try FileIO.removeTree(path) } catch {}
            case .directory?, .other?:
                continue
            }
        }
    }
}
