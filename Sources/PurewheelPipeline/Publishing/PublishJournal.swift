import PurewheelBasics

/// The plan of one publication, written into the staging folder before the first rename and removed after
/// the last, so that a build killed in between leaves a record the next build uses to put the output folder
/// back as it was (`rollBack`).
///
/// One line per move: `move<TAB>source<TAB>destination<TAB>backup`, where `source` and `backup` are relative
/// to the staging folder, `destination` is a name in the output folder (the staging folder's parent), and
/// `backup` is empty when nothing had the destination's name before.
struct PublishJournal: Sendable, Equatable {
    /// One rename of a staged file onto its published name.
    struct Move: Sendable, Equatable {
        /// The staged file, relative to the staging folder.
        var source: String
        /// The published name in the output folder.
        var destination: String
        /// A second name (hard link) of the file being replaced, relative to the staging folder.
        var backup: String?
    }

    /// The journal's file name in the staging folder.
    static let fileName = "publish-journal"

    /// The moves in the order they are made.
    var moves: [Move]

    /// The journal's text.
    func serialized() -> String {
        moves.map { "move\t\($0.source)\t\($0.destination)\t\($0.backup ?? "")\n" }.joined()
    }

    /// Parses a journal's text.
    ///
    /// - Throws: `PublishError.journalUnreadable` naming the first bad line.
    init(parsing text: String, path: String) throws(PublishError) {
        var moves = [Move]()
        for (index, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, fields[0] == "move", !fields[1].isEmpty, !fields[2].isEmpty, !fields[2].contains("/") else {
                throw .journalUnreadable(path: path, line: index + 1)
            }
            moves.append(Move(source: fields[1], destination: fields[2], backup: fields[3].isEmpty ? nil : fields[3]))
        }
        self.moves = moves
    }

    /// Creates a journal.
    init(moves: [Move]) { self.moves = moves }

    /// Undoes whatever part of the moves happened: a staged file that is gone was renamed onto its destination, so the destination gets its
    /// backup back, or is removed when nothing had its name before.
    ///
    /// Moves that never happened leave their destination alone. Running it again after an interruption is safe: every backup is linked
    /// before the first rename, so a missing backup means it is back in place.
    ///
    /// - Throws: `PublishError.fileSystem`.
    func rollBack(staging: String, output: String) throws(PublishError) {
        do throws(FileSystemError) {
            for move in moves.reversed() where FileIO.kind(of: "\(staging)/\(move.source)") == nil {
                let destination = "\(output)/\(move.destination)"
                if let backup = move.backup {
                    if FileIO.kind(of: "\(staging)/\(backup)") != nil { try FileIO.rename("\(staging)/\(backup)", to: destination) }
                } else {
                    try FileIO.remove(destination)
                }
            }
            try FileIO.syncDirectory(output)
        } catch {
            throw .fileSystem(error)
        }
    }
}
