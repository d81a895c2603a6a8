/// One-line summaries of the finding codes, for reports that describe their rules (SARIF `tool.driver.rules`).
///
/// With `why` and `specification` (FindingCode+Documentation.swift) these generate `docs/codes.md`.
extension FindingCode {
    /// What the code means, in one line (the "Meaning" column of `docs/codes.md`).
    public var summary: String {
        switch self {
        case .unreadableFile: return "file cannot be opened or read (missing, not a regular file)"
        case .notAZipArchive: return "no end of central directory record: not a zip, or truncated"
        case .malformedCentralDirectory: return "central directory or ZIP64 records malformed or truncated"
        case .zipReaderRefused: return "purewheel's zip reader or libzip (consistency checks on) refused the archive; contents not verified"
        case .duplicateName: return "the same name appears twice in the central directory"
        case .missingLocalHeader: return "a central record points where there is no local header"
        case .orphanLocalHeader: return "a local header that the central directory does not list"
        case .localNameMismatch: return "local and central headers name different files"
        case .localMethodMismatch: return "local and central compression methods differ"
        case .localFlagsMismatch: return "local and central flags differ (bits 1–2 ignored)"
        case .localCRCMismatch: return "local header or data descriptor CRC differs from the central one"
        case .localSizeMismatch: return "local header or data descriptor sizes differ from the central ones"
        case .overlappingEntries: return "an entry's bytes overlap another entry or the central directory"
        case .bytesBeforeFirstEntry: return "bytes before the first entry (prepended stub or archive, adjusted or not)"
        case .bytesAfterEndRecord: return "bytes after the end record"
        case .endRecordMismatch:
            return "end record counts, size or offset disagree with each other,"
                + " the ZIP64 record or the central directory"
        case .hiddenEndRecord: return "a zip record signature (e.g. a second end record) hides in the comment or trailing bytes"
        case .encryptedEntry: return "encrypted entry"
        case .unsupportedCompression: return "compression method other than stored (0) or deflate (8)"
        case .corruptEntryData: return "entry cannot be read to its end: CRC error, corrupt or short data"
        case .unusedBytes: return "bytes between entries belong to no entry"
        case .multiDiskArchive: return "split (multi-disk) archive"
        case .parentReference: return ".. segment"
        case .absolutePath: return "absolute path"
        case .driveLetter: return "drive letter (C:)"
        case .backslash: return "backslash"
        case .controlCharacter: return "NUL or control character in the name"
        case .emptySegment: return "empty name, or empty or . segment"
        case .symlinkEntry: return "symlink entry (Unix mode 120000)"
        case .specialFileEntry: return "device, FIFO or socket entry"
        case .caseInsensitiveCollision: return "names collide case-insensitively or after Unicode normalization"
        case .invalidUTF8Name: return "name is not valid UTF-8"
        case .unflaggedNonASCIIName: return "non-ASCII name without the UTF-8 flag"
        case .tooManyEntries: return "more entries than --max-entries (default 200,000)"
        case .declaredSizeOverLimit: return "an entry declares more than --max-entry-size (default 4 GiB); not read"
        case .totalSizeOverLimit: return "entries declare more than --max-total-size in total (default 16 GiB); nothing read"
        case .compressionRatioOverLimit: return "an entry of 16 MiB or more has a ratio above --max-ratio (default 200:1); not read"
        case .inflatesBeyondDeclaredSize: return "an entry inflates past its declared size; reading stopped there"
        case .inflatesShortOfDeclaredSize: return "an entry inflates to fewer bytes than declared"
        case .centralDirectoryOverLimit: return "central directory larger than 64 MiB"
        case .recordMissing: return "no RECORD"
        case .recordMalformed: return "RECORD is not valid UTF-8 CSV, or a row is malformed (each bad line reported)"
        case .fileNotInRecord: return "a file is not listed in RECORD"
        case .recordedFileMissing: return "RECORD lists a file the archive lacks"
        case .hashMismatch: return "hash mismatch (pip never checks this)"
        case .sizeMismatch: return "size mismatch"
        case .weakHashAlgorithm: return "md5, sha1 or sha224 hash"
        case .unknownHashAlgorithm: return "unknown hash algorithm"
        case .unverifiableHashAlgorithm: return "sha3/blake2 hash that this build's OpenSSL cannot compute: the file is not verified"
        case .rowWithoutHashOrSize: return "a file's row has no hash or no size"
        case .recordNotSelfListed: return "RECORD does not list itself"
        case .recordSelfRowHasHash: return "RECORD's own row has a hash or size"
        case .duplicateRecordRow: return "a path appears in two rows"
        case .malformedDigest: return "digest is not urlsafe base64 of the algorithm's length"
        case .nonCanonicalDigest: return "digest with base64 padding or non-zero unused bits: not the canonical RECORD text"
        case .irregularRecordLineBreak: return "RECORD has a line break other than LF or CRLF (bare CR, VT, FF, U+2028, ...)"
        case .wheelMissing: return "no WHEEL"
        case .wheelMalformedLine: return "a WHEEL line is not plain Key: Value (no continuations, no body)"
        case .wheelVersionInvalid: return "Wheel-Version missing or not major.minor"
        case .wheelVersionMajorTooNew: return "Wheel-Version major newer than 1"
        case .wheelVersionMinorTooNew: return "Wheel-Version minor newer than 1.0"
        case .rootIsPurelibInvalid: return "Root-Is-Purelib missing or not true/false"
        case .rootIsPurelibContradictsTag: return "Root-Is-Purelib: false with a none-any tag"
        case .tagMissing: return "no Tag line"
        case .tagsDifferFromFilename: return "Tag lines (expanded) differ from the file name's tags"
        case .tagLineMalformed: return "a Tag line is not python-abi-platform, or holds a compressed set"
        case .buildTagMismatch: return "WHEEL Build differs from the file name's build tag"
        case .wheelFieldRepeated: return "Wheel-Version, Generator, Root-Is-Purelib or Build repeated"
        case .tagsDifferInPlatformVersion:
            return "Tag lines differ only in the platform version or policy"
                + " (macosx_12_5 vs macosx_12_0, linux_x86_64 vs manylinux1_x86_64)"
        case .invalidFilename: return "the file name does not parse"
        case .distInfoMissing: return "no .dist-info folder"
        case .multipleDistInfo: return "more than one .dist-info folder"
        case .distInfoNameMismatch: return ".dist-info name differs from the file name (after normalization)"
        case .metadataMissing: return "no METADATA"
        case .metadataMalformedLine: return "METADATA is not UTF-8 or has a line that is not a header"
        case .metadataFieldMissing: return "Metadata-Version, Name or Version missing"
        case .nameMismatch: return "Name differs from the file name (PEP 503 normalized)"
        case .versionMismatch: return "Version differs from the file name (case, _/-, leading v ignored)"
        case .invalidVersion: return "version (METADATA or file name) is not valid PEP 440"
        case .invalidRequirement: return "Requires-Dist is not a PEP 508 requirement"
        case .unknownMetadataVersion: return "Metadata-Version is not one the spec defines (1.0–2.5)"
        case .invalidProjectName: return "Name is not a valid project name"
        case .elfInPureWheel:
            return
                "ELF that dlopen loads (ET_DYN without DF_1_PIE, PT_INTERP or not; relocatable; any ELF named like a library), or a file named like an extension module (.so, .pyd) whatever its bytes, in a -none-any wheel"
        case .machOInPureWheel:
            return
                "Mach-O dylib, bundle or other loadable file (thin, or universal/fat whatever it holds; any Mach-O named like a library) in a -none-any wheel"
        case .peInPureWheel:
            return "PE DLL (IMAGE_FILE_DLL), any PE named like a library, or one whose header is past 64 KiB, in a -none-any wheel"
        case .staticArchiveInPureWheel: return "static library (!<arch>) in a -none-any wheel"
        case .platlibInPureWheel: return ".data/platlib in a -none-any wheel"
        case .extensionNameInPureWheel: return "a .dylib/.dll/.so.N library name in a -none-any wheel without native magic"
        case .bytecode: return "__pycache__, .pyc or .pyo"
        case .outsideTopLevel: return "file outside the packages top_level.txt declares (only when it exists)"
        case .startupCode: return "a .pth file installed into site-packages has a line that site executes at every interpreter start"
        case .recordSignature: return "RECORD.jws or RECORD.p7s in .dist-info: signatures tools must not add"
        case .sbomMalformed: return "a file in .dist-info/sboms/ is not valid UTF-8 JSON (duplicate keys included)"
        case .sbomUnknownFormat: return "an SBOM in .dist-info/sboms/ is neither CycloneDX nor SPDX JSON"
        case .sbomHashMismatch: return "an SBOM claims a hash for a file of the wheel that the file does not have"
        case .sbomNamesMissingFile: return "an SBOM lists files the wheel does not contain"
        case .sbomOutsideFolder: return "an SBOM file (by its name) outside .dist-info/sboms/"
        case .sbomUnreadable: return "an SBOM too large (metadata size limit) or unreadable, so it was not checked"
        case .sbomUnverifiableHash: return "an SBOM claims a file hash only in algorithms purewheel does not compute"
        case .dataDescriptor: return "entry uses a data descriptor (general-purpose bit 3)"
        case .centralDirectoryComment: return "a central-directory record has a file comment"
        case .duplicateExtraField: return "a header holds two ZIP64 (0x0001) or two Unicode Path (0x7075) extra fields"
        case .malformedExtraField:
            return
                "extra field block does not split into whole fields; ZIP64 extra of a length other than 0/8/16/24/28 in a local header, empty or one-size (compressed entry) while the sizes defer to it, missing or too short for the 0xFFFFFFFF placeholders"
        case .unicodePathMismatch:
            return "Info-ZIP Unicode Path extra field is not UTF-8, holds a control character, or names another file than the header"
        case .zip64ExtensibleData: return "ZIP64 end record with an extensible data sector (size other than 44)"
        case .unknownRecordSignature:
            return
                "a record other than a local header (a PK signature: archive extra data, digital signature, unknown) sits between entries"
        case .unneededZip64Field:
            return "a central ZIP64 field holds values for fields not 0xFFFFFFFF, or a local one contradicts the header's sizes"
        case .directoryWithData: return "a directory entry (name ending in `/`) carries data"
        case .bytesAfterDeflateStream: return "bytes left inside the entry's compressed size after its deflate stream ended"
        case .entryKindMismatch: return "the Unix mode says directory for a name without `/`, or regular file for one ending in `/`"
        case .unknownInstallScheme:
            return "a file under {name}-{version}.data/ is not in purelib, platlib, headers, scripts or data (or sits directly in .data/)"
        case .fileFolderConflict: return "a path is a file in one entry and the folder of another (demo/sub and demo/sub/x.py)"
        case .metadataVersionMajorTooNew: return "Metadata-Version major newer than 2"
        case .licenseFileMissing:
            return
                "Metadata-Version ≥ 2.4 and a License-File is not at .dist-info/licenses/<path>, or is absolute, has .., \\ or an empty segment"
        case .invalidLicenseExpression:
            return "License-Expression is not SPDX expression syntax (identifiers, AND/OR/WITH, parentheses; identifiers: PW649)"
        case .metadataFieldRepeated:
            return "a single-use field (Name, Version, Summary, Description, Requires-Python, License, License-Expression, …) appears twice"
        case .invalidRequiresPython: return "Requires-Python is not a PEP 440 specifier set"
        case .dynamicCoreField: return "Dynamic names Metadata-Version, Name or Version"
        case .entryPointsMalformed:
            return
                "entry_points.txt is not INI ([group], then name = value; an entry before any group, no =, an indented continuation, a repeated section or name), or a console_scripts/gui_scripts value is not module:attr [extras], or a script name holds /, \\, a control character or is .."
        case .invalidDescriptionContentType:
            return
                "Description-Content-Type other than text/plain, text/x-rst, text/markdown (variant GFM/CommonMark), or a charset other than UTF-8"
        case .unnormalizedExtraName: return "Provides-Extra is not normalized (^[a-z0-9]+(-[a-z0-9]+)*$) in Metadata-Version 2.3 or later"
        case .invalidExtraName: return "Provides-Extra is not a valid name"
        case .invalidImportName: return "Import-Name or Import-Namespace is not a dotted import name, optionally with '; private'"
        case .importNameAndNamespace: return "the same name is in Import-Name and Import-Namespace"
        case .importNameNeedsMetadata25: return "Import-Name or Import-Namespace with a Metadata-Version below 2.5"
        case .importNameNotProvided:
            return "a pure wheel names an import it does not contain, or that only a native extension provides"
        case .importNameNotInThisFile: return "a platform wheel names an import this file does not contain"
        case .releaseFieldsDiffer: return "wheels of one release disagree on a metadata field (Requires-Dist, Requires-Python, ...)"
        case .releaseImportNamesDiffer: return "wheels of one release disagree on Import-Name or Import-Namespace"

        case .archiveRatioOverIndexLimit: return "entries inflate to more than 64 MiB and more than 50 times the file size"
        case .zipTarPolyglot: return "the file's first 512 bytes are also a valid tar header: it reads as a zip and as a tar"
        case .platformTagNotOnIndexList:
            return
                "a platform tag is not on PyPI's list (manylinux/musllinux arches, macOS 10.x or N_0, iOS, Android, pyemscripten, Windows)"
        case .variantWheel: return "a PEP 825 (Draft) variant label follows the platform tag; no index accepts variant wheels yet"
        case .variantMetadataMalformed:
            return "a variant wheel's .dist-info/variant.json is missing, not JSON, or not the PEP 825 structure"
        case .variantLabelMismatch: return "variant.json's variants do not hold exactly the file name's variant label"
        case .filenameNameNotNormalized:
            return "the file name's name part is not the normalized Name with '-' as '_' (e.g. Demo_Pkg for demo-pkg)"
        case .distInfoNotAsFilename: return "the .dist-info folder is not spelled {name}-{version} exactly as the file name spells them"
        case .localVersion: return "Version has a local part (+local)"
        case .metadataVersionRefusedByIndex: return "Metadata-Version 2.0, which PyPI does not accept"
        case .invalidEmailAddress: return "Author-email or Maintainer-email holds one address that is not a valid e-mail address"
        case .invalidURL: return "Home-page, Download-URL or a Project-URL is not an http(s) URL, or names a port above 65535"
        case .projectURLMalformed: return "a Project-URL has no label, a label over 32 characters, no URL, or a label used twice"
        case .fieldTooLong: return "Summary is longer than 512 characters"
        case .licenseAndLicenseExpression: return "both License and License-Expression are present"
        case .invalidScriptName: return "a console_scripts or gui_scripts name is not [\\w.-]+"
        case .dynamicFieldNotAllowed: return "Dynamic names a field that may not be dynamic (or no field at all)"
        case .directURLRequirement: return "a Requires-Dist names a direct URL (name @ url)"
        case .unknownMetadataField: return "METADATA has a field the core metadata spec does not define"
        case .fieldNewerThanMetadataVersion: return "a field is newer than the declared Metadata-Version (License-Expression with 2.1)"
        case .descriptionTwice: return "METADATA has both a Description field and a body"
        case .privateClassifier: return "a Classifier starts with 'Private ::', which marks a project that must never be uploaded"
        case .invalidProvidesOrObsoletes: return "a Provides-Dist or Obsoletes-Dist is not a PEP 508 requirement, or names a direct URL"
        case .unknownClassifier: return "a Classifier is not on the trove classifier list (compared exactly, trailing blanks included)"
        case .deprecatedClassifier: return "a Classifier is a deprecated trove classifier (the hint names its replacement)"
        case .unknownLicenseIdentifier:
            return "a License-Expression identifier is not on the SPDX License List, nor LicenseRef-[A-Za-z0-9.-]+ (case-insensitive)"
        case .entryPointsDefaultSection: return "entry_points.txt has a [DEFAULT] section with entries"
        case .executableInPureWheel:
            return
                "native executable not named like a library in a -none-any wheel: PE without IMAGE_FILE_DLL, ELF ET_EXEC or ET_DYN with DF_1_PIE, Mach-O MH_EXECUTE"
        case .installedFileMissing: return "an installed RECORD lists a file that is not there (or a symlink to nothing)"
        case .installedHashMismatch: return "an installed file's hash differs from its RECORD row"
        case .installedSizeMismatch: return "an installed file's size differs from its RECORD row"
        case .installedWeakHash: return "an installed RECORD row uses md5, sha1 or sha224; the file's content is not verified"
        case .installedUnverifiableHash:
            return
                "an installed RECORD row names a hash purewheel cannot compute (unknown, sha3, blake2) or a malformed digest; not verified"
        case .pathLeavesEnvironment:
            return "a RECORD path leads out of the environment's prefix (by .., an absolute path or a symlink); never read"
        case .notARegularFile: return "a RECORD path is a FIFO, socket, device or folder; never opened"
        case .installedFileUnreadable: return "a listed file, or a folder on its way, cannot be read (permissions, I/O error)"
        case .installedRecordMissing: return "a .dist-info folder has no RECORD, or it is not a regular file"
        case .installedRecordMalformed: return "an installed RECORD is not UTF-8 CSV, is over 64 MiB, or a row is malformed"
        case .installedRowWithoutHash:
            return "a file other than RECORD and byte-code caches is listed without a hash; only its presence was checked"
        case .eggInfoUnverifiable: return "an .egg-info distribution: no RECORD with hashes, so none of its files is verified"
        case .unownedFile: return "a file under site-packages that no RECORD lists (byte-code caches of listed sources excepted)"
        case .unownedStartupFile:
            return
                "a .pth file at the top of site-packages that no RECORD lists, with a line site executes (or unreadable as site reads it)"
        case .modifiedStartupFile: return "a .pth file at the top of site-packages that a RECORD lists has changed since it was installed"
        case .ownedStartupCode: return "a .pth file a RECORD lists, unchanged, runs code at every interpreter start (not a known file)"
        case .environmentHook: return "_virtualenv.pth and _virtualenv.py written by uv or virtualenv: no RECORD to verify them against"
        case .unlistableFolder: return "a folder under site-packages cannot be listed; files in it were not checked for ownership"
        }
    }

    /// The rule name: the case name with a capital first letter, such as `NotAZipArchive` for PW101.
    public var ruleName: String {
        let text = String(describing: self)
        return text.prefix(1).uppercased() + text.dropFirst()
    }
}
