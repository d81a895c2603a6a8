import WheelModel

/// PW649: every identifier of a well-formed `License-Expression` must be on the SPDX License List, or a custom
/// `LicenseRef-` one, as the license expression specification requires and PyPI enforces.
///
/// The packaging.python.org "License Expression" specification allows SPDX-listed licence identifiers and
/// `LicenseRef-[idstring]` (letters, digits, `.` and `-`); `packaging.licenses.canonicalize_license_expression`, which
/// `packaging.metadata` and so warehouse apply, looks licences and the exceptions after `WITH` up case-insensitively
/// and refuses anything else, `DocumentRef-` included. Deprecated SPDX identifiers are still on the list and pass.
/// Installers ignore the field, so this is a warning by default and an error under `--profile pypi`; the syntax
/// itself is PW615.
struct LicenseIdentifierRules {
    let headers: HeaderFields
    let entry: String

    func run() -> [Finding] {
        guard let expression = headers.first("License-Expression"),
            let identifiers = LicenseExpression.identifiers(in: expression)
        else { return [] }
        var findings = [Finding]()
        var reported = Set<String>()
        for license in identifiers.licenses {
            guard let problem = Self.licenseProblem(license), reported.insert(license.lowercased()).inserted else { continue }
            findings.append(finding(problem, license))
        }
        for exception in identifiers.exceptions where !SPDXLicenseList.exceptions.contains(exception.lowercased()) {
            guard reported.insert(exception.lowercased()).inserted else { continue }
            let problem =
                SPDXLicenseList.licenses.contains(exception.lowercased())
                ? "'\(exception)' after WITH is a licence, not an exception" : "exception '\(exception)' is not on the SPDX License List"
            findings.append(finding(problem, exception))
        }
        return findings
    }

    private func finding(_ problem: String, _ identifier: String) -> Finding {
        Finding(
            .unknownLicenseIdentifier, entry: entry, "License-Expression: \(problem)",
            expected: "an identifier of SPDX License List \(SPDXLicenseList.version), or LicenseRef-[A-Za-z0-9.-]+",
            actual: identifier, hint: "PyPI refuses the upload; name a licence that is not on the list as LicenseRef-<name>")
    }

    /// Why a licence identifier (with its optional `+`) is refused, or nil when it is on the list or a valid custom one.
    static func licenseProblem(_ identifier: String) -> String? {
        let lowered = identifier.lowercased()
        if lowered.hasPrefix("licenseref-") {
            // SPDX: `LicenseRef-` takes an idstring of letters, digits, `.` and `-`, and never the `+` of a listed licence.
            let idstring = lowered.dropFirst("licenseref-".count)
            let isValid = !idstring.isEmpty && idstring.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
            return isValid ? nil : "'\(identifier)' is not LicenseRef- followed by letters, digits, '.' and '-'"
        }
        if lowered.hasPrefix("documentref-") {
            return "'\(identifier)' refers to another SPDX document, which License-Expression cannot"
        }
        let listed = lowered.hasSuffix("+") ? String(lowered.dropLast()) : lowered
        return SPDXLicenseList.licenses.contains(listed) ? nil : "licence '\(identifier)' is not on the SPDX License List"
    }
}
