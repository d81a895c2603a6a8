import FoundationEssentials
import PurewheelBasics
import WheelModel
import ZipInspection

/// How `check` names an entry whose stored name is not valid UTF-8; `compare` names files the same way.
public typealias EntryNameText = ZipInspection.EntryNameText

/// One archive entry as the checks see it, from the raw central directory.
///
/// Held for every entry until the checks end, so its wide fields come first (64 bytes, no padding) and the name is held once.
struct WheelEntry: Sendable, Hashable {
    var index: Int
    var name: String
    /// The name's bytes when they are not valid UTF-8 (`name` then has replacement characters); otherwise empty, as `name.utf8` is
    /// those bytes.
    var undecodedName: [UInt8]
    var compressedSize: UInt64
    var uncompressedSize: UInt64
    var unixMode: UInt32?
    var method: UInt16
    var isValidUTF8: Bool
    var hasUTF8Flag: Bool
    var isEncrypted: Bool
    /// Whether the name is all ASCII: then byte comparisons agree with `String`'s canonical equivalence and
    /// `Character` boundaries, and the checks may work on `name.utf8` directly.
    var isASCII: Bool

    var isDirectory: Bool { name.hasSuffix("/") }

    /// The name's bytes as stored.
    var rawName: RawName { RawName(name: name, undecoded: undecodedName, isValidUTF8: isValidUTF8) }

    init(_ entry: CentralEntry) {
        index = entry.index
        name = entry.name
        undecodedName = entry.undecodedName
        isValidUTF8 = entry.isValidUTF8
        hasUTF8Flag = entry.flags & ZipFlags.utf8Name != 0
        unixMode = entry.unixMode
        method = entry.method
        isEncrypted = entry.flags & (ZipFlags.encrypted | ZipFlags.strongEncryption) != 0
        compressedSize = entry.compressedSize
        uncompressedSize = entry.uncompressedSize
        isASCII = entry.rawName.withBytes { $0.allSatisfy { $0 < 0x80 } }
    }

    init(index: Int, name: String, unixMode: UInt32?, method: UInt16, isEncrypted: Bool, compressedSize: UInt64, uncompressedSize: UInt64) {
        self.index = index
        self.name = name
        self.undecodedName = []
        self.isValidUTF8 = true
        self.hasUTF8Flag = true
        self.unixMode = unixMode
        self.method = method
        self.isEncrypted = isEncrypted
        self.compressedSize = compressedSize
        self.uncompressedSize = uncompressedSize
        self.isASCII = name.utf8.allSatisfy { $0 < 0x80 }
    }
}

/// Everything the rule checks look at: the file name, the entries, the small metadata files and the results of streaming every entry.
///
/// Built once per wheel by `WheelChecker`.
struct WheelSnapshot: Sendable {
    /// The path as given.
    var path: String
    /// The file name, when it parses (PEP 427).
    var filename: WheelFilename?
    /// Entries in central directory order.
    let entries: [WheelEntry]
    /// Whether libzip opened the archive, so contents were read at all.
    var contentsAvailable: Bool
    /// Small files read whole, by entry name: RECORD, WHEEL, METADATA, top_level.txt of each `.dist-info`.
    var smallFiles: [String: [UInt8]]
    /// Streaming results by entry index; missing for entries that were not read (limits, unsupported).
    var scans: ScanTable
    /// Position in `entries` of the first entry with each name, so every lookup by name is O(1).
    private let positions: [String: Int]
    /// For each position in `entries`, the position of the first entry with the same name.
    private let firstPositions: [Int]

    init(
        path: String, filename: WheelFilename?, entries: [WheelEntry], contentsAvailable: Bool, smallFiles: [String: [UInt8]],
        scans: ScanTable
    ) {
        self.path = path
        self.filename = filename
        self.entries = entries
        self.contentsAvailable = contentsAvailable
        self.smallFiles = smallFiles
        self.scans = scans
        var positions = [String: Int](minimumCapacity: entries.count)
        var firstPositions = [Int]()
        firstPositions.reserveCapacity(entries.count)
        // One hash per entry: the defaulted subscript inserts this position only when the name is new.
        func current(_ first: inout Int) -> Int { first }
        for (position, entry) in entries.enumerated() { firstPositions.append(current(&positions[entry.name, default: position])) }
        self.positions = positions
        self.firstPositions = firstPositions
        var directories = Set<String>()
        for entry in entries {
            guard let slash = entry.name.utf8.firstIndex(of: UInt8(ascii: "/")) else { continue }
            let top = entry.name[..<slash]
            if top.hasSuffix(".dist-info") { directories.insert(String(top)) }
        }
        distInfoDirectories = directories.sorted()
    }

    /// The top-level `*.dist-info` folder names, sorted (computed once: several checks ask).
    let distInfoDirectories: [String]

    /// The single `.dist-info` folder the checks use: the one matching the file name, else the only one.
    var distInfo: String? {
        let all = distInfoDirectories
        if let filename, let match = all.first(where: { DistInfoName.matches($0, filename) }) { return match }
        return all.count == 1 ? all[0] : all.first
    }

    /// The bytes of `name` when it was read whole.
    func smallFile(_ name: String) -> [UInt8]? { smallFiles[name] }

    /// The entry called `name`, first by index.
    func entry(named name: String) -> WheelEntry? { positions[name].map { entries[$0] } }

    /// The position in `entries` of the first entry called `name`.
    func position(named name: String) -> Int? { positions[name] }

    /// The position of the first entry with the same name as the entry at `position`.
    func firstPosition(of position: Int) -> Int { firstPositions[position] }
}

/// How `.dist-info` names relate to the wheel file name.
enum DistInfoName {
    /// Whether `directory` is `{name}-{version}.dist-info` for the file name, comparing names by PEP 503 and
    /// versions by PEP 440 (`1.0.0-beta.1` is `1.0.0b1`, escaped as `1.0.0_beta.1` in file names).
    static func matches(_ directory: String, _ filename: WheelFilename) -> Bool {
        guard directory.hasSuffix(".dist-info") else { return false }
        let stem = String(directory.dropLast(".dist-info".count))
        guard let dash = stem.lastIndex(of: "-") else { return false }
        let name = String(stem[..<dash])
        let version = String(stem[stem.index(after: dash)...])
        return ProjectName.normalized(name) == ProjectName.normalized(filename.distribution)
            && PEP440.areSame(version, filename.version)
    }
}
