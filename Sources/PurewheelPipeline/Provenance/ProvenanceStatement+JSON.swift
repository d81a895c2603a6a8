import FoundationEssentials
import PurewheelBasics

extension ProvenanceStatement {
    /// The statement as the file holds it: JSON with sorted keys, two-space indentation, `"key" : value`, unescaped slashes, and a
    /// trailing newline, so equal statements are equal bytes.
    ///
    /// Written by hand (`JSONValue`), in the layout Foundation's `JSONEncoder` gave it with `.prettyPrinted`, `.sortedKeys` and
    /// `.withoutEscapingSlashes`: the bytes no longer depend on the Foundation the tool was built with, and a build no longer sets up the
    /// encoder (a millisecond, most of writing the statement).
    ///
    /// - Returns: UTF-8 bytes.
    public func jsonBytes() -> [UInt8] {
        var text = ""
        json.write(into: &text, depth: 0)
        text += "\n"
        return Array(text.utf8)
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

extension ProvenanceStatement: Decodable {
    private enum Keys: String, CodingKey {
        case type = "_type"
        case subject, predicateType, predicate
    }
    private enum PredicateKeys: String, CodingKey { case buildDefinition, runDetails }
    private enum BuildDefinitionKeys: String, CodingKey { case buildType, externalParameters, internalParameters, resolvedDependencies }
    private enum RunDetailsKeys: String, CodingKey { case builder }
    private enum BuilderKeys: String, CodingKey { case id, version }
    private enum BuilderVersionKeys: String, CodingKey { case purewheel }

    /// The statement as a JSON value: `_type`, one subject, the SLSA provenance v1 predicate type and the build definition and run
    /// details.
    fileprivate var json: JSONValue {
        let definition: [(key: String, value: JSONValue)] = [
            (BuildDefinitionKeys.buildType.rawValue, .string(Self.buildType)),
            (BuildDefinitionKeys.externalParameters.rawValue, buildDefinition.externalParameters.json),
            (BuildDefinitionKeys.internalParameters.rawValue, buildDefinition.internalParameters.json),
            (BuildDefinitionKeys.resolvedDependencies.rawValue, .array(buildDefinition.resolvedDependencies.map(\.json))),
        ]
        let builder: [(key: String, value: JSONValue)] = [
            (BuilderKeys.id.rawValue, .string(Self.builderID)),
            (BuilderKeys.version.rawValue, .object([(BuilderVersionKeys.purewheel.rawValue, .string(builderVersion))])),
        ]
        return .object([
            (Keys.type.rawValue, .string(Self.statementType)),
            (Keys.subject.rawValue, .array([subject.json])),
            (Keys.predicateType.rawValue, .string(Self.predicateType)),
            (
                Keys.predicate.rawValue,
                .object([
                    (PredicateKeys.buildDefinition.rawValue, .object(definition)),
                    (PredicateKeys.runDetails.rawValue, .object([(RunDetailsKeys.builder.rawValue, .object(builder))])),
                ])
            ),
        ])
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

extension ProvenanceStatement.ExternalParameters: Decodable {
    private enum Keys: String, CodingKey {
        case recipe
        case upstreamVersion = "upstream_version"
        case upstreamWheel = "upstream_wheel"
        case outputDistribution = "output_distribution"
        case sourceDateEpoch = "source_date_epoch"
    }

    /// The external parameters under their snake_case keys, `source_date_epoch` as `null` when unset.
    fileprivate var json: JSONValue {
        .object([
            (Keys.recipe.rawValue, .string(recipe)),
            (Keys.upstreamVersion.rawValue, .string(upstreamVersion)),
            (Keys.upstreamWheel.rawValue, .string(upstreamWheel)),
            (Keys.outputDistribution.rawValue, .string(outputDistribution)),
            // Written as null when unset, so the key is always present and its absence is never ambiguous.
            (Keys.sourceDateEpoch.rawValue, sourceDateEpoch.map(JSONValue.integer) ?? .null),
        ])
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

extension ProvenanceStatement.InternalParameters: Decodable {
    private enum Keys: String, CodingKey { case upstreamPinned = "upstream_pinned" }

    /// The internal parameters (`upstream_pinned`).
    fileprivate var json: JSONValue { .object([(Keys.upstreamPinned.rawValue, .bool(upstreamPinned))]) }

    /// Reads the internal parameters (`upstream_pinned`).
    ///
    /// - Throws: `DecodingError` for a missing key or a wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        self.init(upstreamPinned: try container.decode(Bool.self, forKey: .upstreamPinned))
    }
}

extension ResourceDescriptor: Decodable {
    private enum Keys: String, CodingKey { case name, uri, digest }
    private enum DigestKeys: String, CodingKey { case sha256 }

    /// The descriptor: `name`, `uri` when known, and `digest.sha256` as lowercase hex.
    fileprivate var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            (Keys.name.rawValue, .string(name)),
            (Keys.digest.rawValue, .object([(DigestKeys.sha256.rawValue, .string(sha256.hex))])),
        ]
        if let uri { members.append((Keys.uri.rawValue, .string(uri))) }
        return .object(members)
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

/// A JSON value as a statement file lays it out (see `ProvenanceStatement.jsonBytes`).
private indirect enum JSONValue {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case null
    case array([JSONValue])
    /// Members in any order: they are written sorted by key.
    case object([(key: String, value: JSONValue)])

    /// Appends the value, nested `depth` levels deep: each array element and object member on its own line, indented two spaces per level,
    /// and an empty array or object as an empty line between its brackets, as `JSONEncoder` wrote them.
    func write(into text: inout String, depth: Int) {
        switch self {
        case .string(let value): Self.writeString(value, into: &text)
        case .integer(let value): text += String(value)
        case .bool(let value): text += value ? "true" : "false"
        case .null: text += "null"
        case .array(let elements):
            Self.writeLines(of: elements, between: "[", "]", into: &text, depth: depth) { element, text in
                element.write(into: &text, depth: depth + 1)
            }
        case .object(let members):
            // Keys are compared as UTF-8 bytes, an order that cannot depend on the locale or Unicode tables.
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            Self.writeLines(of: sorted, between: "{", "}", into: &text, depth: depth) { member, text in
                Self.writeString(member.key, into: &text)
                text += " : "
                member.value.write(into: &text, depth: depth + 1)
            }
        }
    }

    private static func writeLines<Element>(
        of elements: [Element], between open: String, _ close: String, into text: inout String, depth: Int,
        _ writeElement: (Element, inout String) -> Void
    ) {
        let indent = String(repeating: "  ", count: depth + 1)
        text += open + "\n"
        for (index, element) in elements.enumerated() {
            if index > 0 { text += ",\n" }
            text += indent
            writeElement(element, &text)
        }
        text += "\n" + String(repeating: "  ", count: depth) + close
    }

    /// A JSON string (RFC 8259, section 7) escaped as `JSONEncoder` escaped it: quote and backslash, the short escapes `\b \t \n \f \r`,
    /// every other control character as `\u00xx` in lowercase hex; slashes, DEL and non-ASCII text as they are.
    private static func writeString(_ value: String, into text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\u{8}": text += "\\b"
            case "\t": text += "\\t"
            case "\n": text += "\\n"
            case "\u{C}": text += "\\f"
            case "\r": text += "\\r"
            case "\u{0}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
