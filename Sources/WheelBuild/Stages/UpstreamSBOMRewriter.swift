import PurewheelBasics

/// Keeps an upstream SBOM (PEP 770, `.dist-info/sboms/`) from claiming files the recipe removed.
///
/// A CycloneDX component is gone when any of its text values is a removed entry's path or file name. An SBOM written
/// by a wheel-repair tool (auditwheel) names the libraries it grafted into `<name>.libs/` by their OS packages, not
/// their paths; its components besides the wheel itself are those libraries, so they are gone when the build removed
/// that folder whole, and the SBOM is dropped when only part of it went (which component is which cannot be told).
/// An SBOM that is not CycloneDX JSON cannot be checked and is dropped. Every decision is a note in the repack's SBOM.
struct UpstreamSBOMRewriter {
    /// Paths of entries the build removed.
    let removed: [String]
    /// Paths of every entry that remains.
    let remaining: [String]

    /// What happened to one upstream SBOM.
    struct Fate: Sendable, Hashable {
        /// Its entry path in the output's `.dist-info`.
        let path: String
        /// Kept, rewritten or dropped.
        let outcome: Outcome

        /// The note the repack's SBOM carries about it.
        var note: String {
            switch outcome {
            case .kept: return "\(path): kept (names no removed file)"
            case .rewritten(_, let names): return "\(path): rewritten without \(names.joined(separator: ", ")) (removed by the recipe)"
            case .dropped(let reason): return "\(path): dropped (\(reason))"
            }
        }
    }

    /// The three outcomes.
    enum Outcome: Sendable, Hashable {
        /// Unchanged bytes.
        case kept
        /// New bytes, and the names (or bom-refs) of the components taken out.
        case rewritten([UInt8], removedComponents: [String])
        /// Left out of the output, and why.
        case dropped(reason: String)
    }

    /// Decides the fate of the SBOM `bytes` found at `path`.
    func rewrite(_ bytes: [UInt8], path: String) -> Fate {
        let unreadable = Fate(path: path, outcome: .dropped(reason: "not CycloneDX JSON, so purewheel cannot tell what it claims"))
        let document: JSONValue
        do throws(JSONParseError) { document = try JSONValue(parsing: bytes) } catch { return unreadable }
        guard case .object(var members) = document, members.first(where: { $0.key == "bomFormat" })?.value == .string("CycloneDX") else {
            return unreadable
        }
        let root = Self.rootReference(members)
        guard case .array(let components)? = members.first(where: { $0.key == "components" })?.value else {
            return Fate(path: path, outcome: .kept)
        }
        var gone = Set<Int>()
        for (index, component) in components.enumerated() where Self.strings(in: component).contains(where: isRemoved) {
            gone.insert(index)
        }
        if Self.isRepairToolSBOM(members) {
            let grafted = { (entry: String) in entry.split(separator: "/").first?.hasSuffix(".libs") == true }
            let graftedLeft = remaining.contains(where: grafted)
            if removed.contains(where: grafted) {
                guard !graftedLeft else {
                    return Fate(
                        path: path,
                        outcome: .dropped(
                            reason: "it names grafted libraries of which the recipe removed only some; which ones cannot be told"))
                }
                for (index, component) in components.enumerated() where Self.reference(component) != root { gone.insert(index) }
            }
        }
        guard !gone.isEmpty else { return Fate(path: path, outcome: .kept) }
        let goneReferences = gone.sorted().compactMap { Self.reference(components[$0]) }
        let names = gone.sorted().map { Self.label(components[$0]) }
        let kept = components.enumerated().filter { !gone.contains($0.offset) }.map(\.element)
        for index in members.indices {
            switch members[index].key {
            case "components": members[index].value = .array(kept)
            case "dependencies": members[index].value = Self.pruned(members[index].value, removing: goneReferences)
            default: continue
            }
        }
        return Fate(path: path, outcome: .rewritten(Array((JSONValue.object(members).text + "\n").utf8), removedComponents: names))
    }

    private func isRemoved(_ text: String) -> Bool {
        removed.contains { $0 == text || $0.split(separator: "/").last.map(String.init) == text }
    }

    /// Whether `metadata.tools` names auditwheel (CycloneDX 1.4 array form, or 1.5+ `tools.components`).
    private static func isRepairToolSBOM(_ members: [JSONValue.Member]) -> Bool {
        guard case .object(let metadata)? = members.first(where: { $0.key == "metadata" })?.value,
            let tools = metadata.first(where: { $0.key == "tools" })?.value
        else { return false }
        var list = [JSONValue]()
        switch tools {
        case .array(let items): list = items
        case .object(let fields):
            if case .array(let items)? = fields.first(where: { $0.key == "components" })?.value { list = items }
        default: break
        }
        return list.contains { tool in
            guard case .object(let fields) = tool, case .string(let name)? = fields.first(where: { $0.key == "name" })?.value else {
                return false
            }
            return name.lowercased() == "auditwheel"
        }
    }

    private static func rootReference(_ members: [JSONValue.Member]) -> String? {
        guard case .object(let metadata)? = members.first(where: { $0.key == "metadata" })?.value,
            let component = metadata.first(where: { $0.key == "component" })?.value
        else { return nil }
        return reference(component)
    }

    private static func reference(_ component: JSONValue) -> String? {
        guard case .object(let fields) = component, case .string(let ref)? = fields.first(where: { $0.key == "bom-ref" })?.value else {
            return nil
        }
        return ref
    }

    private static func label(_ component: JSONValue) -> String {
        guard case .object(let fields) = component else { return "a component" }
        for key in ["purl", "name", "bom-ref"] {
            if case .string(let value)? = fields.first(where: { $0.key == key })?.value { return value }
        }
        return "a component"
    }

    /// Every string value inside `value`, depth first.
    private static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): return [text]
        case .array(let items): return items.flatMap { strings(in: $0) }
        case .object(let members): return members.flatMap { strings(in: $0.value) }
        case .number, .bool, .null: return []
        }
    }

    /// `dependencies` without entries for `references` and without them in any `dependsOn`.
    private static func pruned(_ dependencies: JSONValue, removing references: [String]) -> JSONValue {
        guard case .array(let items) = dependencies else { return dependencies }
        var result = [JSONValue]()
        for item in items {
            guard case .object(var fields) = item else {
                result.append(item)
                continue
            }
            if case .string(let ref)? = fields.first(where: { $0.key == "ref" })?.value, references.contains(ref) { continue }
            for index in fields.indices where fields[index].key == "dependsOn" {
                if case .array(let refs) = fields[index].value {
                    fields[index].value = .array(
                        refs.filter { if case .string(let ref) = $0 { return !references.contains(ref) } else { return true } })
                }
            }
            result.append(.object(fields))
        }
        return .array(result)
    }
}
