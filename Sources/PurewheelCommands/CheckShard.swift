import ArgumentParser
import PurewheelBasics
import WheelModel

/// `check --shard K/N`: the part of a list of wheels that shard `K` of `N` checks, so that a CI matrix splits a corpus
/// without any job seeing another's list.
///
/// A wheel's shard depends only on its file name, never on its folder, the order of the arguments or the machine:
/// the first eight bytes of the SHA-256 of a key, read big-endian, modulo `N`, plus one. The key is the project the
/// file name names (`project:` and the normalized name), so that every wheel of a release lands in the same shard and
/// the release rules (PW646, PW647) see them together, and so that a CI job can tell from a list of project names
/// which ones to download for its shard (docs/check.md). A name that does not parse as a wheel's is its own key
/// (`file:` and the name).
struct CheckShard: Sendable, Hashable, ExpressibleByArgument, CustomStringConvertible {
    /// Which shard, from 1.
    let index: Int
    /// How many shards.
    let count: Int

    /// The most shards a run may be split into: far more than a CI matrix has jobs.
    static let maximumCount = 65_536

    /// Reads `K/N` with `1 ≤ K ≤ N ≤ maximumCount`; `nil` (a usage error, 64) otherwise.
    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let index = Int(parts[0]), let count = Int(parts[1]), 1 <= index, index <= count, count <= Self.maximumCount
        else { return nil }
        self.init(index: index, count: count)
    }

    /// A shard with known bounds.
    init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// `K/N`.
    var description: String { "\(index)/\(count)" }

    /// Whether the wheel at `path` belongs to this shard.
    func contains(path: String) -> Bool { Self.shard(ofPath: path, count: count) == index }

    /// The shard (from 1) of the wheel at `path` among `count`.
    static func shard(ofPath path: String, count: Int) -> Int {
        let digest = SHA256Digest.of(Array(key(ofPath: path).utf8)).bytes
        let number = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int(number % UInt64(count)) + 1
    }

    /// What decides the shard: `project:<normalized name>` for a wheel file name, else `file:<file name>`.
    static func key(ofPath path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        if let filename = try? WheelFilename(parsing: name) { return "project:\(filename.project.normalizedName)" }
        return "file:\(name)"
    }
}
