import Glibc
import PurewheelBasics
import SystemPackage
import WheelBuild
import WheelChecks
import WheelModel
import ZipIO
import ZipInspection

/// How two wheels differ, file by file: what `purewheel compare` reports, for example for two platform wheels of one upstream version.
///
/// RECORD and its signatures are left out (they differ whenever anything else does), and `.dist-info` entries are matched by their name
/// inside the folder, since the folder names may differ.
public struct WheelComparison: Sendable {
    /// One difference.
    public enum Difference: Sendable, Hashable {
        /// Only in the first wheel.
        case onlyInFirst(String)
        /// Only in the second wheel.
        case onlyInSecond(String)
        /// Content differs; `lineEndingsOnly` when the two are equal after CRLF → LF.
        case contentDiffers(String, firstSize: UInt64, secondSize: UInt64, lineEndingsOnly: Bool)
        /// Same content, different executable bit.
        case modeDiffers(String)
    }

    /// The differences in path order.
    public let differences: [Difference]
    /// How many entries were compared.
    public let comparedCount: Int

    /// Compares two wheel files; `ignoring` drops matching paths from both sides.
    ///
    /// Each path must be a regular file, as for `check`: a FIFO is refused before anything opens it (it would block),
    /// a folder before libzip calls it an unsupported operation. Entries are matched by their stored name bytes and
    /// named as `check` names them (`EntryNameText`), never by libzip's CP437 guess.
    ///
    /// - Throws: `PublishError.fileSystem` with `.notFound` or `.notRegularFile`, or `PublishError.zip` for a wheel that cannot be
    ///   read.
    public static func compare(
        _ first: String, _ second: String, ignoring: [(String) -> Bool] = []
    ) throws(PublishError) -> WheelComparison {
        try requireRegularFile(first)
        try requireRegularFile(second)
        do {
            return try compareArchives(first, second, ignoring: ignoring)
        } catch {
            throw .zip(error)
        }
    }

    private static func requireRegularFile(_ path: String) throws(PublishError) {
        do {
            close(try FileIO.openRegularFile(path))
        } catch .operationFailed(_, _, .isDirectory) {
            throw .fileSystem(.notRegularFile(path: path, kind: .folder))
        } catch {
            throw .fileSystem(error)
        }
    }

    private static func compareArchives(_ first: String, _ second: String, ignoring: [(String) -> Bool]) throws(ZipError)
        -> WheelComparison
    {
        try ZipReader.withArchive(atPath: first) { a throws(ZipError) in
            try ZipReader.withArchive(atPath: second) { b throws(ZipError) in
                let left = try index(a, ignoring: ignoring)
                let right = try index(b, ignoring: ignoring)
                var differences = [Difference]()
                let keys = Set(left.keys).union(right.keys).sorted { $0.lexicographicallyPrecedes($1) }
                for key in keys {
                    switch (left[key], right[key]) {
                    case (let x?, let y?):
                        let path = x.path
                        let (x, y) = (x.entry, y.entry)
                        if x.crc32 == y.crc32 && x.uncompressedSize == y.uncompressedSize {
                            let (dx, dy) = (try a.digest(x).digest, try b.digest(y).digest)
                            if dx == dy {
                                if x.isExecutable != y.isExecutable { differences.append(.modeDiffers(path)) }
                                continue
                            }
                        }
                        let bx = try a.read(x)
                        let by = try b.read(y)
                        if bx == by {
                            if x.isExecutable != y.isExecutable { differences.append(.modeDiffers(path)) }
                            continue
                        }
                        let endings = lf(bx) == lf(by)
                        differences.append(
                            .contentDiffers(path, firstSize: x.uncompressedSize, secondSize: y.uncompressedSize, lineEndingsOnly: endings))
                    case (let x?, nil): differences.append(.onlyInFirst(x.path))
                    case (nil, let y?): differences.append(.onlyInSecond(y.path))
                    case (nil, nil): break
                    }
                }
                return WheelComparison(differences: differences, comparedCount: keys.count)
            }
        }
    }

    /// The entries by matching key: the stored name bytes, with a `.dist-info` folder's name replaced by `{dist-info}`.
    private static func index(_ reader: ZipReader, ignoring: [(String) -> Bool]) throws(ZipError) -> [[UInt8]: (
        path: String, entry: ZipEntry
    )] {
        var result = [[UInt8]: (path: String, entry: ZipEntry)]()
        for entry in reader.entries where !entry.isDirectory {
            let raw = try reader.rawName(of: entry)
            let name = EntryNameText.decoded(raw)
            var key = raw
            var path = name
            if let slash = raw.firstIndex(of: UInt8(ascii: "/")), raw[..<slash].suffix(10).elementsEqual(".dist-info".utf8) {
                let inner = raw[(slash + 1)...]
                if Record.unhashedFiles.contains(EntryNameText.decoded(inner)) { continue }
                key = Array("{dist-info}/".utf8) + inner
                path = "{dist-info}/" + EntryNameText.decoded(inner)
            }
            if ignoring.contains(where: { $0(name) }) { continue }
            result[key] = (path, entry)
        }
        return result
    }

    private static func lf(_ bytes: [UInt8]) -> [UInt8] { NormalizeNewlinesStage.lf(bytes) }
}
