import FoundationEssentials
import WheelModel

/// PW514–PW517: the file name's tags against the platforms PyPI accepts, and PEP 825 (Draft) variant wheels: the label after the
/// platform tag and `.dist-info/variant.json`.
enum TagRules {
    static func run(_ wheel: WheelSnapshot) -> [Finding] {
        guard let filename = wheel.filename else { return [] }
        var findings = [Finding]()
        var seen = Set<String>()
        for platform in filename.platformTag.split(separator: ".").map({ String($0) }) where seen.insert(platform).inserted {
            guard !IndexPlatforms.accepts(platform) else { continue }
            findings.append(
                Finding(
                    .platformTagNotOnIndexList, "the platform tag is not one PyPI accepts", actual: platform,
                    hint: "PyPI takes manylinux/musllinux, macOS, Windows, iOS, Android and pyemscripten tags of known architectures"))
        }
        if let label = filename.variantLabel {
            findings.append(
                Finding(
                    .variantWheel, "the file name carries a PEP 825 variant label, which no index accepts yet", actual: label,
                    hint: "PEP 825 is a draft: installers without variant support refuse the name; publish a non-variant wheel too"))
            findings += variantMetadataFindings(wheel, label: label)
        }
        return findings
    }

    /// `variant.json` of a variant wheel: present, JSON of PEP 825's structure, names in its alphabet, and `variants` holding exactly
    /// the file name's label.
    private static func variantMetadataFindings(_ wheel: WheelSnapshot, label: String) -> [Finding] {
        guard let distInfo = wheel.distInfo, wheel.contentsAvailable else { return [] }
        let name = "\(distInfo)/variant.json"
        guard wheel.entry(named: name) != nil, let bytes = wheel.smallFile(name) else {
            return [
                Finding(
                    .variantMetadataMalformed, entry: name, "a variant wheel has no variant.json",
                    hint: "PEP 825: every variant wheel holds .dist-info/variant.json")
            ]
        }
        let metadata: VariantMetadata
        do {
            metadata = try JSONDecoder().decode(VariantMetadata.self, from: Data(bytes))
        } catch {
            return [
                Finding(
                    .variantMetadataMalformed, entry: name, "variant.json is not JSON of the PEP 825 structure",
                    expected: "$schema, default-priorities.namespace, variants.<label>.<namespace>.<feature>: [values]",
                    hint: "regenerate it with the tool that built the variant")
            ]
        }
        var findings = [Finding]()
        if let problem = metadata.problem {
            findings.append(Finding(.variantMetadataMalformed, entry: name, "variant.json: \(problem)"))
        }
        let labels = metadata.variants.keys.sorted()
        if labels != [label] {
            findings.append(
                Finding(
                    .variantLabelMismatch, entry: name, "variant.json's variants do not hold exactly the file name's label",
                    expected: label, actual: labels.isEmpty ? "(none)" : labels.joined(separator: ", ")))
        }
        return findings
    }
}

/// `variant.json` as PEP 825 (format 0.0.x) lays it out.
struct VariantMetadata: Decodable {
    /// Features by name, each with its values.
    typealias Features = [String: [String]]

    struct Priorities: Decodable {
        var namespace: [String]
        var feature: [String: [String]]?
        var property: [String: [String: [String]]]?
    }

    var schema: String
    var defaultPriorities: Priorities
    var variants: [String: [String: Features]]

    enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case defaultPriorities = "default-priorities"
        case variants
    }

    /// The first rule of PEP 825 the content breaks, in words; `nil` when it keeps them all.
    var problem: String? {
        let namespaces = variants.values.flatMap(\.keys).sorted()
        for namespace in namespaces where !Self.isName(namespace, allowingDot: false) {
            return "namespace '\(namespace)' is not [a-z0-9_]+"
        }
        for features in variants.values.flatMap(\.values) {
            for (feature, values) in features.sorted(by: { $0.key < $1.key }) {
                if !Self.isName(feature, allowingDot: false) { return "feature '\(feature)' is not [a-z0-9_]+" }
                if let value = values.first(where: { !Self.isName($0, allowingDot: true) }) {
                    return "value '\(value)' of '\(feature)' is not [a-z0-9_.]+"
                }
            }
        }
        if let missing = namespaces.first(where: { !defaultPriorities.namespace.contains($0) }) {
            return "default-priorities.namespace does not list '\(missing)'"
        }
        return nil
    }

    static func isName(_ text: String, allowingDot: Bool) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy {
                (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x5F || (allowingDot && $0 == 0x2E)
            }
    }
}

/// The platform tags PyPI accepts (warehouse `warehouse/forklift/legacy.py` `_valid_platform_tag`), matched as its patterns match:
/// anchored at the start only, an architecture taken greedily, the tag lowercased first as `packaging` does.
enum IndexPlatforms {
    static let fixed: Set<String> = [
        "any", "win32", "win_arm64", "win_amd64", "win_ia64", "manylinux1_x86_64", "manylinux1_i686", "manylinux2010_x86_64",
        "manylinux2010_i686", "manylinux2014_x86_64", "manylinux2014_i686", "manylinux2014_aarch64", "manylinux2014_armv7l",
        "manylinux2014_ppc64", "manylinux2014_ppc64le", "manylinux2014_s390x", "linux_armv6l", "linux_armv7l",
    ]
    static let macArchitectures: Set<String> = [
        "ppc", "ppc64", "i386", "x86_64", "arm64", "intel", "fat", "fat3", "fat64", "universal", "universal2",
    ]
    /// macOS 11 and later are tagged `N_0`; 10.x by its minor.
    static let macMajors: Set<String> = ["11", "12", "13", "14", "15", "26"]
    static let linuxArchitectures: Set<String> = ["x86_64", "i686", "aarch64", "armv7l", "ppc64le", "s390x", "riscv64"]
    static let iosArchitectures: Set<String> = ["arm64", "x86_64"]
    static let androidArchitectures: Set<String> = ["armeabi_v7a", "arm64_v8a", "x86", "x86_64"]

    static func accepts(_ tag: String) -> Bool {
        let tag = tag.lowercased()
        if fixed.contains(tag) { return true }
        if let rest = tag.dropPrefix("macosx_"), let (major, afterMajor) = digits(rest), let (minor, arch) = digits(afterMajor) {
            if major == "10" { return macArchitectures.contains(String(arch)) }
            return macMajors.contains(String(major)) && minor == "0" && macArchitectures.contains(String(arch))
        }
        for (prefix, extra) in [("manylinux_", ["ppc64"]), ("musllinux_", [])] {
            if let rest = tag.dropPrefix(prefix), let (_, afterMajor) = digits(rest), let (_, arch) = digits(afterMajor) {
                return linuxArchitectures.contains(String(arch)) || extra.contains(String(arch))
            }
        }
        if let rest = tag.dropPrefix("ios_"), let (_, afterMajor) = digits(rest), let (_, tail) = digits(afterMajor) {
            // The architecture runs to the last `_iphoneos`/`_iphonesimulator`, as a greedy `.*` takes it.
            let end = tail.indices.last { tail[$0...].hasPrefix("_iphoneos") || tail[$0...].hasPrefix("_iphonesimulator") }
            if let end, iosArchitectures.contains(String(tail[..<end])) { return true }
        }
        if let rest = tag.dropPrefix("android_"), let (_, arch) = digits(rest), androidArchitectures.contains(String(arch)) {
            return true
        }
        if let rest = tag.dropPrefix("pyemscripten_"), let (_, afterMajor) = digits(rest), let (_, tail) = digits(afterMajor),
            tail.hasPrefix("wasm32")
        {
            return true
        }
        return false
    }

    /// Splits `text` into its leading ASCII digits (at least one) and what follows the `_` after them.
    private static func digits(_ text: Substring) -> (Substring, Substring)? {
        let number = text.prefix { $0.isASCII && $0.isNumber }
        guard !number.isEmpty, text.dropFirst(number.count).first == "_" else { return nil }
        return (number, text.dropFirst(number.count + 1))
    }
}

extension String {
    /// The rest of the string after `prefix`, or `nil` when it does not start with it.
    fileprivate func dropPrefix(_ prefix: String) -> Substring? {
        hasPrefix(prefix) ? dropFirst(prefix.count) : nil
    }
}
