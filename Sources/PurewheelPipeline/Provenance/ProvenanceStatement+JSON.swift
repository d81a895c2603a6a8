import Foundation
import PurewheelBasics

extension ProvenanceStatement {
    /// The statement as the file holds it: JSON with sorted keys, two-space indentation, unescaped slashes,
    /// and a trailing newline, so equal statements are equal bytes.
    ///
    /// - Returns: UTF-8 bytes.
    /// - Throws: `InternalError` if Foundation cannot encode strings and integers (a bug).
    public func jsonBytes() throws(InternalError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
        } catch {
            throw InternalError("provenance statement does not encode: \(type(of: error))")
        }
    }

    /// Reads a statement that purewheel wrote.
    ///
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - path: the file, for errors.
    /// - Returns: the statement.
    /// - Throws: `ProvenanceError.malformedStatement` naming the key path, for anything that is not JSON, lacks
    ///   a key, has a wrong type, or is another kind of statement than a purewheel SLSA provenance v1.
    public static func decode(_ bytes: [UInt8], path: String) throws(ProvenanceError) -> ProvenanceStatement {
        do {
            return try JSONDecoder().decode(ProvenanceStatement.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw malformed(error, path: path)
        } catch {
            throw .malformedStatement(path: path, keyPath: "", problem: .notJSON)
        }
    }

    private static func malformed(_ error: DecodingError, path: String) -> ProvenanceError {
        switch error {
        case .keyNotFound(let key, let context):
            return .malformedStatement(path: path, keyPath: keyPath(context.codingPath + [key]), problem: .missingKey)
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return .malformedStatement(path: path, keyPath: keyPath(context.codingPath), problem: .wrongType)
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .malformedStatement(path: path, keyPath: "", problem: .notJSON)
        case .dataCorrupted(let context):
            // Only this file's own validation throws `dataCorrupted` below the root, with its own reason text.
            return .malformedStatement(path: path, keyPath: keyPath(context.codingPath), problem: .invalidValue(context.debugDescription))
        @unknown default:
            return .malformedStatement(path: path, keyPath: "", problem: .notJSON)
        }
    }

    /// `predicate.buildDefinition.resolvedDependencies[2].digest`.
    private static func keyPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }
}

extension ProvenanceStatement: Codable {
    private enum Keys: String, CodingKey {
        case type = "_type"
        case subject, predicateType, predicate
    }
    private enum PredicateKeys: String, CodingKey { case buildDefinition, runDetails }
    private enum BuildDefinitionKeys: String, CodingKey { case buildType, externalParameters, internalParameters, resolvedDependencies }
    private enum RunDetailsKeys: String, CodingKey { case builder }
    private enum BuilderKeys: String, CodingKey { case id, version }
    private enum BuilderVersionKeys: String, CodingKey { case purewheel }

    /// Writes the in-toto statement: `_type`, one subject, the SLSA provenance v1 predicate type and the build definition and run details.
    ///
    /// - Throws: `EncodingError` when the encoder rejects a value.
    public func encode(to encoder: any Encoder) throws {
        var root = encoder.container(keyedBy: Keys.self)
        try root.encode(Self.statementType, forKey: .type)
        try root.encode([subject], forKey: .subject)
        try root.encode(Self.predicateType, forKey: .predicateType)
        var predicate = root.nestedContainer(keyedBy: PredicateKeys.self, forKey: .predicate)
        var definition = predicate.nestedContainer(keyedBy: BuildDefinitionKeys.self, forKey: .buildDefinition)
        try definition.encode(Self.buildType, forKey: .buildType)
        try definition.encode(buildDefinition.externalParameters, forKey: .externalParameters)
        try definition.encode(buildDefinition.internalParameters, forKey: .internalParameters)
        try definition.encode(buildDefinition.resolvedDependencies, forKey: .resolvedDependencies)
        var details = predicate.nestedContainer(keyedBy: RunDetailsKeys.self, forKey: .runDetails)
        var builder = details.nestedContainer(keyedBy: BuilderKeys.self, forKey: .builder)
        try builder.encode(Self.builderID, forKey: .id)
        var version = builder.nestedContainer(keyedBy: BuilderVersionKeys.self, forKey: .version)
        try version.encode(builderVersion, forKey: .purewheel)
    }

    /// Reads an in-toto statement purewheel wrote, with exactly one subject and purewheel's predicate type, build type and builder.
    ///
    /// - Throws: `DecodingError` for a missing key, a wrong type, several subjects or another kind of statement.
    public init(from decoder: any Decoder) throws {
        let root = try decoder.container(keyedBy: Keys.self)
        try Self.expect(Self.statementType, in: root, forKey: .type)
        let subjects = try root.decode([ResourceDescriptor].self, forKey: .subject)
        guard subjects.count == 1, let subject = subjects.first else {
            throw DecodingError.dataCorruptedError(
                forKey: .subject, in: root, debugDescription: "expected one subject, found \(subjects.count)")
        }
        try Self.expect(Self.predicateType, in: root, forKey: .predicateType)
        let predicate = try root.nestedContainer(keyedBy: PredicateKeys.self, forKey: .predicate)
        let definition = try predicate.nestedContainer(keyedBy: BuildDefinitionKeys.self, forKey: .buildDefinition)
        try Self.expect(Self.buildType, in: definition, forKey: .buildType)
        let details = try predicate.nestedContainer(keyedBy: RunDetailsKeys.self, forKey: .runDetails)
        let builder = try details.nestedContainer(keyedBy: BuilderKeys.self, forKey: .builder)
        try Self.expect(Self.builderID, in: builder, forKey: .id)
        let version = try builder.nestedContainer(keyedBy: BuilderVersionKeys.self, forKey: .version)
        self.init(
            subject: subject,
            buildDefinition: BuildDefinition(
                externalParameters: try definition.decode(ExternalParameters.self, forKey: .externalParameters),
                internalParameters: try definition.decode(InternalParameters.self, forKey: .internalParameters),
                resolvedDependencies: try definition.decode([ResourceDescriptor].self, forKey: .resolvedDependencies)
            ),
            builderVersion: try version.decode(String.self, forKey: .purewheel)
        )
    }

    /// A fixed string field (`_type`, `predicateType`, `buildType`, `builder.id`) must hold exactly `expected`.
    private static func expect<K: CodingKey>(_ expected: String, in container: KeyedDecodingContainer<K>, forKey key: K) throws {
        let found = try container.decode(String.self, forKey: key)
        guard found == expected else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "expected \(expected), found \(found)")
        }
    }
}

extension ProvenanceStatement.ExternalParameters: Codable {
    private enum Keys: String, CodingKey {
        case recipe
        case upstreamVersion = "upstream_version"
        case upstreamWheel = "upstream_wheel"
        case outputDistribution = "output_distribution"
        case sourceDateEpoch = "source_date_epoch"
    }

    /// Writes the external parameters under their snake_case keys, `source_date_epoch` as `null` when unset.
    ///
    /// - Throws: `EncodingError` when the encoder rejects a value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(recipe, forKey: .recipe)
        try container.encode(upstreamVersion, forKey: .upstreamVersion)
        try container.encode(upstreamWheel, forKey: .upstreamWheel)
        try container.encode(outputDistribution, forKey: .outputDistribution)
        // Written as null when unset, so the key is always present and its absence is never ambiguous.
        if let sourceDateEpoch {
            try container.encode(sourceDateEpoch, forKey: .sourceDateEpoch)
        } else {
            try container.encodeNil(forKey: .sourceDateEpoch)
        }
    }

    /// Reads the external parameters; `source_date_epoch` must be present, as a number or `null`.
    ///
    /// - Throws: `DecodingError` for a missing key or a wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        guard container.contains(.sourceDateEpoch) else {
            throw DecodingError.keyNotFound(
                Keys.sourceDateEpoch, DecodingError.Context(codingPath: container.codingPath, debugDescription: "missing"))
        }
        self.init(
            recipe: try container.decode(String.self, forKey: .recipe),
            upstreamVersion: try container.decode(String.self, forKey: .upstreamVersion),
            upstreamWheel: try container.decode(String.self, forKey: .upstreamWheel),
            outputDistribution: try container.decode(String.self, forKey: .outputDistribution),
            sourceDateEpoch: try container.decodeNil(forKey: .sourceDateEpoch)
                ? nil : try container.decode(Int64.self, forKey: .sourceDateEpoch)
        )
    }
}

extension ProvenanceStatement.InternalParameters: Codable {
    private enum Keys: String, CodingKey { case upstreamPinned = "upstream_pinned" }

    /// Writes the internal parameters (`upstream_pinned`).
    ///
    /// - Throws: `EncodingError` when the encoder rejects a value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(upstreamPinned, forKey: .upstreamPinned)
    }

    /// Reads the internal parameters (`upstream_pinned`).
    ///
    /// - Throws: `DecodingError` for a missing key or a wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        self.init(upstreamPinned: try container.decode(Bool.self, forKey: .upstreamPinned))
    }
}

extension ResourceDescriptor: Codable {
    private enum Keys: String, CodingKey { case name, uri, digest }
    private enum DigestKeys: String, CodingKey { case sha256 }

    /// Writes the descriptor: `name`, `uri` when known, and `digest.sha256` as lowercase hex.
    ///
    /// - Throws: `EncodingError` when the encoder rejects a value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(uri, forKey: .uri)
        var digest = container.nestedContainer(keyedBy: DigestKeys.self, forKey: .digest)
        try digest.encode(sha256.hex, forKey: .sha256)
    }

    /// Reads a descriptor; other digest algorithms than sha256 are ignored.
    ///
    /// - Throws: `DecodingError` for a missing key, a wrong type, or a sha256 that is not 64 hexadecimal digits.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        // Other digest algorithms are allowed by in-toto and ignored: purewheel pins and checks sha256.
        let digest = try container.nestedContainer(keyedBy: DigestKeys.self, forKey: .digest)
        let hex = try digest.decode(String.self, forKey: .sha256)
        guard let sha256 = SHA256Digest(hex: hex) else {
            throw DecodingError.dataCorruptedError(forKey: .sha256, in: digest, debugDescription: "'\(hex)' is not 64 hexadecimal digits")
        }
        self.init(
            name: try container.decode(String.self, forKey: .name), uri: try container.decodeIfPresent(String.self, forKey: .uri),
            sha256: sha256)
    }
}
