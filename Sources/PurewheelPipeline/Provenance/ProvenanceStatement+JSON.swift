import PurewheelBasics

extension ProvenanceStatement {
    /// The statement as the file holds it: JSON with sorted keys, two-space indentation, `"key" : value`, unescaped slashes, and a
    /// trailing newline, so equal statements are equal bytes (see `JSONValue.text`).
    ///
    /// - Returns: UTF-8 bytes.
    public func jsonBytes() -> [UInt8] {
        Array((json.text + "\n").utf8)
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

    /// The statement as a JSON value: `_type`, one subject, the SLSA provenance v1 predicate type and the build definition and run
    /// details.
    package var json: JSONValue {
        let definition: [JSONValue.Member] = [
            JSONValue.Member(Keys.buildType, .string(Self.buildType)),
            JSONValue.Member(Keys.externalParameters, buildDefinition.externalParameters.json),
            JSONValue.Member(
                Keys.internalParameters,
                .object([JSONValue.Member(Keys.upstreamPinned, .bool(buildDefinition.internalParameters.upstreamPinned))])),
            JSONValue.Member(Keys.resolvedDependencies, .array(buildDefinition.resolvedDependencies.map(\.json))),
        ]
        let builder: [JSONValue.Member] = [
            JSONValue.Member(Keys.id, .string(Self.builderID)),
            JSONValue.Member(Keys.version, .object([JSONValue.Member(Keys.purewheel, .string(builderVersion))])),
        ]
        return .object([
            JSONValue.Member(Keys.type, .string(Self.statementType)),
            JSONValue.Member(Keys.subject, .array([subject.json])),
            JSONValue.Member(Keys.predicateType, .string(Self.predicateType)),
            JSONValue.Member(
                Keys.predicate,
                .object([
                    JSONValue.Member(Keys.buildDefinition, .object(definition)),
                    JSONValue.Member(Keys.runDetails, .object([JSONValue.Member(Keys.builder, .object(builder))])),
                ])
            ),
        ])
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

extension ProvenanceStatement.ExternalParameters {
    private typealias Keys = ProvenanceStatement.Keys

    /// The external parameters under their snake_case keys, `revision` and `source_date_epoch` as `null` when unset.
    fileprivate var json: JSONValue {
        .object([
            JSONValue.Member(Keys.recipe, .string(recipe)),
            JSONValue.Member(Keys.upstreamVersion, .string(upstreamVersion)),
            JSONValue.Member(Keys.upstreamWheel, .string(upstreamWheel)),
            JSONValue.Member(Keys.outputDistribution, .string(outputDistribution)),
            JSONValue.Member(Keys.revision, revision.map { JSONValue.integer(Int64($0)) } ?? .null),
            // Written as null when unset, so the key is always present and its absence is never ambiguous.
            JSONValue.Member(Keys.sourceDateEpoch, sourceDateEpoch.map(JSONValue.integer) ?? .null),
        ])
    }
}

extension ResourceDescriptor {
    /// The descriptor: `name`, `uri` when known, and `digest.sha256` as lowercase hex.
    fileprivate var json: JSONValue {
        typealias Keys = ProvenanceStatement.Keys
        var members = [
            JSONValue.Member(Keys.name, .string(name)),
            JSONValue.Member(Keys.digest, .object([JSONValue.Member(Keys.sha256, .string(sha256.hex))])),
        ]
        if let uri { members.append(JSONValue.Member(Keys.uri, .string(uri))) }
        return .object(members)
    }
}
