import PurewheelTestSupport
import Testing

@testable import WheelChecks

/// PW645, PW648 and PW649: classifiers and licence identifiers against the lists PyPI checks them with, one refused wheel
/// and one accepted twin per rule; and PW650, a `[DEFAULT]` section in entry_points.txt.
@Suite struct IndexListRulesTests {
    static let pypi = IndexRuleCase.pypi
    static let entryPoints = "demo-1.0.dist-info/entry_points.txt"

    typealias Case = IndexRuleCase

    /// A wheel whose METADATA is `text` after the three required fields of Metadata-Version 2.4.
    static func metadata(_ text: String) -> WheelBuilder { Case.metadata(text, version: "2.4") }

    static func entryPoints(_ text: String) -> WheelBuilder { Case.entryPoints(text) }

    static let cases: [Case] = [
        Case(
            name: "classifier not on the list", code: "PW645", refused: metadata("Classifier: Programming Language :: Python :: 2.8\n"),
            twin: metadata("Classifier: Programming Language :: Python :: 3\nClassifier: Framework :: Django CMS :: 5.0\n")),
        Case(
            // packaging.metadata keeps trailing blanks, and the index compares the whole string.
            name: "classifier with a trailing blank", code: "PW645", refused: metadata("Classifier: Typing :: Typed \n"),
            twin: metadata("Classifier:   Typing :: Typed\n")),
        Case(
            name: "empty classifier", code: "PW645", refused: metadata("Classifier:\n"), twin: metadata("Classifier: Topic :: Utilities\n")),
        Case(
            name: "deprecated classifier", code: "PW648", refused: metadata("Classifier: Natural Language :: Ukranian\n"),
            twin: metadata("Classifier: Natural Language :: Ukrainian\n")),
        Case(
            name: "licence not on the SPDX list", code: "PW649", refused: metadata("License-Expression: MIT OR Apache-3.0\n"),
            // Case-insensitive, with `+`, deprecated identifiers and custom LicenseRef- ones.
            twin: metadata("License-Expression: mit OR (apache-2.0 AND GPL-2.0+) OR LicenseRef-Own.Terms-1\n")),
        Case(
            name: "exception not on the SPDX list", code: "PW649",
            refused: metadata("License-Expression: GPL-3.0-only WITH Classpath-Exception-3.0\n"),
            twin: metadata("License-Expression: GPL-2.0-or-later WITH classpath-exception-2.0 OR Apache-2.0 WITH LLVM-exception\n")),
        Case(
            name: "licence after WITH", code: "PW649", refused: metadata("License-Expression: GPL-3.0-only WITH MIT\n"),
            twin: metadata("License-Expression: GPL-3.0-only AND MIT\n")),
        Case(
            name: "DocumentRef", code: "PW649", refused: metadata("License-Expression: DocumentRef-spdx:LicenseRef-x\n"),
            twin: metadata("License-Expression: LicenseRef-x\n")),
        Case(
            name: "LicenseRef without idstring", code: "PW649", refused: metadata("License-Expression: LicenseRef-\n"),
            twin: metadata("License-Expression: LicenseRef-0\n")),
        Case(
            name: "LicenseRef with +", code: "PW649", refused: metadata("License-Expression: LicenseRef-x+\n"),
            twin: metadata("License-Expression: Apache-1.0+\n")),
    ]

    // Installers ignore both fields: the index's refusal is a warning by default.
    @Test(arguments: cases) func refusedByTheIndexOnly(_ testCase: Case) throws { try testCase.expectRefusedByTheIndexOnly() }

    @Test func deprecatedClassifierNamesItsReplacement() throws {
        let report = try check(Self.metadata("Classifier: Framework :: Django CMS :: 4.2\nClassifier: Framework :: Django CMS :: 4.2\n"))
        #expect(report.hits == [Hit(code: "PW648", entry: "demo-1.0.dist-info/METADATA")])
        #expect(report.findings.first?.hint == "use 'Framework :: Django CMS :: 5.0' instead")
        let withoutReplacement = try check(Self.metadata("Classifier: License :: OSI Approved :: X.Net License\n"))
        #expect(withoutReplacement.findings.first?.hint == "remove it; trove-classifiers names no replacement")
    }

    @Test func privateClassifierIsReportedOnce() throws {
        #expect(try check(Self.metadata("Classifier: Private :: Do Not Upload\n")).codes == ["PW643"])
    }

    @Test func everyUnknownIdentifierIsNamedOnce() throws {
        let report = try check(Self.metadata("License-Expression: Foo OR (foo AND Bar WITH Baz)\n"))
        #expect(report.findings.map(\.actual) == ["Foo", "Bar", "Baz"])
        // A syntax error is PW615 alone; nothing is looked up in an expression that does not parse.
        #expect(try check(Self.metadata("License-Expression: Foo OR\n")).codes == ["PW615"])
    }

    @Test func tablesComeFromThePinnedReleases() {
        #expect(TroveClassifiers.release == "2026.9.21.13")
        #expect(TroveClassifiers.current.count == 896)
        #expect(TroveClassifiers.current.contains("Development Status :: 5 - Production/Stable"))
        #expect(TroveClassifiers.deprecated["Natural Language :: Ukranian"] == ["Natural Language :: Ukrainian"])
        #expect(SPDXLicenseList.version == "3.27.0")
        #expect(SPDXLicenseList.licenses.count + SPDXLicenseList.exceptions.count == 778)
        #expect(SPDXLicenseList.licenses.contains("apache-2.0") && SPDXLicenseList.exceptions.contains("llvm-exception"))
    }

    @Test func defaultSectionInEntryPoints() throws {
        let text = "[DEFAULT]\nextra = demo:main\n[console_scripts]\ndemo = demo:main\n[gui_scripts]\ndemo-gui = demo:main\n"
        for options in [CheckOptions(), Self.pypi] {
            let report = try check(Self.entryPoints(text), options: options)
            #expect(report.hits == [Hit(code: "PW650", entry: Self.entryPoints)])
            #expect(report.errorCodes == ["PW650"])
            #expect(report.findings.first?.message.hasPrefix("entry_points.txt line 1: a [DEFAULT] section") == true)
            #expect(report.findings.first?.actual == "extra")
        }
        // configparser matches the name exactly, and an empty [DEFAULT] adds nothing to any group.
        let twin = "[default]\nextra = demo:main\n[DEFAULT]\n# nothing\n[console_scripts]\ndemo = demo:main\n"
        #expect(try check(Self.entryPoints(twin), options: Self.pypi).codes == [])
    }
}
