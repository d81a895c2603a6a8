/// Every stable finding code, grouped by family: PW1xx zip structure, PW2xx entry paths, PW3xx resources,
/// PW4xx RECORD, PW5xx WHEEL, PW6xx METADATA and names, PW7xx purity, PW8xx hygiene, PW9xx installed environments
/// (`verify-env`).
///
/// Codes are never renumbered or reused; `docs/codes.md`, generated from them, documents each one.
public enum FindingCode: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    // MARK: PW1xx zip structure
    case unreadableFile = "PW100"
    case notAZipArchive = "PW101"
    case malformedCentralDirectory = "PW102"
    case zipReaderRefused = "PW103"
    case duplicateName = "PW104"
    case missingLocalHeader = "PW105"
    case orphanLocalHeader = "PW106"
    case localNameMismatch = "PW107"
    case localMethodMismatch = "PW108"
    case localFlagsMismatch = "PW109"
    case localCRCMismatch = "PW110"
    case localSizeMismatch = "PW111"
    case overlappingEntries = "PW112"
    case bytesBeforeFirstEntry = "PW113"
    case bytesAfterEndRecord = "PW114"
    case endRecordMismatch = "PW115"
    case hiddenEndRecord = "PW116"
    case encryptedEntry = "PW117"
    case unsupportedCompression = "PW118"
    case corruptEntryData = "PW119"
    case unusedBytes = "PW120"
    case multiDiskArchive = "PW121"
    case dataDescriptor = "PW122"
    case centralDirectoryComment = "PW123"
    case duplicateExtraField = "PW124"
    case malformedExtraField = "PW125"
    case unicodePathMismatch = "PW126"
    case zip64ExtensibleData = "PW127"
    case unknownRecordSignature = "PW128"
    case unneededZip64Field = "PW129"
    case directoryWithData = "PW130"
    case bytesAfterDeflateStream = "PW131"
    case entryKindMismatch = "PW132"
    case archiveRatioOverIndexLimit = "PW140"
    case zipTarPolyglot = "PW141"

    // MARK: PW2xx entry paths
    case parentReference = "PW201"
    case absolutePath = "PW202"
    case driveLetter = "PW203"
    case backslash = "PW204"
    case controlCharacter = "PW205"
    case emptySegment = "PW206"
    case symlinkEntry = "PW207"
    case specialFileEntry = "PW208"
    case caseInsensitiveCollision = "PW209"
    case invalidUTF8Name = "PW210"
    case unflaggedNonASCIIName = "PW211"
    case unknownInstallScheme = "PW212"
    case fileFolderConflict = "PW213"

    // MARK: PW3xx resources
    case tooManyEntries = "PW301"
    case declaredSizeOverLimit = "PW302"
    case totalSizeOverLimit = "PW303"
    case compressionRatioOverLimit = "PW304"
    case inflatesBeyondDeclaredSize = "PW305"
    case inflatesShortOfDeclaredSize = "PW306"
    case centralDirectoryOverLimit = "PW307"

    // MARK: PW4xx RECORD
    case recordMissing = "PW401"
    case recordMalformed = "PW402"
    case fileNotInRecord = "PW403"
    case recordedFileMissing = "PW404"
    case hashMismatch = "PW405"
    case sizeMismatch = "PW406"
    case weakHashAlgorithm = "PW407"
    case unknownHashAlgorithm = "PW408"
    case unverifiableHashAlgorithm = "PW409"
    case rowWithoutHashOrSize = "PW410"
    case recordNotSelfListed = "PW411"
    case recordSelfRowHasHash = "PW412"
    case duplicateRecordRow = "PW413"
    case malformedDigest = "PW414"
    case nonCanonicalDigest = "PW415"
    case irregularRecordLineBreak = "PW416"

    // MARK: PW5xx WHEEL
    case wheelMissing = "PW501"
    case wheelMalformedLine = "PW502"
    case wheelVersionInvalid = "PW503"
    case wheelVersionMajorTooNew = "PW504"
    case wheelVersionMinorTooNew = "PW505"
    case rootIsPurelibInvalid = "PW506"
    case rootIsPurelibContradictsTag = "PW507"
    case tagMissing = "PW508"
    case tagsDifferFromFilename = "PW509"
    case tagLineMalformed = "PW510"
    case buildTagMismatch = "PW511"
    case wheelFieldRepeated = "PW512"
    case tagsDifferInPlatformVersion = "PW513"
    case platformTagNotOnIndexList = "PW514"
    case variantWheel = "PW515"
    case variantMetadataMalformed = "PW516"
    case variantLabelMismatch = "PW517"

    // MARK: PW6xx METADATA and names
    case invalidFilename = "PW600"
    case distInfoMissing = "PW601"
    case multipleDistInfo = "PW602"
    case distInfoNameMismatch = "PW603"
    case metadataMissing = "PW604"
    case metadataMalformedLine = "PW605"
    case metadataFieldMissing = "PW606"
    case nameMismatch = "PW607"
    case versionMismatch = "PW608"
    case invalidVersion = "PW609"
    case invalidRequirement = "PW610"
    case unknownMetadataVersion = "PW611"
    case invalidProjectName = "PW612"
    case metadataVersionMajorTooNew = "PW613"
    case licenseFileMissing = "PW614"
    case invalidLicenseExpression = "PW615"
    case metadataFieldRepeated = "PW616"
    case invalidRequiresPython = "PW617"
    case dynamicCoreField = "PW618"
    case entryPointsMalformed = "PW619"
    case invalidDescriptionContentType = "PW620"
    case unnormalizedExtraName = "PW621"
    case invalidExtraName = "PW622"
    case invalidImportName = "PW623"
    case importNameAndNamespace = "PW624"
    case importNameNeedsMetadata25 = "PW625"
    case importNameNotProvided = "PW626"
    case importNameNotInThisFile = "PW627"
    case releaseFieldsDiffer = "PW646"
    case releaseImportNamesDiffer = "PW647"

    case filenameNameNotNormalized = "PW628"
    case distInfoNotAsFilename = "PW629"
    case localVersion = "PW630"
    case metadataVersionRefusedByIndex = "PW631"
    case invalidEmailAddress = "PW632"
    case invalidURL = "PW633"
    case projectURLMalformed = "PW634"
    case fieldTooLong = "PW635"
    case licenseAndLicenseExpression = "PW636"
    case invalidScriptName = "PW637"
    case dynamicFieldNotAllowed = "PW638"
    case directURLRequirement = "PW639"
    case unknownMetadataField = "PW640"
    case fieldNewerThanMetadataVersion = "PW641"
    case descriptionTwice = "PW642"
    case privateClassifier = "PW643"
    case invalidProvidesOrObsoletes = "PW644"
    case unknownClassifier = "PW645"
    case deprecatedClassifier = "PW648"
    case unknownLicenseIdentifier = "PW649"
    case entryPointsDefaultSection = "PW650"

    // MARK: PW7xx purity
    case elfInPureWheel = "PW701"
    case machOInPureWheel = "PW702"
    case peInPureWheel = "PW703"
    case staticArchiveInPureWheel = "PW704"
    case platlibInPureWheel = "PW705"
    case extensionNameInPureWheel = "PW706"
    case executableInPureWheel = "PW707"

    // MARK: PW8xx hygiene
    case bytecode = "PW801"
    case outsideTopLevel = "PW802"
    case startupCode = "PW803"
    case recordSignature = "PW804"
    case sbomMalformed = "PW805"
    case sbomUnknownFormat = "PW806"
    case sbomHashMismatch = "PW807"
    case sbomNamesMissingFile = "PW808"
    case sbomOutsideFolder = "PW809"
    case sbomUnreadable = "PW810"
    case sbomUnverifiableHash = "PW811"

    // MARK: PW9xx installed environments (`verify-env`)
    case installedFileMissing = "PW901"
    case installedHashMismatch = "PW902"
    case installedSizeMismatch = "PW903"
    case installedWeakHash = "PW904"
    case installedUnverifiableHash = "PW905"
    case pathLeavesEnvironment = "PW906"
    case notARegularFile = "PW907"
    case installedFileUnreadable = "PW908"
    case installedRecordMissing = "PW909"
    case installedRecordMalformed = "PW910"
    case installedRowWithoutHash = "PW911"
    case eggInfoUnverifiable = "PW912"
    case unownedFile = "PW913"
    case unownedStartupFile = "PW914"
    case modifiedStartupFile = "PW915"
    case ownedStartupCode = "PW916"
    case environmentHook = "PW917"
    case unlistableFolder = "PW918"

    /// The severity this code is reported with in the default profile.
    public var severity: Severity {
        switch self {
        case .unusedBytes, .unflaggedNonASCIIName, .recordSelfRowHasHash, .sbomUnknownFormat, .sbomNamesMissingFile,
            .sbomOutsideFolder, .sbomUnverifiableHash, .entryKindMismatch,
            .wheelVersionMinorTooNew, .tagsDifferInPlatformVersion, .unknownMetadataVersion, .extensionNameInPureWheel, .bytecode,
            .outsideTopLevel, .dataDescriptor, .centralDirectoryComment, .zip64ExtensibleData, .unknownRecordSignature,
            .executableInPureWheel, .invalidDescriptionContentType, .unnormalizedExtraName, .recordSignature, .importNameNotInThisFile,
            .releaseFieldsDiffer, .installedRowWithoutHash, .eggInfoUnverifiable, .unownedFile, .ownedStartupCode, .environmentHook:
            return .warning
        case .archiveRatioOverIndexLimit, .platformTagNotOnIndexList, .variantWheel, .filenameNameNotNormalized, .distInfoNotAsFilename,
            .localVersion, .metadataVersionRefusedByIndex, .invalidEmailAddress, .invalidURL, .projectURLMalformed, .fieldTooLong,
            .licenseAndLicenseExpression, .invalidScriptName, .dynamicFieldNotAllowed, .directURLRequirement, .unknownMetadataField,
            .fieldNewerThanMetadataVersion, .descriptionTwice, .privateClassifier, .invalidProvidesOrObsoletes,
            .unknownClassifier, .deprecatedClassifier, .unknownLicenseIdentifier:
            // Installers take these; the index refuses them (CheckProfile.pypiErrors).
            return .warning
        default:
            return .error
        }
    }
}

extension FindingCode {
    /// Codes order as their text does (`PW104` before `PW201`), the order reports list them in.
    public static func < (lhs: FindingCode, rhs: FindingCode) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether `selector`, a code or a prefix of codes as `--select`, `--ignore` and the configuration take
    /// them (`PW`, `PW4`, `PW40`, `PW405`), names this code.
    public func isNamed(by selector: String) -> Bool { rawValue.hasPrefix(selector) }

    /// Whether `selector` names at least one code; one letter (`P`) is no selector.
    public static func isSelector(_ selector: String) -> Bool {
        selector.count >= 2 && allCases.contains { $0.isNamed(by: selector) }
    }

    /// Whether the code means that nothing else of the file, distribution or folder could be verified.
    ///
    /// `check` reports these and fails whatever `select`, `ignore` or `per-file-ignores` say (an ignored truncated
    /// file must never read as "ok"); for `verify-env` they are a RECORD that cannot be read and a folder that cannot
    /// be listed.
    public var meansUnreadable: Bool {
        switch self {
        case .unreadableFile, .notAZipArchive, .malformedCentralDirectory, .zipReaderRefused, .corruptEntryData,
            .multiDiskArchive, .tooManyEntries, .centralDirectoryOverLimit, .installedRecordMissing, .installedRecordMalformed,
            .unlistableFolder:
            return true
        default:
            return false
        }
    }
}

extension Finding {
    /// Creates a finding with the code's own severity.
    ///
    /// - Parameters:
    ///   - code: the stable code; its severity is used.
    ///   - entry: the archive entry concerned.
    ///   - recordLine: the 1-based RECORD line concerned.
    ///   - message: what is wrong (lowercase, no trailing period).
    ///   - expected: what the spec expects.
    ///   - actual: what was found.
    ///   - hint: what to do.
    init(
        _ code: FindingCode, entry: String? = nil, recordLine: Int? = nil, _ message: String,
        expected: String? = nil, actual: String? = nil, hint: String? = nil
    ) {
        self.init(
            code: code, severity: code.severity, entry: entry, recordLine: recordLine, message: message,
            expected: expected, actual: actual, hint: hint
        )
    }
}
