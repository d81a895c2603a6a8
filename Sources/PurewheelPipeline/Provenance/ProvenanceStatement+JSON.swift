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
    fileprivate enum Keys {
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
        static let sourceDateEpoch = "source_date_epoch"
        static let name = "name"
        static let uri = "uri"
        static let digest = "digest"
        static let sha256 = "sha256"
    }
}

extension ProvenanceStatement.ExternalParameters {
    private typealias Keys = ProvenanceStatement.Keys

    /// The external parameters under their snake_case keys, `source_date_epoch` as `null` when unset.
    fileprivate var json: JSONValue {
        .object([
            JSONValue.Member(Keys.recipe, .string(recipe)),
            JSONValue.Member(Keys.upstreamVersion, .string(upstreamVersion)),
            JSONValue.Member(Keys.upstreamWheel, .string(upstreamWheel)),
            JSONValue.Member(Keys.outputDistribution, .string(outputDistribution)),
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

/// Reads a parsed statement, naming the key path of the first thing it refuses.
private struct StatementReader {
    typealias Keys = ProvenanceStatement.Keys
    let path: String

    func statement(_ value: JSONValue) throws(ProvenanceError) -> ProvenanceStatement {
        let root = try object(value, at: "", keys: [Keys.type, Keys.subject, Keys.predicateType, Keys.predicate])
        try fixed(root[Keys.type], ProvenanceStatement.statementType, at: Keys.type)
        let subjects = try array(root[Keys.subject], at: Keys.subject)
        guard subjects.count == 1 else { throw fail(Keys.subject, .invalidValue("expected one subject, found \(subjects.count)")) }
        let subject = try descriptor(subjects[0], at: "subject[0]")
        if let reason = fileNameReason(subject.name) { throw fail("subject[0].name", .invalidValue("the wheel's name \(reason)")) }
        try fixed(root[Keys.predicateType], ProvenanceStatement.predicateType, at: Keys.predicateType)
        let predicate = try object(root[Keys.predicate], at: Keys.predicate, keys: [Keys.buildDefinition, Keys.runDetails])
        let definition = try buildDefinition(predicate[Keys.buildDefinition], at: "predicate.buildDefinition")
        let details = try object(predicate[Keys.runDetails], at: "predicate.runDetails", keys: [Keys.builder])
        let builder = try object(details[Keys.builder], at: "predicate.runDetails.builder", keys: [Keys.id, Keys.version])
        try fixed(builder[Keys.id], ProvenanceStatement.builderID, at: "predicate.runDetails.builder.id")
        let version = try object(builder[Keys.version], at: "predicate.runDetails.builder.version", keys: [Keys.purewheel])
        return ProvenanceStatement(
            subject: subject, buildDefinition: definition,
            builderVersion: try string(version[Keys.purewheel], at: "predicate.runDetails.builder.version.purewheel"))
    }

    private func buildDefinition(_ value: JSONValue?, at keyPath: String) throws(ProvenanceError) -> ProvenanceStatement.BuildDefinition {
        let definition = try object(
            value, at: keyPath, keys: [Keys.buildType, Keys.externalParameters, Keys.internalParameters, Keys.resolvedDependencies])
        try fixed(definition[Keys.buildType], ProvenanceStatement.buildType, at: "\(keyPath).buildType")
        let external = try externalParameters(definition[Keys.externalParameters], at: "\(keyPath).externalParameters")
        let internalPath = "\(keyPath).internalParameters"
        let internalMembers = try object(definition[Keys.internalParameters], at: internalPath, keys: [Keys.upstreamPinned])
        let pinned = try bool(internalMembers[Keys.upstreamPinned], at: "\(internalPath).upstream_pinned")
        let dependencies = try resolvedDependencies(
            definition[Keys.resolvedDependencies], at: "\(keyPath).resolvedDependencies", parameters: external)
        return ProvenanceStatement.BuildDefinition(
            externalParameters: external, internalParameters: ProvenanceStatement.InternalParameters(upstreamPinned: pinned),
            resolvedDependencies: dependencies)
    }

    private func externalParameters(_ value: JSONValue?, at keyPath: String) throws(ProvenanceError)
        -> ProvenanceStatement.ExternalParameters
    {
        let parameters = try object(
            value, at: keyPath,
            keys: [Keys.recipe, Keys.upstreamVersion, Keys.upstreamWheel, Keys.outputDistribution, Keys.sourceDateEpoch])
        let recipe = try string(parameters[Keys.recipe], at: "\(keyPath).recipe")
        if let reason = ProvenanceStatement.unsafePathReason(recipe) {
            throw fail("\(keyPath).recipe", .invalidValue("the recipe path \(recipe) \(reason)"))
        }
        let wheel = try string(parameters[Keys.upstreamWheel], at: "\(keyPath).upstream_wheel")
        if let reason = fileNameReason(wheel) {
            throw fail("\(keyPath).upstream_wheel", .invalidValue("the upstream wheel's name \(reason)"))
        }
        return ProvenanceStatement.ExternalParameters(
            recipe: recipe, upstreamVersion: try string(parameters[Keys.upstreamVersion], at: "\(keyPath).upstream_version"),
            upstreamWheel: wheel, outputDistribution: try string(parameters[Keys.outputDistribution], at: "\(keyPath).output_distribution"),
            sourceDateEpoch: try epoch(parameters[Keys.sourceDateEpoch], at: "\(keyPath).source_date_epoch"))
    }

    /// The dependencies: one entry per name, the upstream wheel and the recipe among them, and every other
    /// name a path inside the recipe's folder.
    private func resolvedDependencies(_ value: JSONValue?, at keyPath: String, parameters: ProvenanceStatement.ExternalParameters)
        throws(ProvenanceError) -> [ResourceDescriptor]
    {
        var dependencies: [ResourceDescriptor] = []
        var names = Set<String>()
        for (index, element) in try array(value, at: keyPath).enumerated() {
            let dependency = try descriptor(element, at: "\(keyPath)[\(index)]")
            guard names.insert(dependency.name).inserted else {
                // A reader that checks only the first entry of a name would leave the second unchecked.
                throw fail("\(keyPath)[\(index)].name", .invalidValue("a second entry named \(dependency.name)"))
            }
            if dependency.name != parameters.upstreamWheel, let reason = ProvenanceStatement.unsafePathReason(dependency.name) {
                throw fail("\(keyPath)[\(index)].name", .invalidValue("the recipe-side file \(dependency.name) \(reason)"))
            }
            dependencies.append(dependency)
        }
        guard names.contains(parameters.upstreamWheel) else {
            throw fail(keyPath, .invalidValue("the upstream wheel \(parameters.upstreamWheel) is not listed"))
        }
        let recipeName = String(parameters.recipe.split(separator: "/").last ?? "")
        guard names.contains(recipeName), recipeName != parameters.upstreamWheel else {
            throw fail(keyPath, .invalidValue("the recipe \(recipeName) is not listed"))
        }
        return dependencies
    }

    /// Reads a descriptor: `name`, `digest` holding only `sha256`, and an optional `uri`.
    private func descriptor(_ value: JSONValue, at keyPath: String) throws(ProvenanceError) -> ResourceDescriptor {
        let members = try object(value, at: keyPath, keys: [Keys.name, Keys.digest], optional: [Keys.uri])
        // Other digest algorithms are allowed by in-toto, but purewheel checks only sha256: it accepts no digest it would not check.
        let digest = try object(members[Keys.digest], at: "\(keyPath).digest", keys: [Keys.sha256])
        let hex = try string(digest[Keys.sha256], at: "\(keyPath).digest.sha256")
        guard let sha256 = SHA256Digest(hex: hex) else {
            throw fail("\(keyPath).digest.sha256", .invalidValue("'\(hex)' is not 64 hexadecimal digits"))
        }
        let uri = try members[Keys.uri].map { (value) throws(ProvenanceError) in try string(value, at: "\(keyPath).uri") }
        return ResourceDescriptor(name: try string(members[Keys.name], at: "\(keyPath).name"), uri: uri, sha256: sha256)
    }

    /// `null`, or a whole number of seconds that is not negative and fits in 64 bits, as `SOURCE_DATE_EPOCH` allows.
    private func epoch(_ value: JSONValue?, at keyPath: String) throws(ProvenanceError) -> Int64? {
        switch value {
        case .null?: return nil
        case .number(let literal)?:
            guard literal.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let seconds = Int64(literal) else {
                throw fail(
                    keyPath, .invalidValue("expected null or a non-negative whole number of seconds that fits in 64 bits, found \(literal)")
                )
            }
            return seconds
        default: throw wrongType(value, expected: "null or a number", at: keyPath)
        }
    }

    /// The members of an object by name, once every key in `keys` is present and no key outside `keys` and `optional` is.
    private func object(_ value: JSONValue?, at keyPath: String, keys: [String], optional: [String] = []) throws(ProvenanceError)
        -> [String: JSONValue]
    {
        guard case .object(let members)? = value else { throw wrongType(value, expected: "an object", at: keyPath) }
        var byName: [String: JSONValue] = [:]
        var unknown: [String] = []
        for member in members {
            // Names are matched scalar by scalar: Swift's `==` would also match a canonically equivalent spelling that other readers
            // treat as another key (U+212A KELVIN SIGN for "K").
            if let known = (keys + optional).first(where: { $0.unicodeScalars.elementsEqual(member.key.unicodeScalars) }) {
                byName[known] = member.value
            } else {
                unknown.append(member.key)
            }
        }
        for key in keys where byName[key] == nil { throw fail(join(keyPath, key), .missingKey) }
        if let key = unknown.first { throw fail(join(keyPath, key), .unknownKey) }
        return byName
    }

    private func array(_ value: JSONValue?, at keyPath: String) throws(ProvenanceError) -> [JSONValue] {
        guard case .array(let elements)? = value else { throw wrongType(value, expected: "an array", at: keyPath) }
        return elements
    }

    private func string(_ value: JSONValue?, at keyPath: String) throws(ProvenanceError) -> String {
        guard case .string(let text)? = value else { throw wrongType(value, expected: "a string", at: keyPath) }
        return text
    }

    private func bool(_ value: JSONValue?, at keyPath: String) throws(ProvenanceError) -> Bool {
        guard case .bool(let flag)? = value else { throw wrongType(value, expected: "a boolean", at: keyPath) }
        return flag
    }

    /// A fixed string field (`_type`, `predicateType`, `buildType`, `builder.id`) must hold exactly `expected`.
    private func fixed(_ value: JSONValue?, _ expected: String, at keyPath: String) throws(ProvenanceError) {
        let found = try string(value, at: keyPath)
        guard found.unicodeScalars.elementsEqual(expected.unicodeScalars) else {
            throw fail(keyPath, .invalidValue("expected \(expected), found \(found)"))
        }
    }

    private func fileNameReason(_ name: String) -> String? {
        if name.contains("/") { return "\(name) holds a '/'" }
        return ProvenanceStatement.unsafePathReason(name).map { "\(name) \($0)" }
    }

    private func wrongType(_ value: JSONValue?, expected: String, at keyPath: String) -> ProvenanceError {
        guard let value else { return fail(keyPath, .missingKey) }
        return fail(keyPath, .wrongType(expected: expected, found: value.kind))
    }

    private func fail(_ keyPath: String, _ problem: ProvenanceError.Problem) -> ProvenanceError {
        .malformedStatement(path: path, keyPath: keyPath, problem: problem)
    }

    private func join(_ keyPath: String, _ key: String) -> String {
        keyPath.isEmpty ? key : "\(keyPath).\(key)"
    }
}

extension ProvenanceStatement {
    /// One field where two statements differ: its key path and the two values as JSON.
    public struct Difference: Sendable, Hashable {
        /// Where (`predicate.buildDefinition.externalParameters.upstream_version`).
        public var keyPath: String
        /// This statement's value, as JSON (`"9.9"`, `null`, `an entry named "x"`, `nothing`).
        public var recorded: String
        /// The other statement's value, in the same form.
        public var rebuilt: String
    }

    /// The first field, in the file's key order, where this statement and `rebuilt` differ, or `nil` when they hold the same.
    ///
    /// Strings are compared scalar by scalar, as their bytes in the file would be, not by Swift's canonical equivalence.
    ///
    /// - Parameter rebuilt: the statement a build from the same inputs records.
    /// - Returns: the difference, or `nil`.
    public func firstDifference(from rebuilt: ProvenanceStatement) -> Difference? {
        Self.difference(json, rebuilt.json, at: "")
    }

    private static func difference(_ recorded: JSONValue, _ rebuilt: JSONValue, at keyPath: String) -> Difference? {
        switch (recorded, rebuilt) {
        case (.object(let left), .object(let right)):
            let keys = Set((left + right).map { Array($0.key.unicodeScalars) }).sorted {
                $0.lexicographicallyPrecedes($1) { $0.value < $1.value }
            }
            for key in keys {
                let name = String(String.UnicodeScalarView(key))
                let path = keyPath.isEmpty ? name : "\(keyPath).\(name)"
                let a = left.first { $0.key.unicodeScalars.elementsEqual(key) }?.value
                let b = right.first { $0.key.unicodeScalars.elementsEqual(key) }?.value
                if let a, let b {
                    if let found = difference(a, b, at: path) { return found }
                } else if a != nil || b != nil {
                    return Difference(keyPath: path, recorded: summary(a), rebuilt: summary(b))
                }
            }
            return nil
        case (.array(let left), .array(let right)):
            for index in 0..<max(left.count, right.count) {
                let path = "\(keyPath)[\(index)]"
                guard index < left.count, index < right.count else {
                    return Difference(
                        keyPath: path, recorded: summary(index < left.count ? left[index] : nil),
                        rebuilt: summary(index < right.count ? right[index] : nil))
                }
                if let found = difference(left[index], right[index], at: path) { return found }
            }
            return nil
        default:
            return recorded.text.unicodeScalars.elementsEqual(rebuilt.text.unicodeScalars)
                ? nil : Difference(keyPath: keyPath, recorded: summary(recorded), rebuilt: summary(rebuilt))
        }
    }

    /// A value as a one-line message shows it: scalars as JSON, a descriptor by its name.
    private static func summary(_ value: JSONValue?) -> String {
        switch value {
        case nil: return "nothing"
        case .object(let members)?:
            if case .string(let name)? = members.first(where: { $0.key == Keys.name })?.value {
                return "an entry named \(JSONValue.string(name).text)"
            }
            return "an object"
        case .array?: return "an array"
        case let scalar?: return scalar.text
        }
    }
}
