import FoundationEssentials
import WheelChecks

/// `check --format jsonl`: one JSON object per line, written as each wheel is done, so that a killed or sharded run
/// keeps every wheel it finished and `merge-reports` can combine shards (docs/check-json.md).
///
/// The first line describes the run (`RunLine`); every further line is one wheel, the same object as an element of the
/// JSON document's `wheels` array. Keys are sorted and absent values are null, as in the document.
enum CheckJSONLines {
    /// The `type` of the first line, which tells a run line from a wheel.
    static let runType = "purewheel-check-run"

    /// The `type` of the last line, written when the run finishes: an output without it was cut short.
    static let endType = "purewheel-check-end"

    /// What a run was configured with: the effective options that decide which findings a wheel gets and how severe
    /// they are, so that `merge-reports` refuses shards checked differently.
    struct Settings: Encodable, Sendable, Hashable {
        /// The rule profile.
        let profile: CheckProfile
        /// Selected codes or prefixes, or `nil` for every code.
        let select: [String]?
        /// Ignored codes or prefixes.
        let ignore: [String]
        /// The resource limits.
        let limits: ResourceLimits
        /// The allowed `.pth` digests.
        let allowStartupCode: [String]

        enum Keys: String, CodingKey {
            case profile, select, ignore
            case maxEntries = "max_entries"
            case maxEntrySize = "max_entry_size"
            case maxTotalSize = "max_total_size"
            case maxRatio = "max_ratio"
            case allowStartupCode = "allow_startup_code"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(profile.rawValue, forKey: .profile)
            try container.encode(select, forKey: .select)
            try container.encode(ignore, forKey: .ignore)
            try container.encode(limits.maxEntries, forKey: .maxEntries)
            try container.encode(limits.maxEntrySize, forKey: .maxEntrySize)
            try container.encode(limits.maxTotalSize, forKey: .maxTotalSize)
            try container.encode(limits.maxCompressionRatio, forKey: .maxRatio)
            try container.encode(allowStartupCode.sorted(), forKey: .allowStartupCode)
        }
    }

    /// The first line: schema version, configuration file, settings and shard.
    struct RunLine: Encodable {
        let configuration: String?
        let settings: Settings
        let shard: CheckShard?

        enum Keys: String, CodingKey {
            case configuration, settings, shard, type
            case schemaVersion = "schema_version"
        }
        enum ShardKeys: String, CodingKey { case index, count }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(configuration, forKey: .configuration)
            try container.encode(CheckReportRenderer.schemaVersion, forKey: .schemaVersion)
            try container.encode(settings, forKey: .settings)
            if let shard {
                var nested = container.nestedContainer(keyedBy: ShardKeys.self, forKey: .shard)
                try nested.encode(shard.index, forKey: .index)
                try nested.encode(shard.count, forKey: .count)
            } else {
                try container.encodeNil(forKey: .shard)
            }
            try container.encode(CheckJSONLines.runType, forKey: .type)
        }
    }

    /// The run line, final line feed included.
    static func runLine(_ run: RunLine) -> String { line(run) }

    /// One wheel's line, final line feed included.
    static func wheelLine(_ report: CheckReport) -> String { line(CheckReportRenderer.jsonElement(report)) }

    /// The last line, counting the wheel lines before it, final line feed included.
    static func endLine(wheelLines: Int) -> String { "{\"type\":\"\(endType)\",\"wheels\":\(wheelLines)}\n" }

    private static func line(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, numbers, booleans and nulls cannot fail to encode; a compact encoding has no line break inside.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
