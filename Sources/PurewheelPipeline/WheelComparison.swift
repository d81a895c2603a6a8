import PurewheelBasics
import WheelModel
import ZipIO

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
    /// - Throws: `ZipError.notFound` for a missing file, other `ZipError`s for a wheel that cannot be read.
    public static func compare(_ first: String, _ second: String, ignoring: [(String) -> Bool] = []) throws(ZipError) -> WheelComparison {
        try ZipReader.withArchive(atPath: first) { a throws(ZipError) in
            try ZipReader.withArchive(atPath: second) { b throws(ZipError) in
                let left = index(a, ignoring: ignoring)
                let right = index(b, ignoring: ignoring)
                var differences = [Difference]()
                let paths = Set(left.keys).union(right.keys).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                for path in paths {
                    switch (left[path], right[path]) {
                    case (let x?, let y?):
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
                    case (_?, nil): differences.append(.onlyInFirst(path))
                    case (nil, _?): differences.append(.onlyInSecond(path))
                    case (nil, nil): break
                    }
                }
                return WheelComparison(differences: differences, comparedCount: paths.count)
            }
        }
    }

    private static func index(_ reader: ZipReader, ignoring: [(String) -> Bool]) -> [String: ZipEntry] {
        var result = [String: ZipEntry]()
        for entry in reader.entries where !entry.isDirectory {
            var key = entry.name
            let first = key.split(separator: "/", maxSplits: 1)
            if first.count == 2, first[0].hasSuffix(".dist-info") {
                let inner = String(first[1])
                if Record.unhashedFiles.contains(inner) { continue }
                key = "{dist-info}/\(inner)"
            }
            if ignoring.contains(where: { $0(entry.name) }) { continue }
            result[key] = entry
        }
        return result
    }

    private static func lf(_ bytes: [UInt8]) -> [UInt8] { NormalizeNewlinesStage.lf(bytes) }
}
