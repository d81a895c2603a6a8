import FoundationEssentials
import PurewheelBasics
import WheelModel

/// PW5xx: the `.dist-info/WHEEL` file (binary distribution format, "The .dist-info directory" and "File
/// name convention"): plain `Key: Value` lines, a supported Wheel-Version, a `Root-Is-Purelib` that fits the
/// tags, and `Tag` lines that expand to exactly the file name's tags.
struct WheelInfoCheck {
    /// The Wheel-Version this checker understands (the spec's current 1.0).
    static let supportedVersion = (major: 1, minor: 0)
    /// Fields that must appear at most once.
    static let singleFields = ["wheel-version", "generator", "root-is-purelib", "build"]

    func run(_ wheel: WheelSnapshot) -> [Finding] {
        guard let distInfo = wheel.distInfo else { return [] }
        let name = "\(distInfo)/WHEEL"
        guard wheel.entry(named: name) != nil else {
            return [Finding(.wheelMissing, entry: name, "the wheel has no WHEEL file", hint: "rebuild the wheel; WHEEL is required")]
        }
        guard wheel.contentsAvailable, let bytes = wheel.smallFile(name) else { return [] }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return [Finding(.wheelMalformedLine, entry: name, "WHEEL is not valid UTF-8")]
        }
        let (fields, lineFindings) = parseFields(text, name: name)
        var findings = lineFindings
        func values(_ key: String) -> [String] { fields.filter { $0.0.lowercased() == key }.map(\.1) }
        for key in Self.singleFields where values(key).count > 1 {
            findings.append(
                Finding(
                    .wheelFieldRepeated, entry: name, "WHEEL repeats a field that must appear once",
                    actual: "\(values(key).count) × \(key)"))
        }
        findings += versionFindings(values("wheel-version").first, name: name)
        findings += purelibFindings(values("root-is-purelib").first, filename: wheel.filename, name: name)
        findings += tagFindings(values("tag"), filename: wheel.filename, name: name)
        if let filename = wheel.filename, values("build").first != filename.buildTag {
            findings.append(
                Finding(
                    .buildTagMismatch, entry: name, "WHEEL's Build differs from the file name's build tag",
                    expected: filename.buildTag ?? "(none)", actual: values("build").first ?? "(none)"))
        }
        return findings
    }

    /// The tag with the version removed from a versioned platform (`macosx_12_5_x86_64` → `macosx_x86_64`, `manylinux2014_x86_64` →
    /// `manylinux_x86_64`): what stays is OS family and architecture.
    ///
    /// The generic `linux_<arch>` counts as the manylinux family: wheels renamed to a manylinux tag without a repair step keep it in WHEEL
    /// (the torch wheels on PyPI do).
    static func withoutPlatformVersion(_ tag: WheelTag) -> WheelTag {
        var platform = tag.platform
        if platform.hasPrefix("linux_") { platform = "many" + platform }
        for family in ["macosx", "manylinux", "musllinux"] where platform.hasPrefix(family) {
            let rest = platform.dropFirst(family.count).drop { $0 == "_" || $0.isNumber }
            platform = family + "_" + rest
        }
        return WheelTag(python: tag.python, abi: tag.abi, platform: platform)
    }

    /// Splits WHEEL into fields; any line that is not `Key: Value` (continuations, a body) is a finding.
    private func parseFields(_ text: String, name: String) -> ([(String, String)], [Finding]) {
        var fields = [(String, String)]()
        var findings = [Finding]()
        let lines = text.replacingLiterally("\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() where !line.isEmpty {
            let isKeyChar = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_") }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex, line[..<colon].allSatisfy(isKeyChar) else {
                findings.append(
                    Finding(
                        .wheelMalformedLine, entry: name, "WHEEL line \(number + 1) is not 'Key: Value'",
                        actual: String(line.prefix(200))))
                continue
            }
            fields.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingWhitespace()))
        }
        return (fields, findings)
    }

    private func versionFindings(_ value: String?, name: String) -> [Finding] {
        let parts = value?.split(separator: ".", omittingEmptySubsequences: false) ?? []
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) else {
            return [
                Finding(
                    .wheelVersionInvalid, entry: name, "Wheel-Version is missing or not 'major.minor'",
                    expected: "1.0", actual: value ?? "(missing)")
            ]
        }
        if major > Self.supportedVersion.major {
            return [
                Finding(
                    .wheelVersionMajorTooNew, entry: name, "Wheel-Version has a newer major version than purewheel understands",
                    expected: "1.x", actual: value, hint: "installers must refuse a newer major Wheel-Version")
            ]
        }
        if major == Self.supportedVersion.major, minor > Self.supportedVersion.minor {
            return [
                Finding(
                    .wheelVersionMinorTooNew, entry: name, "Wheel-Version has a newer minor version than purewheel knows",
                    expected: "1.0", actual: value, hint: "installers warn about this; the checks may miss new rules")
            ]
        }
        return []
    }

    private func purelibFindings(_ value: String?, filename: WheelFilename?, name: String) -> [Finding] {
        switch value?.lowercased() {
        case "true":
            return []
        case "false":
            guard let filename, filename.isPureTagged else { return [] }
            return [
                Finding(
                    .rootIsPurelibContradictsTag, entry: name,
                    "Root-Is-Purelib is false, but the tags say pure Python (none-any)", expected: "true", actual: "false",
                    hint: "a pure wheel installs into purelib; set Root-Is-Purelib: true or fix the tags")
            ]
        default:
            return [
                Finding(
                    .rootIsPurelibInvalid, entry: name, "Root-Is-Purelib is missing or not true/false",
                    expected: "true or false", actual: value ?? "(missing)")
            ]
        }
    }

    private func tagFindings(_ lines: [String], filename: WheelFilename?, name: String) -> [Finding] {
        guard !lines.isEmpty else {
            return [Finding(.tagMissing, entry: name, "WHEEL has no Tag lines", hint: "WHEEL needs one Tag line per tag")]
        }
        var findings = [Finding]()
        var tags = Set<WheelTag>()
        for line in lines {
            let parts = line.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
                findings.append(Finding(.tagLineMalformed, entry: name, "a Tag line is not python-abi-platform", actual: line))
                continue
            }
            if parts.contains(where: { $0.contains(".") }) {
                findings.append(
                    Finding(
                        .tagLineMalformed, entry: name, "a Tag line holds a compressed tag set; WHEEL lists each tag on its own line",
                        actual: line))
            }
            for python in parts[0].split(separator: ".") {
                for abi in parts[1].split(separator: ".") {
                    for platform in parts[2].split(separator: ".") {
                        tags.insert(WheelTag(python: String(python), abi: String(abi), platform: String(platform)))
                    }
                }
            }
        }
        if let filename, tags != Set(filename.tags) {
            let expected = Set(filename.tags).sorted().map(\.description).joined(separator: " ")
            let actual = tags.sorted().map(\.description).joined(separator: " ")
            if Set(tags.map(Self.withoutPlatformVersion)) == Set(filename.tags.map(Self.withoutPlatformVersion)) {
                findings.append(
                    Finding(
                        .tagsDifferInPlatformVersion, entry: name,
                        "WHEEL's Tag lines differ from the file name's only in the platform version", expected: expected, actual: actual,
                        hint: "the file was renamed to claim another OS or glibc version; installers follow the file name"))
            } else {
                findings.append(
                    Finding(
                        .tagsDifferFromFilename, entry: name, "WHEEL's Tag lines differ from the file name's tags",
                        expected: expected, actual: actual,
                        hint: "installers select wheels by file name but some trust WHEEL; rebuild the wheel"))
            }
        }
        return findings
    }
}
