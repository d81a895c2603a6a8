/// Which rules are errors.
///
/// The default profile keeps a few zip features that installers read but the index refuses as warnings, for wheels that come from
/// elsewhere; `pypi` makes every rule the index enforces on upload an error, so a wheel that passes it is one the index takes (docs/check.md,
/// "Profiles").
public enum CheckProfile: String, Sendable, Hashable, CaseIterable, Codable {
    /// Severities as `docs/codes.md` gives them.
    case `default`
    /// Every rule PyPI's upload validation enforces is an error.
    case pypi

    /// Codes that are warnings by default and errors under `pypi`, each because warehouse refuses the
    /// archive (`warehouse/utils/zipfiles.py` `validate_zipfile`, 2025–2026, or its metadata validation).
    public static let pypiErrors: Set<FindingCode> = [
        .unusedBytes,  // "Unknown record signature": the index walks records back to back
        .dataDescriptor,  // "ZIP contains a data descriptor"
        .centralDirectoryComment,  // "Comment in central directory"
        .zip64ExtensibleData,  // "ZIP64 extensible data not allowed"
        .unknownRecordSignature,  // "Unknown record signature"
        .unknownMetadataVersion,  // packaging.metadata refuses a Metadata-Version it does not know
        .invalidDescriptionContentType,  // packaging.metadata refuses other content types, charsets and variants
        // warehouse/forklift/legacy.py: `_is_valid_dist_file` and `file_upload`
        .archiveRatioOverIndexLimit,  // "File exceeds compression ratio of 50"
        .platformTagNotOnIndexList,  // `_valid_platform_tag`: "unsupported platform tag"
        .variantWheel,  // packaging's parse_wheel_filename refuses the variant label: "Invalid wheel filename"
        .filenameNameNotNormalized,  // "Filename ... should contain the normalized project name"
        .distInfoNotAsFilename,  // METADATA read at `{name}-{version}.dist-info/` spelled as in the file name
        // warehouse/forklift/metadata.py `_validate_metadata` and packaging.metadata under it
        .localVersion,  // "The use of local versions ... is not allowed"
        .metadataVersionRefusedByIndex,  // SUPPORTED_METADATA_VERSIONS leaves out 2.0
        .invalidEmailAddress,  // email_validator on Author-email / Maintainer-email
        .invalidURL,  // http.is_valid_uri on Home-page, Download-URL, Project-URL
        .projectURLMalformed,  // label missing or over 32 characters, URL missing, a label twice
        .fieldTooLong,  // _LENGTH_LIMITS: Summary of 512 characters or less
        .licenseAndLicenseExpression,  // "License is deprecated when License-Expression is present"
        .dynamicFieldNotAllowed,  // DYNAMIC_FIELDS
        .directURLRequirement,  // "Can't have direct dependency"
        .unknownMetadataField,  // packaging.metadata: "unrecognized field"
        .fieldNewerThanMetadataVersion,  // packaging.metadata: "introduced in metadata version"
        .descriptionTwice,  // packaging.metadata: a Description header and a body
        .privateClassifier,  // "is not a valid classifier": trove-classifiers never lists `Private ::`
        .invalidProvidesOrObsoletes,  // "is invalid" / "Can't have direct dependency" on Provides-Dist, Obsoletes-Dist
        .unknownClassifier,  // "is not a valid classifier": not in trove-classifiers' all_classifiers
        .deprecatedClassifier,  // "has been deprecated": in trove-classifiers' deprecated_classifiers
        .unknownLicenseIdentifier,  // packaging.licenses: "Unknown license" / "Unknown license exception"
        // warehouse/utils/wheel.py `_validate_entrypoints`
        .invalidScriptName,  // "Invalid entry point name"
    ]

    /// The severity `code` has in this profile.
    ///
    /// - Parameter code: a finding code.
    /// - Returns: the code's default severity, raised to error where this profile enforces it.
    public func severity(of code: FindingCode) -> Severity {
        self == .pypi && Self.pypiErrors.contains(code) ? .error : code.severity
    }

    /// The finding with its severity for this profile.
    ///
    /// - Parameter finding: a finding made with the default severities.
    /// - Returns: the same finding, its severity raised where this profile enforces the rule.
    public func adjust(_ finding: Finding) -> Finding {
        let severity = severity(of: finding.code)
        guard severity != finding.severity else { return finding }
        return Finding(
            code: finding.code, severity: severity, entry: finding.entry, recordLine: finding.recordLine,
            message: finding.message, expected: finding.expected, actual: finding.actual, hint: finding.hint)
    }
}
