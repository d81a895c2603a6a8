import FoundationEssentials
import PurewheelBasics
import WheelModel

/// PW628–PW642: what PyPI refuses in the names and METADATA of an upload beyond the core metadata spec.
///
/// The rules of warehouse `warehouse/forklift/legacy.py` `file_upload`, `warehouse/forklift/metadata.py` `_validate_metadata`,
/// and `packaging.metadata`, which warehouse parses METADATA with. Installers take all of these, so they are warnings by default
/// and errors under `--profile pypi`.
struct IndexMetadataRules {
    let headers: HeaderFields
    let entry: String
    let filename: WheelFilename?
    let distInfo: String

    /// Metadata-Version values warehouse accepts (`SUPPORTED_METADATA_VERSIONS`): 2.0 was never released.
    static let indexMetadataVersions: Set<String> = ["1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5"]

    /// Every field `packaging.metadata` knows, lowercased, with the Metadata-Version that introduced it.
    static let fieldVersions: [String: (Int, Int)] = [
        "metadata-version": (1, 0), "name": (1, 0), "version": (1, 0), "dynamic": (2, 2), "platform": (1, 0),
        "supported-platform": (1, 1), "summary": (1, 0), "description": (1, 0), "description-content-type": (2, 1),
        "keywords": (1, 0), "home-page": (1, 0), "download-url": (1, 1), "author": (1, 0), "author-email": (1, 0),
        "maintainer": (1, 2), "maintainer-email": (1, 2), "license": (1, 0), "license-expression": (2, 4), "license-file": (2, 4),
        "classifier": (1, 1), "requires-dist": (1, 2), "requires-python": (1, 2), "requires-external": (1, 2),
        "project-url": (1, 2), "provides-extra": (2, 1), "provides-dist": (1, 2), "obsoletes-dist": (1, 2), "requires": (1, 1),
        "provides": (1, 1), "obsoletes": (1, 1), "import-name": (2, 5), "import-namespace": (2, 5),
    ]

    /// Fields warehouse lets Dynamic name (`DYNAMIC_FIELDS`), lowercased; Name, Version and Metadata-Version are PW618.
    static let dynamicFields: Set<String> = [
        "platform", "supported-platform", "summary", "description", "description-content-type", "keywords", "home-page",
        "download-url", "author", "author-email", "maintainer", "maintainer-email", "license", "license-expression", "license-file",
        "classifier", "requires-dist", "requires-python", "requires-external", "project-url", "provides-extra", "provides-dist",
        "obsoletes-dist", "requires", "provides", "obsoletes", "import-name", "import-namespace",
    ]

    func run() -> [Finding] {
        nameFindings() + versionFindings() + fieldFindings() + contactFindings() + urlFindings() + requirementFindings()
    }

    private func trimmed(_ field: String) -> String? { headers.first(field)?.trimmingWhitespace() }

    /// PW628, PW629: the file name's name part literally the normalized Name, and `.dist-info` spelled as the file name spells
    /// name and version (warehouse reads `{name}-{version}.dist-info/METADATA` with the file name's own strings).
    private func nameFindings() -> [Finding] {
        guard let filename else { return [] }
        var findings = [Finding]()
        let name = trimmed("Name").flatMap { ProjectName.isValid($0) ? $0 : nil } ?? filename.distribution
        let normalized = ProjectName.normalized(name)
        if normalized == ProjectName.normalized(filename.distribution) {
            let expected = normalized.replacingLiterally("-", with: "_")
            if filename.distribution != expected {
                findings.append(
                    Finding(
                        .filenameNameNotNormalized, "the file name's name part is not the normalized project name", expected: expected,
                        actual: filename.distribution, hint: "rename the file (and its .dist-info) to the normalized spelling"))
            }
        }
        if DistInfoName.matches(distInfo, filename), distInfo != filename.distInfoDirectory {
            findings.append(
                Finding(
                    .distInfoNotAsFilename, entry: distInfo + "/", "the .dist-info folder is not spelled as the file name spells it",
                    expected: filename.distInfoDirectory, actual: distInfo, hint: "PyPI reads METADATA at the file name's spelling"))
        }
        return findings
    }

    /// PW630, PW631: no local version; a Metadata-Version the index accepts.
    private func versionFindings() -> [Finding] {
        var findings = [Finding]()
        if let version = trimmed("Version"), let parsed = PEP440Version(parsing: version), !parsed.local.isEmpty {
            findings.append(
                Finding(
                    .localVersion, entry: entry, "Version has a local part, which PyPI refuses", expected: parsed.withoutLocal.description,
                    actual: version, hint: "local versions are for builds that never reach a public index"))
        }
        if let version = trimmed("Metadata-Version"), MetadataCheck.knownMetadataVersions.contains(version),
            !Self.indexMetadataVersions.contains(version)
        {
            findings.append(
                Finding(
                    .metadataVersionRefusedByIndex, entry: entry, "PyPI does not accept this Metadata-Version",
                    expected: Self.indexMetadataVersions.sorted().joined(separator: ", "), actual: version))
        }
        return findings
    }

    /// PW635, PW636, PW638, PW640, PW641, PW642: field-level rules of warehouse and `packaging.metadata`.
    private func fieldFindings() -> [Finding] {
        var findings = [Finding]()
        let declared = trimmed("Metadata-Version").flatMap { Self.indexMetadataVersions.contains($0) ? Self.pair($0) : nil }
        var reported = Set<String>()
        for field in headers.fields {
            let key = field.name.lowercased()
            // The upload form drops empty values before packaging judges them.
            guard reported.insert(key).inserted, !field.value.trimmingWhitespace().isEmpty else { continue }
            guard let added = Self.fieldVersions[key] else {
                findings.append(
                    Finding(
                        .unknownMetadataField, entry: entry, "METADATA has a field the core metadata spec does not define",
                        actual: field.name, hint: "packaging.metadata refuses unknown fields; remove it"))
                continue
            }
            // Import-Name with an older version is PW625.
            if let declared, added > declared, key != "import-name", key != "import-namespace" {
                findings.append(
                    Finding(
                        .fieldNewerThanMetadataVersion, entry: entry, "a field is newer than the declared Metadata-Version",
                        expected: "Metadata-Version \(added.0).\(added.1) or later",
                        actual: "\(field.name) with \(declared.0).\(declared.1)",
                        hint: "raise Metadata-Version or drop the field"))
            }
        }
        if let summary = headers.first("Summary"), summary.unicodeScalars.count > 512 {
            findings.append(
                Finding(
                    .fieldTooLong, entry: entry, "Summary is longer than PyPI allows", expected: "at most 512 characters",
                    actual: "\(summary.unicodeScalars.count) characters"))
        }
        if let license = trimmed("License"), !license.isEmpty, let expression = trimmed("License-Expression"), !expression.isEmpty {
            findings.append(
                Finding(
                    .licenseAndLicenseExpression, entry: entry, "both License and License-Expression are present",
                    expected: "License-Expression only", hint: "PEP 639 deprecates License once License-Expression is set"))
        }
        for value in headers.all("Dynamic") {
            let key = value.trimmingWhitespace().lowercased()
            guard !CoreMetadataRules.neverDynamic.contains(key), !Self.dynamicFields.contains(key) else { continue }
            findings.append(Finding(.dynamicFieldNotAllowed, entry: entry, "Dynamic names a field that may not be dynamic", actual: value))
        }
        if headers.first("Description") != nil, let body = headers.body, !body.isEmpty {
            findings.append(
                Finding(
                    .descriptionTwice, entry: entry, "METADATA has both a Description field and a body",
                    hint: "keep the description in the body only"))
        }
        return findings
    }

    /// PW632: Author-email and Maintainer-email, when they hold one address, must hold a valid one.
    ///
    /// warehouse parses the field with `email.utils.parseaddr`, whose strict mode gives nothing for a list of addresses, so only a
    /// single address is judged, as `email_validator` would without looking up the domain.
    private func contactFindings() -> [Finding] {
        ["Author-email", "Maintainer-email"].compactMap { field in
            guard let value = headers.first(field), let address = EmailAddress.single(in: value), !EmailAddress.isValid(address) else {
                return nil
            }
            return Finding(
                .invalidEmailAddress, entry: entry, "\(field) is not a valid e-mail address", expected: "local@domain.tld",
                actual: address)
        }
    }

    /// PW633, PW634: Home-page, Download-URL and Project-URL.
    private func urlFindings() -> [Finding] {
        var findings = [Finding]()
        func judge(_ url: String, _ field: String) {
            guard !WebURL.isValid(url) else { return }
            findings.append(
                Finding(
                    .invalidURL, entry: entry, "\(field) is not an http(s) URL", expected: "http:// or https:// and a valid host",
                    actual: url))
        }
        for field in ["Home-page", "Download-URL"] { if let url = trimmed(field) { judge(url, field) } }
        var labels = Set<String>()
        for value in headers.all("Project-URL") {
            let parts = value.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.trimmingWhitespace()
            }
            let label = parts[0]
            let url = parts.count > 1 ? parts[1] : ""
            let problem: String? =
                if label.isEmpty {
                    "a Project-URL has no label"
                } else if label.unicodeScalars.count > 32 {
                    "a Project-URL label is longer than 32 characters"
                } else if url.isEmpty {
                    "a Project-URL has no URL"
                } else if !labels.insert(label).inserted {
                    "two Project-URLs have the same label"
                } else {
                    nil
                }
            if let problem {
                findings.append(
                    Finding(.projectURLMalformed, entry: entry, problem, expected: "label (at most 32 characters), URL", actual: value))
            } else {
                judge(url, "Project-URL '\(label)'")
            }
        }
        return findings
    }

    /// PW639, PW643, PW644: no direct URL in Requires-Dist (an invalid one is PW610); Provides-Dist and Obsoletes-Dist valid
    /// requirements without a URL; no `Private ::` classifier.
    private func requirementFindings() -> [Finding] {
        var findings: [Finding] = headers.all("Requires-Dist").compactMap { value in
            guard let requirement = try? Requirement(parsing: value), requirement.url != nil else { return nil }
            return Finding(
                .directURLRequirement, entry: entry, "a requirement names a direct URL, which PyPI refuses", actual: value,
                hint: "depend on a released project instead")
        }
        for field in ["Provides-Dist", "Obsoletes-Dist"] {
            for value in headers.all(field) {
                let requirement = try? Requirement(parsing: value)
                guard requirement == nil || requirement?.url != nil else { continue }
                findings.append(
                    Finding(
                        .invalidProvidesOrObsoletes, entry: entry,
                        requirement == nil ? "\(field) is not a PEP 508 requirement" : "\(field) names a direct URL", actual: value,
                        hint: "PyPI refuses the upload; write a plain project name with an optional version specifier"))
            }
        }
        // trove-classifiers leaves out every `Private ::` classifier so that the index refuses such a project.
        for value in headers.all("Classifier") where value.trimmingWhitespace().lowercased().hasPrefix("private ::") {
            findings.append(
                Finding(
                    .privateClassifier, entry: entry, "a classifier marks the project as private", actual: value,
                    hint: "PyPI refuses it; remove the classifier to publish"))
        }
        return findings
    }

    static func pair(_ version: String) -> (Int, Int)? {
        let parts = version.split(separator: ".").compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }
}
