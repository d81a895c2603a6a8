import FoundationEssentials
import PurewheelBasics

extension ProvenanceStatement {
    /// The statement as the file holds it: `JSONEncoder`'s pretty layout with sorted keys (two-space indentation,
    /// `"key" : value`), unescaped slashes, and a trailing newline, so equal statements are equal bytes.
    ///
    /// - Returns: UTF-8 bytes.
    public func jsonBytes() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
        } catch {
            // Only a non-finite float fails to encode, and a statement holds strings, integers, booleans and null.
            preconditionFailure("a provenance statement did not encode: \(error)")
        }
    }

    /// Reads a statement that purewheel wrote, strictly: what is read is everything the file says, so that
    /// `verify-provenance` can compare all of it with a rebuild.
    ///
    /// Refused: text that is not JSON (RFC 8259), a key given twice in one object, a missing or unknown key, a value of
    /// another type, another kind of statement, more than one subject, a negative `source_date_epoch`, two
    /// dependencies of one name, a missing upstream or recipe entry, and a recipe or dependency path that is
    /// absolute or climbs out of its folder. Nothing is read from disk.
    ///
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - path: the file, for errors.
    /// - Returns: the statement.
    /// - Throws: `ProvenanceError.malformedStatement` naming the key path and the problem.
    public static func decode(_ bytes: [UInt8], path: String) throws(ProvenanceError) -> ProvenanceStatement {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            switch error {
            case .syntax(let reason, let line, let column):
                throw .malformedStatement(path: path, keyPath: "", problem: .notJSON(reason: reason, line: line, column: column))
            case .duplicateKey(let keyPath, let name, _, _):
                throw .malformedStatement(path: path, keyPath: keyPath, problem: .duplicateKey(name))
            }
        }
        return try StatementReader(path: path).statement(value)
    }

    /// The statement as a JSON value, read back from its own bytes, so that comparing two statements compares
    /// what their files hold.
    package var json: JSONValue {
        do {
            return try JSONValue(parsing: jsonBytes())
        } catch {
            preconditionFailure("JSONEncoder wrote a statement that is not JSON: \(error)")
        }
    }

    /// Why `path` cannot name a file below a folder (the recipe's, or the repository's), or `nil` when it can:
    /// relative, without `..`, `.` or empty components, and without NUL.
    ///
    /// - Parameter path: a recorded recipe path or dependency name.
    /// - Returns: the reason, phrased to follow the path in a message.
    package static func unsafePathReason(_ path: String) -> String? {
        if path.isEmpty { return "is empty" }
        if path.hasPrefix("/") { return "is an absolute path" }
        if path.unicodeScalars.contains("\u{0}") { return "holds a NUL character" }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains("..") { return "climbs out of its folder with '..'" }
        if components.contains(where: { $0.isEmpty || $0 == "." }) { return "has an empty or '.' component" }
        return nil
    }

    /// The key names of the statement, as written and read.
    enum Keys {
        static let type = "_type"
        static let subject = "subject"
        static let predicateType = "predicateType"
        static let predicate = "predicate"
        static let buildDefinition = "buildDefinition"
        static let runDetails = "runDetails"
        static let buildType = "buildType"
        static let externalParameters = "externalParameters"
        static let internalParameters = "internalParameters"
        static let resolvedDependencies = "resolvedDependencies"
        static let builder = "builder"
        static let id = "id"
        static let version = "version"
        static let purewheel = "purewheel"
        static let upstreamPinned = "upstream_pinned"
        static let recipe = "recipe"
        static let upstreamVersion = "upstream_version"
        static let upstreamWheel = "upstream_wheel"
        static let outputDistribution = "output_distribution"
        static let revision = "revision"
        static let sourceDateEpoch = "source_date_epoch"
        static let name = "name"
        static let uri = "uri"
        static let digest = "digest"
        static let sha256 = "sha256"
    }
}

extension ProvenanceStatement: Encodable {
    /// Writes `_type`, one subject, the SLSA provenance v1 predicate type and the build definition and run details.
    ///
    /// - Throws: what the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var statement = encoder.container(keyedBy: Key.self)
        try statement.encode(Self.statementType, forKey: Key(Keys.type))
        try statement.encode([subject], forKey: Key(Keys.subject))
        try statement.encode(Self.predicateType, forKey: Key(Keys.predicateType))
        var predicate = statement.nestedContainer(keyedBy: Key.self, forKey: Key(Keys.predicate))
        var definition = predicate.nestedContainer(keyedBy: Key.self, forKey: Key(Keys.buildDefinition))
        try definition.encode(Self.buildType, forKey: Key(Keys.buildType))
        try definition.encode(buildDefinition.externalParameters, forKey: Key(Keys.externalParameters))
        var internalParameters = definition.nestedContainer(keyedBy: Key.self, forKey: Key(Keys.internalParameters))
        try internalParameters.encode(buildDefinition.internalParameters.upstreamPinned, forKey: Key(Keys.upstreamPinned))
        try definition.encode(buildDefinition.resolvedDependencies, forKey: Key(Keys.resolvedDependencies))
        var runDetails = predicate.nestedContainer(keyedBy: Key.self, forKey: Key(Keys.runDetails))
        var builder = runDetails.nestedContainer(keyedBy: Key.self, forKey: Key(Keys.builder))
        try builder.encode(Self.builderID, forKey: Key(Keys.id))
        var version = builder.nestedContainer(keyedBy: Key.self, forKey: Key(Keys.version))
        try version.encode(builderVersion, forKey: Key(Keys.purewheel))
    }

    /// A key of the statement, named by `Keys`.
    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.init(stringValue) }
        init?(intValue: Int) { nil }
    }
}

extension ProvenanceStatement.ExternalParameters: Encodable {
    private typealias Keys = ProvenanceStatement.Keys
    private typealias Key = ProvenanceStatement.Key

    /// Writes the external parameters under their snake_case keys, `revision` and `source_date_epoch` as `null` when unset.
    ///
    /// - Throws: what the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(recipe, forKey: Key(Keys.recipe))
        try container.encode(upstreamVersion, forKey: Key(Keys.upstreamVersion))
        try container.encode(upstreamWheel, forKey: Key(Keys.upstreamWheel))
        try container.encode(outputDistribution, forKey: Key(Keys.outputDistribution))
        // Written as null when unset, so the key is always present and its absence is never ambiguous.
        try container.encode(revision, forKey: Key(Keys.revision))
        try container.encode(sourceDateEpoch, forKey: Key(Keys.sourceDateEpoch))
    }
}

extension ResourceDescriptor: Encodable {
    /// Writes `name`, `uri` when known, and `digest.sha256` as lowercase hex.
    ///
    /// - Throws: what the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        typealias Keys = ProvenanceStatement.Keys
        typealias Key = ProvenanceStatement.Key
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(name, forKey: Key(Keys.name))
        var digest = container.nestedContainer(keyedBy: Key.self, forKey: Key(Keys.digest))
        try digest.encode(sha256.hex, forKey: Key(Keys.sha256))
        try container.encodeIfPresent(uri, forKey: Key(Keys.uri))
    }
}
