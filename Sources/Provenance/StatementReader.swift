import PurewheelBasics

/// Reads a parsed statement, naming the key path of the first thing it refuses.
struct StatementReader {
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
            keys: [Keys.recipe, Keys.upstreamVersion, Keys.upstreamWheel, Keys.outputDistribution, Keys.revision, Keys.sourceDateEpoch])
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
            revision: try revision(parameters[Keys.revision], at: "\(keyPath).revision"),
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

    /// `null`, or a whole number from 1 up, as a recipe's `revision` allows.
    private func revision(_ value: JSONValue?, at keyPath: String) throws(ProvenanceError) -> Int? {
        switch value {
        case .null?: return nil
        case .number(let literal)?:
            // Spelled as the writer spells it (no sign, no leading zero), so the value read is all the file says.
            guard let revision = Int(literal), revision >= 1, String(revision) == literal else {
                throw fail(keyPath, .invalidValue("expected null or a whole number from 1 up, found \(literal)"))
            }
            return revision
        default: throw wrongType(value, expected: "null or a number", at: keyPath)
        }
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
