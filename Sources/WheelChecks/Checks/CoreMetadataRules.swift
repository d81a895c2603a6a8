import FoundationEssentials
import PurewheelBasics
import WheelModel

/// PW613–PW618: the core metadata rules beyond the required fields (core metadata specifications, every
/// version up to 2.4): a newer major Metadata-Version, single-use fields repeated, Requires-Python, Dynamic,
/// License-Expression and License-File.
struct CoreMetadataRules {
    /// The major Metadata-Version this checker understands; consumers MUST fail on a newer one (CMS,
    /// "Metadata-Version").
    static let supportedMajor = 2
    /// Fields the spec allows once ("Multiple use" is not marked on them).
    static let singleUseFields = [
        "Metadata-Version", "Name", "Version", "Summary", "Description", "Description-Content-Type", "Keywords", "Home-page",
        "Download-URL", "Author", "Author-email", "Maintainer", "Maintainer-email", "License", "License-Expression",
        "Requires-Python",
    ]
    /// Fields Dynamic MUST NOT name (CMS, "Dynamic (multiple use)").
    static let neverDynamic: Set<String> = ["metadata-version", "name", "version"]

    let headers: HeaderFields
    let entry: String
    let wheel: WheelSnapshot
    let distInfo: String

    func run() -> [Finding] {
        var findings = [Finding]()
        if let version = headers.first("Metadata-Version")?.trimmingWhitespace(), let major = Self.major(version),
            major > Self.supportedMajor
        {
            findings.append(
                Finding(
                    .metadataVersionMajorTooNew, entry: entry, "Metadata-Version has a newer major version than the spec defines",
                    expected: "2.x", actual: version, hint: "consumers must refuse a newer major Metadata-Version"))
        }
        for field in Self.singleUseFields where headers.all(field).count > 1 {
            findings.append(
                Finding(
                    .metadataFieldRepeated, entry: entry, "METADATA repeats a field the spec allows once",
                    actual: "\(headers.all(field).count) × \(field)", hint: "parsers keep different copies; keep one"))
        }
        if let value = headers.first("Requires-Python"), VersionSpecifierSet(parsing: value) == nil {
            findings.append(
                Finding(
                    .invalidRequiresPython, entry: entry, "Requires-Python is not a PEP 440 version specifier set",
                    expected: "e.g. >=3.9", actual: value, hint: "installers cannot decide which Pythons the wheel supports"))
        }
        for value in headers.all("Dynamic") where Self.neverDynamic.contains(value.trimmingWhitespace().lowercased()) {
            findings.append(
                Finding(.dynamicCoreField, entry: entry, "Dynamic names a field that must never be dynamic", actual: value))
        }
        if let expression = headers.first("License-Expression"), !LicenseExpression.isValid(expression) {
            findings.append(
                Finding(
                    .invalidLicenseExpression, entry: entry, "License-Expression is not a valid SPDX license expression",
                    expected: "e.g. MIT OR Apache-2.0", actual: expression))
        }
        if let contentType = headers.first("Description-Content-Type"), !Self.isKnownContentType(contentType) {
            findings.append(
                Finding(
                    .invalidDescriptionContentType, entry: entry, "Description-Content-Type is not one the spec lists",
                    expected: "text/plain, text/x-rst or text/markdown (variant GFM or CommonMark), charset UTF-8",
                    actual: contentType, hint: "readers fall back to reStructuredText; PyPI refuses the upload"))
        }
        findings += extraFindings()
        findings += licenseFileFindings()
        findings += ImportNameRules(headers: headers, entry: entry, wheel: wheel).run()
        return findings
    }

    /// Provides-Extra names: valid PEP 508 names, and from Metadata-Version 2.3 already normalized (`^[a-z0-9]+(-[a-z0-9]+)*$`, PEP 685;
    /// CMS "Provides-Extra").
    ///
    /// An unnormalized spelling is only a warning: pip and uv normalize it and the index takes it (litellm 1.110.2 ships `extra_proxy` with
    /// 2.3+).
    private func extraFindings() -> [Finding] {
        let parts = (headers.first("Metadata-Version") ?? "").trimmingWhitespace().split(separator: ".").compactMap {
            Int($0)
        }
        let normalizedOnly = parts.count >= 2 && (parts[0], parts[1]) >= (2, 3)
        return headers.all("Provides-Extra").compactMap { raw in
            let name = raw.trimmingWhitespace()
            guard ProjectName.isValid(name) else {
                return Finding(
                    .invalidExtraName, entry: entry, "Provides-Extra is not a valid name", expected: "letters, digits, '-', '_', '.'",
                    actual: name, hint: "requirements cannot name this extra")
            }
            guard normalizedOnly, !Self.isNormalizedExtra(name) else { return nil }
            return Finding(
                .unnormalizedExtraName, entry: entry, "Provides-Extra is not normalized (required from Metadata-Version 2.3)",
                expected: ProjectName.normalized(name), actual: name, hint: "write the normalized spelling; installers normalize it")
        }
    }

    static func isNormalizedExtra(_ name: String) -> Bool {
        let pieces = name.split(separator: "-", omittingEmptySubsequences: false)
        return !name.isEmpty
            && pieces.allSatisfy { piece in !piece.isEmpty && piece.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) } }
    }

    /// `text/plain`, `text/x-rst` or `text/markdown`, with an optional `charset=UTF-8` and, for Markdown, a
    /// `variant` of GFM or CommonMark (CMS "Description-Content-Type").
    static func isKnownContentType(_ value: String) -> Bool {
        let parts = value.split(separator: ";").map { $0.trimmingBlanks().lowercased() }
        guard let type = parts.first, ["text/plain", "text/x-rst", "text/markdown"].contains(type) else { return false }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingBlanks().trimmingScalars { $0 == "\"" } }
            guard pair.count == 2 else { return false }
            switch pair[0] {
            case "charset": if pair[1] != "utf-8" { return false }
            case "variant": if type != "text/markdown" || !["gfm", "commonmark"].contains(pair[1]) { return false }
            default: return false
            }
        }
        return true
    }

    /// The integer before the first dot, when there is one.
    static func major(_ version: String) -> Int? { version.split(separator: ".").first.flatMap { Int($0) } }

    /// From Metadata-Version 2.4, every License-File is a relative `/` path that the wheel holds under
    /// `.dist-info/licenses/` (CMS "License-File"; PEP 639); PyPI refuses an upload that lacks one.
    private func licenseFileFindings() -> [Finding] {
        let version = headers.first("Metadata-Version")?.trimmingWhitespace() ?? ""
        let parts = version.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2, (parts[0], parts[1]) >= (2, 4) else { return [] }
        var findings = [Finding]()
        for path in headers.all("License-File") {
            let segments = path.split(separator: "/", omittingEmptySubsequences: false)
            let expected = "\(distInfo)/licenses/\(path)"
            if path.hasPrefix("/") || path.contains("\\") || segments.contains("..") || segments.contains("") {
                findings.append(
                    Finding(
                        .licenseFileMissing, entry: entry, "a License-File is not a relative path with '/' separators",
                        actual: path, hint: "License-File paths are relative to .dist-info/licenses/"))
            } else if wheel.entry(named: expected) == nil {
                findings.append(
                    Finding(
                        .licenseFileMissing, entry: entry, "a License-File is not in the wheel", expected: expected, actual: "missing",
                        hint: "metadata 2.4 requires every License-File under .dist-info/licenses/"))
            }
        }
        return findings
    }
}

/// SPDX license expression syntax (SPDX 2.3 Annex D, as PEP 639 adopts it): identifiers (`MIT`, `LicenseRef-x`, with an optional `+`)
/// joined by `AND`/`OR`, an exception after `WITH`, and parentheses.
///
/// Only the syntax is judged here; PW649 looks the identifiers up (`LicenseIdentifierRules`).
enum LicenseExpression {
    /// The identifiers of a well-formed expression, as written: licences (a trailing `+` kept) and exceptions.
    struct Identifiers: Equatable {
        var licenses: [String] = []
        var exceptions: [String] = []
    }

    static func isValid(_ text: String) -> Bool { identifiers(in: text) != nil }

    /// The expression's identifiers, or nil when it is not SPDX expression syntax.
    static func identifiers(in text: String) -> Identifiers? {
        var tokens = [String]()
        var current = ""
        for character in text {
            if character == "(" || character == ")" || character == " " || character == "\t" {
                if !current.isEmpty { tokens.append(current) }
                current = ""
                if character == "(" || character == ")" { tokens.append(String(character)) }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        var parser = Parser(tokens: tokens)
        return parser.expression() && parser.position == tokens.count ? parser.found : nil
    }

    private struct Parser {
        let tokens: [String]
        var position = 0
        var found = Identifiers()

        var next: String? { position < tokens.count ? tokens[position] : nil }

        mutating func expression() -> Bool {
            guard term() else { return false }
            while let op = next?.uppercased(), op == "AND" || op == "OR" {
                position += 1
                guard term() else { return false }
            }
            return true
        }

        private mutating func term() -> Bool {
            if next == "(" {
                position += 1
                guard expression(), next == ")" else { return false }
                position += 1
                return true
            }
            guard let token = next, Self.isIdentifier(token, allowPlus: true) else { return false }
            position += 1
            found.licenses.append(token)
            if next?.uppercased() == "WITH" {
                position += 1
                guard let exception = next, Self.isIdentifier(exception, allowPlus: false) else { return false }
                position += 1
                found.exceptions.append(exception)
            }
            return true
        }

        static func isIdentifier(_ token: String, allowPlus: Bool) -> Bool {
            var body = Substring(token)
            if allowPlus, body.hasSuffix("+") { body = body.dropLast() }
            guard !body.isEmpty, !["AND", "OR", "WITH"].contains(body.uppercased()) else { return false }
            return body.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":") }
        }
    }
}
