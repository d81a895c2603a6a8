import FoundationEssentials
import PurewheelBasics
import WheelModel

/// PW6xx: the file name (PEP 427), the single `.dist-info` folder, and METADATA (core metadata spec):
/// required fields present, Name and Version equal to the file name's after normalization, a valid PEP 440
/// version and parseable Requires-Dist lines.
struct MetadataCheck {
    /// Metadata-Version values the core metadata spec has defined.
    static let knownMetadataVersions: Set<String> = ["1.0", "1.1", "1.2", "2.0", "2.1", "2.2", "2.3", "2.4", "2.5"]

    func run(_ wheel: WheelSnapshot) -> [Finding] {
        var findings = filenameFindings(wheel.path)
        let directories = wheel.distInfoDirectories
        if directories.isEmpty {
            findings.append(Finding(.distInfoMissing, "the wheel has no .dist-info folder", hint: "this is not a wheel; rebuild it"))
            return findings
        }
        if directories.count > 1 {
            findings.append(
                Finding(
                    .multipleDistInfo, "the wheel has more than one .dist-info folder", expected: "1",
                    actual: directories.joined(separator: ", "), hint: "installers pick different ones; rebuild the wheel"))
        }
        guard let distInfo = wheel.distInfo else { return findings }
        if let filename = wheel.filename, !DistInfoName.matches(distInfo, filename) {
            findings.append(
                Finding(
                    .distInfoNameMismatch, entry: distInfo + "/", "the .dist-info folder does not match the file name",
                    expected: filename.distInfoDirectory, actual: distInfo))
        }
        findings += metadataFindings(wheel, distInfo: distInfo)
        findings += EntryPointsCheck().run(wheel)
        return findings
    }

    private func filenameFindings(_ path: String) -> [Finding] {
        let name = String(path.split(separator: "/").last ?? Substring(path))
        do {
            let filename = try WheelFilename(parsing: name, allowingVariant: true)
            guard PEP440.isValid(filename.version) else {
                return [Finding(.invalidVersion, "the file name's version is not a valid PEP 440 version", actual: filename.version)]
            }
            return []
        } catch {
            // The error's own message repeats "not a valid wheel file name"; the finding states that once, then the reason.
            var reason = error.message
            if case .invalidFilename(_, let why) = error { reason = why }
            return [
                Finding(
                    .invalidFilename, "the file name is not a valid wheel file name: \(reason)",
                    expected: "{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl", actual: name)
            ]
        }
    }

    private func metadataFindings(_ wheel: WheelSnapshot, distInfo: String) -> [Finding] {
        let name = "\(distInfo)/METADATA"
        guard wheel.entry(named: name) != nil else {
            return [Finding(.metadataMissing, entry: name, "the wheel has no METADATA", hint: "rebuild the wheel; METADATA is required")]
        }
        guard wheel.contentsAvailable, let bytes = wheel.smallFile(name) else { return [] }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return [Finding(.metadataMalformedLine, entry: name, "METADATA is not valid UTF-8")]
        }
        let headers: HeaderFields
        do {
            headers = try HeaderFields(parsing: text, file: name)
        } catch {
            return [
                Finding(
                    .metadataMalformedLine, entry: name, error.message,
                    hint: "METADATA is 'Key: Value' lines, a blank line, then the description")
            ]
        }
        var findings = [Finding]()
        for field in ["Metadata-Version", "Name", "Version"] where headers.first(field) == nil {
            findings.append(Finding(.metadataFieldMissing, entry: name, "METADATA has no \(field) field"))
        }
        if let version = headers.first("Metadata-Version"),
            !Self.knownMetadataVersions.contains(version.trimmingWhitespace()),
            (CoreMetadataRules.major(version.trimmingWhitespace()) ?? 0) <= CoreMetadataRules.supportedMajor
        {
            findings.append(
                Finding(
                    .unknownMetadataVersion, entry: name, "Metadata-Version is not one the core metadata spec defines",
                    expected: Self.knownMetadataVersions.sorted().joined(separator: ", "), actual: version))
        }
        findings += CoreMetadataRules(headers: headers, entry: name, wheel: wheel, distInfo: distInfo).run()
        findings += IndexMetadataRules(headers: headers, entry: name, filename: wheel.filename, distInfo: distInfo).run()
        findings += ClassifierRules(headers: headers, entry: name).run() + LicenseIdentifierRules(headers: headers, entry: name).run()
        findings += nameFindings(headers.first("Name"), filename: wheel.filename, entry: name)
        findings += versionFindings(headers.first("Version"), filename: wheel.filename, entry: name)
        for requirement in headers.all("Requires-Dist") {
            do {
                _ = try Requirement(parsing: requirement)
            } catch {
                findings.append(
                    Finding(
                        .invalidRequirement, entry: name, "a Requires-Dist line is not a PEP 508 requirement: \(error.message)",
                        actual: requirement))
            }
        }
        return findings
    }

    private func nameFindings(_ value: String?, filename: WheelFilename?, entry: String) -> [Finding] {
        guard let value = value?.trimmingWhitespace() else { return [] }
        guard ProjectName.isValid(value) else {
            return [Finding(.invalidProjectName, entry: entry, "Name is not a valid project name", actual: value)]
        }
        if let filename, ProjectName.normalized(value) != ProjectName.normalized(filename.distribution) {
            return [
                Finding(
                    .nameMismatch, entry: entry, "METADATA's Name differs from the file name's",
                    expected: filename.distribution, actual: value, hint: "installers trust one or the other; rebuild the wheel")
            ]
        }
        return []
    }

    private func versionFindings(_ value: String?, filename: WheelFilename?, entry: String) -> [Finding] {
        guard let value = value?.trimmingWhitespace() else { return [] }
        guard PEP440.isValid(value) else {
            return [Finding(.invalidVersion, entry: entry, "Version is not a valid PEP 440 version", actual: value)]
        }
        if let filename, !PEP440.areSame(value, filename.version) {
            return [
                Finding(
                    .versionMismatch, entry: entry, "METADATA's Version differs from the file name's",
                    expected: filename.version, actual: value, hint: "installers trust one or the other; rebuild the wheel")
            ]
        }
        return []
    }
}
