import Glibc
import PurewheelBasics

/// The plan of one publication, written into the staging folder before the first rename and removed after
/// the last, so that a build killed in between leaves a record the next build uses to put the output folder
/// back as it was (`rollBack`).
///
/// Each file being replaced is first moved aside into the staging folder, the last move's first; then each staged
/// file is renamed onto its name, in order (`renames`). So when every statement's move comes before its wheel's,
/// every wheel in the output folder has its own statement beside it at every moment: an old wheel goes before
/// its old statement, a new wheel comes after its new statement, and a rollback retraces the same states.
///
/// One line per move: `move<TAB>source<TAB>destination<TAB>backup<TAB>identity`, where `source` and `backup` are
/// relative to the staging folder, `destination` is a name in the output folder (the staging folder's parent),
/// `backup` is empty when nothing had the destination's name before, and `identity` is the staged file's
/// `device:inode:size:mtime` (`Identity`). A rename keeps the file's identity, so the identity tells whether a
/// destination still holds the very file this build put there, and not another build's file of the same name
/// and maybe the same bytes.
struct PublishJournal: Sendable, Equatable {
    /// Which file a path names: its device and inode, with its size and modification time so that a recycled
    /// inode number does not pass for the same file.
    struct Identity: Sendable, Hashable {
        /// `st_dev`.
        var device: UInt64
        /// `st_ino`.
        var inode: UInt64
        /// `st_size`.
        var size: Int64
        /// `st_mtim` in nanoseconds since the epoch.
        var modified: Int64

        /// The identity of the regular file at `path` (`lstat(2)`), or `nil` when it is missing or not a
        /// regular file.
        init?(of path: String) {
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_mtim.tv_nsec)
        }

        /// Creates an identity from its recorded parts.
        init(device: UInt64, inode: UInt64, size: Int64, modified: Int64) {
            self.device = device
            self.inode = inode
            self.size = size
            self.modified = modified
        }

        /// `device:inode:size:mtime`.
        var serialized: String { "\(device):\(inode):\(size):\(modified)" }

        /// Parses `serialized`; `nil` for anything else.
        init?(parsing text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 4, let device = UInt64(parts[0]), let inode = UInt64(parts[1]), let size = Int64(parts[2]),
                let modified = Int64(parts[3])
            else { return nil }
            self.init(device: device, inode: inode, size: size, modified: modified)
        }
    }

    /// One rename of a staged file onto its published name.
    struct Move: Sendable, Equatable {
        /// The staged file, relative to the staging folder.
        var source: String
        /// The published name in the output folder.
        var destination: String
        /// Where the file being replaced is moved aside, relative to the staging folder.
        var backup: String?
        /// The staged file's identity, which the destination has once the rename is made.
        var identity: Identity
    }

    /// The journal's file name in the staging folder.
    static let fileName = "publish-journal"

    /// The moves in the order they are made.
    var moves: [Move]

    /// The journal's text.
    func serialized() -> String {
        moves.map { "move\t\($0.source)\t\($0.destination)\t\($0.backup ?? "")\t\($0.identity.serialized)\n" }.joined()
    }

    /// Parses a journal's text.
    ///
    /// - Throws: `PublishError.journalUnreadable` naming the first bad line.
    init(parsing text: String, path: String) throws(PublishError) {
        var moves = [Move]()
        for (index, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5, fields[0] == "move", !fields[1].isEmpty, !fields[2].isEmpty, !fields[2].contains("/"),
                let identity = Identity(parsing: fields[4])
            else {
                throw .journalUnreadable(path: path, line: index + 1)
            }
            moves.append(Move(source: fields[1], destination: fields[2], backup: fields[3].isEmpty ? nil : fields[3], identity: identity))
        }
        self.moves = moves
    }

    /// Creates a journal.
    init(moves: [Move]) { self.moves = moves }

    /// The renames that carry the moves out, in order: each file being replaced to its backup, the last move's
    /// first, then each staged file onto its name.
    func renames(staging: String, output: String) -> [(from: String, to: String)] {
        let aside = moves.reversed().compactMap { move in
            move.backup.map { (from: "\(output)/\(move.destination)", to: "\(staging)/\($0)") }
        }
        return aside + moves.map { (from: "\(staging)/\($0.source)", to: "\(output)/\($0.destination)") }
    }

    /// Undoes whatever part of the renames happened, retracing them: each destination that still is the staged
    /// file (same identity) is removed, the last move's first; then each backup still here goes back to its name,
    /// in order, unless something else has that name now.
    ///
    /// Any other destination is left alone: its move never happened, was undone already (so running this again
    /// after an interruption is safe), or someone published another file under that name since.
    ///
    /// - Throws: `PublishError.fileSystem`.
    func rollBack(staging: String, output: String) throws(PublishError) {
        do throws(FileSystemError) {
            for move in moves.reversed() where Identity(of: "\(output)/\(move.destination)") == move.identity {
                try FileIO.remove("\(output)/\(move.destination)")
            }
            for move in moves {
                guard let backup = move.backup, FileIO.kind(of: "\(staging)/\(backup)") != nil,
                    FileIO.kind(of: "\(output)/\(move.destination)") == nil
                else { continue }
                try FileIO.rename("\(staging)/\(backup)", to: "\(output)/\(move.destination)")
            }
            try FileIO.syncDirectory(output)
        } catch {
            throw .fileSystem(error)
        }
    }
}
