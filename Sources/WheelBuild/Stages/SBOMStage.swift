import PurewheelBasics
import RecipeFormat
import WheelModel

/// Describes the repack in `.dist-info/sboms/purewheel.cdx.json` (PEP 770; CycloneDX 1.6 JSON) and keeps every SBOM
/// upstream shipped true: a component that names a file the build removed is taken out (`UpstreamSBOMRewriter`).
///
/// The SBOM holds no time, host or random value: its bytes depend only on the recipe, its files, the upstream wheel and
/// the purewheel version, and its members are written in one fixed order (`JSONValue.text` sorts keys).
public struct SBOMStage: ArchiveStage {
    /// The SBOM's file name under `.dist-info/sboms/`.
    public static let fileName = "purewheel.cdx.json"

    /// Creates the stage.
    public init() {}

    /// Rewrites or drops upstream SBOMs that name removed files, then adds the repack's own SBOM.
    ///
    /// - Throws: `PipelineError` at `.retag`: `.build(.sbomPathTaken)` when upstream already has the SBOM's path, `.fileSystem`
    ///   when a recipe file cannot be read, `.zip` when an upstream SBOM cannot be read, or `.build(.unsafeEntry)`.
    public func run(_ input: RetaggedWheel, archive: borrowing UpstreamArchive, in context: StageContext) throws(PipelineError)
        -> RetaggedWheel
    {
        try inStage(.retag) { () throws(PipelineError.Cause) in
            let contents = input.contents
            let ownPath = "\(input.distInfoDirectory)/sboms/\(Self.fileName)"
            if contents.entry(ownPath) != nil { throw .build(.sbomPathTaken(archive: contents.upstream.path, entry: ownPath)) }
            var removed = [String]()
            for case .dropped(let path, _, _) in contents.changes where contents.entry(path) == nil { removed.append(path) }
            let remaining = contents.entries.map(\.path.rawValue)
            var entries = [WheelEntry]()
            var fates = [UpstreamSBOMRewriter.Fate]()
            for entry in contents.entries {
                guard entry.path.rawValue.hasPrefix("\(input.distInfoDirectory)/sboms/"), !removed.isEmpty else {
                    entries.append(entry)
                    continue
                }
                let bytes = try archive.bytes(of: entry)
                let fate = UpstreamSBOMRewriter(removed: removed, remaining: remaining).rewrite(bytes, path: entry.path.rawValue)
                fates.append(fate)
                switch fate.outcome {
                case .kept: entries.append(entry)
                case .rewritten(let newBytes, _):
                    var changed = entry
                    changed.content = .bytes(newBytes)
                    entries.append(changed)
                case .dropped: continue
                }
            }
            let document = try RepackSBOM(input: input, upstreamSBOMs: fates, context: context).document()
            entries.append(
                WheelEntry(
                    path: try entryPath(ownPath, in: contents.upstream.path), content: .bytes(Array((document.text + "\n").utf8)),
                    isExecutable: false))
            var output = contents
            output.entries = entries
            return RetaggedWheel(
                contents: output, filename: input.filename, distInfoDirectory: input.distInfoDirectory, metadata: input.metadata,
                wheelInfo: input.wheelInfo)
        }
    }
}

/// The repack's own CycloneDX 1.6 document.
///
/// It describes the output version, not the one input file it was built from: every pinned file of an upstream
/// version builds the same files (that is what lets `build` publish one wheel for all of them), so the SBOM names
/// every pinned file of the version as an ancestor, and the recipe's rules for the version on every platform (strip
/// globs, patches, injected files). The provenance statement beside the wheel names the one input that was used.
struct RepackSBOM {
    let input: RetaggedWheel
    let upstreamSBOMs: [UpstreamSBOMRewriter.Fate]
    let context: StageContext

    func document() throws(PipelineError.Cause) -> JSONValue {
        let recipe = context.recipe
        let version = input.filename.version.description
        let purl = Self.purl(name: recipe.output.distribution, version: version)
        var component: [JSONValue.Member] = [
            .init("type", .string("library")), .init("bom-ref", .string(purl)),
            .init("name", .string(ProjectName.normalized(recipe.output.distribution))), .init("version", .string(version)),
            .init("purl", .string(purl)),
            .init("pedigree", .object([.init("ancestors", .array(ancestors()))])),
        ]
        let rules = stripRules()
        if !rules.isEmpty { component.append(.init("properties", .array(rules))) }
        var members: [JSONValue.Member] = [
            .init("bomFormat", .string("CycloneDX")), .init("specVersion", .string("1.6")), .init("version", .integer(1)),
            .init("metadata", .object([.init("tools", Self.tools), .init("component", .object(component))])),
        ]
        // The recipe's files made the wheel but are not in it: CycloneDX's `formulation` describes how a component was
        // made, while top-level `file` components claim to be files of the wheel (and `check` compares those, PW808).
        let files = try recipeFiles()
        if !files.isEmpty {
            members.append(
                .init(
                    "formulation",
                    .array([.object([.init("bom-ref", .string("purewheel:recipe")), .init("components", .array(files))])])))
        }
        let notes = upstreamSBOMs.map { JSONValue.property("purewheel:upstream-sbom", $0.note) }
        if !notes.isEmpty { members.append(.init("properties", .array(notes))) }
        return .object(members)
    }

    /// `metadata.tools` in the CycloneDX 1.5+ form: purewheel as an application.
    private static var tools: JSONValue {
        .object([
            .init(
                "components",
                .array([
                    .object([
                        .init("type", .string("application")), .init("name", .string("purewheel")),
                        .init("version", .string(PurewheelVersion.current)),
                    ])
                ]))
        ])
    }

    /// Every pinned upstream file of the version, by file name (`pkg:pypi/NAME@V?file_name=FILE`, sha256); only the
    /// input itself when it is not pinned (`--allow-unpinned`).
    private func ancestors() -> [JSONValue] {
        let upstream = input.contents.upstream
        var files = [(name: WheelFilename, sha256: SHA256Digest)]()
        if upstream.pinStatus == .pinned,
            let pinned = context.recipe.versions.first(where: { PEP440.areSame($0.version.description, upstream.version) })
        {
            files = pinned.wheels.map { ($0.filename, $0.sha256) }
        }
        if !files.contains(where: { $0.sha256 == upstream.sha256 }) { files = [(upstream.filename, upstream.sha256)] }
        return files.sorted { $0.name.description < $1.name.description }.map { file in
            let purl = Self.purl(name: file.name.project.description, version: upstream.version, fileName: file.name.description)
            return .object([
                .init("type", .string("library")), .init("bom-ref", .string(purl)),
                .init("name", .string(ProjectName.normalized(file.name.project.description))), .init("version", .string(upstream.version)),
                .init("purl", .string(purl)), .init("hashes", .array([Self.hash(file.sha256)])),
            ])
        }
    }

    /// The recipe's strip globs for this version on every platform, as `purewheel:removed` properties.
    ///
    /// Every entry that matches one is left out; a glob of an overlay limited to some platforms names them in brackets.
    private func stripRules() -> [JSONValue] {
        var rules = [JSONValue]()
        for (steps, platforms) in stepsForVersion() {
            for keyed in steps.strip {
                rules.append(.property("purewheel:removed", keyed.glob.pattern + Self.scope(platforms)))
            }
        }
        return rules
    }

    /// The top-level steps, then every overlay that applies to the version, with the platform families it is limited to.
    private func stepsForVersion() -> [(Recipe.Steps, [PlatformFamily]?)] {
        let recipe = context.recipe
        let version = input.contents.upstream.version
        return [(recipe.baseSteps, nil)]
            + recipe.overlays.filter { $0.versions?.matches(version) ?? true }.map { ($0.steps, $0.platforms) }
    }

    private static func scope(_ platforms: [PlatformFamily]?) -> String {
        platforms.map { " [" + $0.map(\.rawValue).joined(separator: ", ") + " only]" } ?? ""
    }

    /// The recipe, its lock, and the patches and injected files of this version on every platform, each with its sha256,
    /// named relative to the recipe's folder (no host path gets into the output).
    private func recipeFiles() throws(PipelineError.Cause) -> [JSONValue] {
        let recipe = context.recipe
        var files: [(role: String, name: String, path: String, extra: [JSONValue])] = [
            ("recipe", Self.fileName(recipe.path), recipe.path, []), ("lock", Self.fileName(recipe.lockPath), recipe.lockPath, []),
        ]
        for (steps, platforms) in stepsForVersion() {
            let scope = platforms.map { [JSONValue.property("purewheel:platforms", $0.map(\.rawValue).joined(separator: ", "))] } ?? []
            for patch in steps.patches { files.append(("patch", patch.relativeFile, patch.file, scope)) }
            for inject in steps.injects {
                let prefix = recipe.directory + "/"
                let relative = inject.file.hasPrefix(prefix) ? String(inject.file.dropFirst(prefix.count)) : inject.file
                files.append(("inject", relative, inject.file, [.property("purewheel:installed-as", inject.path)] + scope))
            }
        }
        var result = [JSONValue]()
        var seen = [String]()
        for file in files where !seen.contains("\(file.role):\(file.name)") {
            seen.append("\(file.role):\(file.name)")
            let bytes: [UInt8]
            do throws(FileSystemError) {
                bytes = try context.readFile(file.path)
            } catch .notFound where file.role == "lock" {
                continue  // a recipe without a lock builds only with --allow-unpinned
            } catch {
                throw .fileSystem(error)
            }
            result.append(
                .object([
                    .init("type", .string("file")), .init("bom-ref", .string("\(file.role):\(file.name)")),
                    .init("name", .string(file.name)), .init("hashes", .array([Self.hash(SHA256Digest.of(bytes))])),
                    .init("properties", .array([.property("purewheel:role", file.role)] + file.extra)),
                ]))
        }
        return result
    }

    private static func fileName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

    private static func hash(_ digest: SHA256Digest) -> JSONValue {
        .object([.init("alg", .string("SHA-256")), .init("content", .string(digest.hex))])
    }

    /// A package URL of type `pypi`.
    ///
    /// The purl spec wants the name lowercased with `_` as `-` (PEP 503 normalized), and the version and qualifier
    /// values percent-encoded.
    static func purl(name: String, version: String, fileName: String? = nil) -> String {
        var purl = "pkg:pypi/\(percentEncoded(ProjectName.normalized(name)))@\(percentEncoded(version))"
        if let fileName { purl += "?file_name=\(percentEncoded(fileName))" }
        return purl
    }

    private static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, scalar.properties.isASCIIHexDigit || Character(scalar).isLetter || "-._~".unicodeScalars.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}

extension JSONValue {
    /// A CycloneDX property (`{"name": …, "value": …}`).
    static func property(_ name: String, _ value: String) -> JSONValue {
        .object([.init("name", .string(name)), .init("value", .string(value))])
    }
}
