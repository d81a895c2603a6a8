import PurewheelBasics
import ZipInspection

/// PW805–PW811: software bills of materials (PEP 770).
///
/// A wheel ships SBOMs as files in `{name}-{version}.dist-info/sboms/`, listed in RECORD like every other file
/// (an unlisted one is PW403), each a document in a well-known format: CycloneDX or SPDX, as JSON. Each is read
/// whole (bounded by the metadata size limit: a larger one is itself a finding), parsed strictly, and its claims
/// about the wheel's own files are compared with what the content scan computed: a file component (CycloneDX
/// `components[]` of type `file`, SPDX 2 `files[]`, SPDX 3 `software_File`) naming a path of the wheel must have
/// the hashes it claims. Files nested inside another component describe that component (virtualenv's SBOM lists
/// the files of the wheels it bundles), not the wheel, and are not compared.
struct SBOMCheck {
    /// One file an SBOM describes: its path as written and the hashes it claims.
    struct FileClaim {
        var path: String
        /// Algorithm as the SBOM names it, and the hexadecimal digest.
        var hashes: [(algorithm: String, hex: String)]
    }

    /// The format an SBOM document declares.
    enum Format: Equatable {
        case cycloneDX, spdx2, spdx3
    }

    /// Whether `name` is a file in the `sboms/` folder of a top-level `.dist-info` folder (PEP 770).
    static func isSBOMFile(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard let slash = utf8.firstIndex(of: UInt8(ascii: "/")), utf8.last != UInt8(ascii: "/") else { return false }
        let rest = utf8[utf8.index(after: slash)...]
        return rest.starts(with: "sboms/".utf8) && rest.count > 6 && name[..<slash].hasSuffix(".dist-info")
    }

    /// File names SBOM tools write, by suffix, and whole names.
    private static let sbomSuffixes = [".cdx.json", ".cyclonedx.json", ".spdx.json", ".cdx.xml", ".cyclonedx.xml", ".spdx.xml", ".spdx"]
    private static let sbomNames: Set<String> = ["bom.json", "sbom.json", "bom.xml", "sbom.xml"]

    /// Whether the base name of `name` is one SBOM tools write.
    static func looksLikeSBOM(_ name: String) -> Bool {
        // Cheap refusal first (this runs for every entry): every such name ends in `json`, `xml` or `spdx`.
        guard let last = name.utf8.last, [UInt8(ascii: "n"), UInt8(ascii: "l"), UInt8(ascii: "x")].contains(last | 0x20) else {
            return false
        }
        let base = (name.split(separator: "/").last.map(String.init) ?? name).lowercased()
        return sbomNames.contains(base) || sbomSuffixes.contains { base.hasSuffix($0) && base.count > $0.count }
    }

    /// CycloneDX's names for the algorithms purewheel computes (SPDX's are the same without the dash, compared
    /// case-insensitively).
    static let algorithms: [String: HashAlgorithm] = [
        "sha-256": .sha256, "sha-384": .sha384, "sha-512": .sha512, "sha3-256": .sha3x256, "sha3-384": .sha3x384,
        "sha3-512": .sha3x512, "blake2b-512": .blake2b, "sha256": .sha256, "sha384": .sha384, "sha512": .sha512,
    ]

    /// The algorithm an SBOM's algorithm name means, when purewheel computes it.
    static func recordAlgorithm(_ name: String) -> HashAlgorithm? { algorithms[name.lowercased()] }

    func run(_ wheel: WheelSnapshot) -> [Finding] {
        var findings = [Finding]()
        for entry in wheel.entries where !entry.isDirectory {
            if Self.isSBOMFile(entry.name) {
                guard wheel.contentsAvailable else { continue }
                findings += check(entry, in: wheel)
            } else if Self.looksLikeSBOM(entry.name) {
                findings.append(
                    Finding(
                        .sbomOutsideFolder, entry: entry.name, "an SBOM file outside .dist-info/sboms/",
                        expected: "\(wheel.distInfo ?? "{name}-{version}.dist-info")/sboms/", actual: entry.name,
                        hint: "PEP 770 tools read SBOMs only from .dist-info/sboms/"))
            }
        }
        return findings
    }

    private func check(_ entry: WheelEntry, in wheel: WheelSnapshot) -> [Finding] {
        guard let bytes = wheel.smallFile(entry.name) else {
            return [
                Finding(
                    .sbomUnreadable, entry: entry.name, "the SBOM could not be read whole, so it was not checked",
                    expected: "a readable file within the metadata size limit", actual: "\(entry.uncompressedSize) bytes",
                    hint: "an SBOM over 16 MiB cannot be checked here; do not trust what it claims")
            ]
        }
        let document: JSONValue
        do throws(JSONParseError) {
            document = try JSONValue(parsing: bytes)
        } catch {
            return [
                Finding(
                    .sbomMalformed, entry: entry.name, "the SBOM is not valid UTF-8 JSON: \(error.summary)",
                    hint: "PEP 770 SBOMs are JSON documents; rebuild the wheel")
            ]
        }
        guard let format = Self.format(of: document) else {
            return [
                Finding(
                    .sbomUnknownFormat, entry: entry.name, "the SBOM is neither CycloneDX nor SPDX",
                    expected: "\"bomFormat\": \"CycloneDX\", \"spdxVersion\": \"SPDX-2.x\" or an SPDX 3 @context",
                    hint: "SBOM tools will not understand it")
            ]
        }
        return claimFindings(Self.fileClaims(in: document, format: format), sbom: entry.name, in: wheel)
    }

    /// The format `document` declares, if any.
    static func format(of document: JSONValue) -> Format? {
        if document["bomFormat"]?.string == "CycloneDX" { return .cycloneDX }
        if let version = document["spdxVersion"]?.string, version.hasPrefix("SPDX-2") { return .spdx2 }
        let contexts = document["@context"].map { [$0] + ($0.array ?? []) } ?? []
        if contexts.contains(where: { $0.string?.hasPrefix("https://spdx.org/rdf/3") == true }) { return .spdx3 }
        return nil
    }

    /// The files `document` describes as part of the wheel itself.
    static func fileClaims(in document: JSONValue, format: Format) -> [FileClaim] {
        switch format {
        case .cycloneDX:
            return (document["components"]?.array ?? []).compactMap { component in
                guard component["type"]?.string == "file", let name = component["name"]?.string else { return nil }
                let hashes = (component["hashes"]?.array ?? []).compactMap { hash -> (String, String)? in
                    guard let algorithm = hash["alg"]?.string, let content = hash["content"]?.string else { return nil }
                    return (algorithm, content)
                }
                return FileClaim(path: name, hashes: hashes)
            }
        case .spdx2:
            return (document["files"]?.array ?? []).compactMap { file in
                guard let name = file["fileName"]?.string else { return nil }
                let hashes = (file["checksums"]?.array ?? []).compactMap { checksum -> (String, String)? in
                    guard let algorithm = checksum["algorithm"]?.string, let value = checksum["checksumValue"]?.string else { return nil }
                    return (algorithm, value)
                }
                return FileClaim(path: name, hashes: hashes)
            }
        case .spdx3:
            return (document["@graph"]?.array ?? []).compactMap { element in
                guard element["type"]?.string == "software_File", let name = element["name"]?.string else { return nil }
                let hashes = (element["verifiedUsing"]?.array ?? []).compactMap { hash -> (String, String)? in
                    guard hash["type"]?.string == "Hash", let algorithm = hash["algorithm"]?.string, let value = hash["hashValue"]?.string
                    else { return nil }
                    return (algorithm, value)
                }
                return FileClaim(path: name, hashes: hashes)
            }
        }
    }

    /// The wheel path a claim names: SPDX writes `./path`.
    static func wheelPath(_ claimed: String) -> String {
        claimed.hasPrefix("./") ? String(claimed.dropFirst(2)) : claimed
    }

    /// The algorithms besides SHA-256 that the SBOMs among `smallFiles` claim per wheel path, so the scanner computes them.
    static func strongAlgorithms(in smallFiles: [String: [UInt8]]) -> [String: StrongAlgorithms] {
        var out = [String: StrongAlgorithms]()
        for (name, bytes) in smallFiles where isSBOMFile(name) && mentionsStrongHash(bytes) {
            guard let document = try? JSONValue(parsing: bytes), let format = format(of: document) else { continue }
            for claim in fileClaims(in: document, format: format) {
                for hash in claim.hashes {
                    guard let algorithm = recordAlgorithm(hash.algorithm), algorithm != .sha256 else { continue }
                    out[wheelPath(claim.path), default: []].insert(StrongAlgorithms(algorithm))
                }
            }
        }
        return out
    }

    /// Whether an SBOM may name an algorithm besides SHA-256 that purewheel computes, found by a byte search
    /// (ASCII case folded): almost every SBOM names SHA-256 only, and is then parsed once, not twice.
    static func mentionsStrongHash(_ bytes: [UInt8]) -> Bool {
        let needles = ["sha-384", "sha-512", "sha384", "sha512", "sha3", "blake2b"].map { Array($0.utf8) }
        let s = UInt8(ascii: "s")
        let b = UInt8(ascii: "b")
        for start in bytes.indices where bytes[start] | 0x20 == s || bytes[start] | 0x20 == b {
            for needle in needles where bytes.count - start >= needle.count {
                if zip(bytes[start..<start + needle.count], needle).allSatisfy({ $0 | 0x20 == $1 || $0 == $1 }) { return true }
            }
        }
        return false
    }

    private func claimFindings(_ claims: [FileClaim], sbom: String, in wheel: WheelSnapshot) -> [Finding] {
        var findings = [Finding]()
        var missing = [String]()
        for claim in claims {
            let path = Self.wheelPath(claim.path)
            guard let entry = wheel.entry(named: path), !entry.isDirectory else {
                missing.append(claim.path)
                continue
            }
            // Unread entries (limits, unsupported methods, read errors) have their own findings.
            guard let scan = wheel.scans[entry.index], scan.isFullyDecoded, !claim.hashes.isEmpty else { continue }
            var verified = false
            for hash in claim.hashes {
                guard let algorithm = Self.recordAlgorithm(hash.algorithm) else { continue }
                let actual = algorithm == .sha256 ? scan.sha256?.bytes : scan.strongDigests[algorithm]
                guard let actual else { continue }
                verified = true
                let actualHex = actual.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
                guard actualHex != hash.hex.lowercased() else { continue }
                findings.append(
                    Finding(
                        .sbomHashMismatch, entry: sbom, "the SBOM's \(hash.algorithm) hash of \(path) does not match the file",
                        expected: hash.hex, actual: actualHex,
                        hint: "the SBOM describes other bytes than the wheel ships; rebuild the wheel"))
            }
            if !verified {
                findings.append(
                    Finding(
                        .sbomUnverifiableHash, entry: sbom,
                        "the SBOM claims hashes of \(path) only in algorithms purewheel does not compute",
                        actual: claim.hashes.map(\.algorithm).joined(separator: ", ")))
            }
        }
        if !missing.isEmpty {
            findings.append(
                Finding(
                    .sbomNamesMissingFile, entry: sbom, "the SBOM lists \(missing.count) files the wheel does not contain",
                    actual: missing.prefix(3).joined(separator: ", ") + (missing.count > 3 ? ", ..." : ""),
                    hint: "the SBOM may describe another build"))
        }
        return findings
    }
}
