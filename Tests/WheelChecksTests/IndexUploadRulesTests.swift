import PurewheelTestSupport
import Testing
import WheelModel

@testable import WheelChecks

/// PW628–PW642 and PW514: PyPI's upload rules on names and METADATA (warehouse `forklift/legacy.py`, `forklift/metadata.py`,
/// `utils/wheel.py`), one refused wheel and one accepted twin per rule: errors under `--profile pypi`, warnings by default.
@Suite struct IndexUploadRulesTests {
    static let pypi = IndexRuleCase.pypi

    typealias Case = IndexRuleCase

    /// A wheel whose METADATA is `text` after the three required fields of `version`.
    static func metadata(_ text: String, version: String = "2.1") -> WheelBuilder { Case.metadata(text, version: version) }

    static func entryPoints(_ text: String) -> WheelBuilder { Case.entryPoints(text) }

    static let cases: [Case] = [
        Case(name: "file name not normalized", code: "PW628", refused: WheelBuilder(distribution: "Demo"), twin: WheelBuilder()),
        Case(name: "local version", code: "PW630", refused: WheelBuilder(version: "1.0+local"), twin: WheelBuilder(version: "1.0.post1")),
        Case(
            name: "Metadata-Version 2.0", code: "PW631", refused: metadata("", version: "2.0"), twin: metadata("", version: "1.2")),
        Case(
            name: "e-mail address", code: "PW632", refused: metadata("Author-email: Dev <dev@localhost>\n"),
            twin: metadata("Author-email: \"Dev, Inc.\" <dev@example.org>, other@example.org\nMaintainer-email: m@example.org\n")),
        Case(
            name: "URL scheme", code: "PW633", refused: metadata("Home-page: ftp://example.org/demo\n"),
            twin: metadata("Home-page: https://example.org/a b?q=ü\nDownload-URL: http://[::1]:8080/x\n")),
        Case(
            // rfc3986 drops an authority it cannot parse, so only a well-formed one with a port above 65535 is refused.
            name: "URL port", code: "PW633", refused: metadata("Project-URL: Source, https://example.org:99999/\n"),
            twin: metadata("Project-URL: Source, https://exa mple.org:99999/\nProject-URL: Docs, https://example.org:65535/\n")),
        Case(
            name: "Project-URL without URL", code: "PW634", refused: metadata("Project-URL: Source\n"),
            twin: metadata("Project-URL: Source, https://example.org\nProject-URL: Docs, https://example.org/docs\n")),
        Case(
            name: "Project-URL label too long", code: "PW634",
            refused: metadata("Project-URL: \(String(repeating: "l", count: 33)), https://example.org\n"),
            twin: metadata("Project-URL: \(String(repeating: "l", count: 32)), https://example.org\n")),
        Case(
            name: "Project-URL label twice", code: "PW634",
            refused: metadata("Project-URL: Source, https://example.org\nProject-URL: Source, https://example.org/2\n"),
            twin: metadata("Project-URL: Source, https://example.org\nProject-URL: source2, https://example.org/2\n")),
        Case(
            name: "Summary too long", code: "PW635", refused: metadata("Summary: \(String(repeating: "é", count: 513))\n"),
            twin: metadata("Summary: \(String(repeating: "é", count: 512))\n")),
        Case(
            name: "License and License-Expression", code: "PW636",
            refused: metadata("License: MIT\nLicense-Expression: MIT\n", version: "2.4"),
            twin: metadata("License-Expression: MIT\n", version: "2.4")),
        Case(
            name: "script name", code: "PW637", refused: entryPoints("[console_scripts]\nmy tool = demo:main\n"),
            twin: entryPoints("[console_scripts]\nmy-tool.v2_ü = demo:main\n[other]\nmy tool = demo:main\n")),
        Case(
            name: "Dynamic field", code: "PW638", refused: metadata("Dynamic: Homepage\n", version: "2.2"),
            twin: metadata("Dynamic: Home-Page\nDynamic: import-name\n", version: "2.2")),
        Case(
            name: "direct URL requirement", code: "PW639", refused: metadata("Requires-Dist: other @ https://example.org/other.whl\n"),
            twin: metadata("Requires-Dist: other>=1; extra == \"x\"\nProvides-Extra: x\n")),
        Case(name: "unknown field", code: "PW640", refused: metadata("Tag: x\n"), twin: metadata("Keywords: x\n")),
        Case(
            name: "field newer than Metadata-Version", code: "PW641", refused: metadata("License-Expression: MIT\n", version: "2.1"),
            twin: metadata("License-Expression: MIT\n", version: "2.4")),
        Case(
            name: "Description field and body", code: "PW642", refused: metadata("Description: short\n\nlong\n"),
            twin: metadata("\nlong\n")),
        Case(
            name: "private classifier", code: "PW643", refused: metadata("Classifier: Private :: Do Not Upload\n"),
            twin: metadata("Classifier: Programming Language :: Python :: 3\n")),
        Case(
            name: "Provides-Dist syntax", code: "PW644", refused: metadata("Provides-Dist: demo (1.0\n", version: "1.2"),
            twin: metadata("Provides-Dist: demo (>=1.0)\nObsoletes-Dist: olddemo\n", version: "1.2")),
        Case(
            name: "Obsoletes-Dist URL", code: "PW644", refused: metadata("Obsoletes-Dist: old @ https://example.org/old.whl\n"),
            twin: metadata("Obsoletes-Dist: old<2\n")),
        Case(
            name: "platform tag", code: "PW514",
            refused: WheelBuilder(tag: WheelTag(python: "py3", abi: "none", platform: "linux_x86_64")),
            twin: WheelBuilder(tag: WheelTag(python: "py3", abi: "none", platform: "manylinux_2_17_x86_64"))),
    ]

    @Test(arguments: cases) func refusedByTheIndexOnly(_ testCase: Case) throws { try testCase.expectRefusedByTheIndexOnly() }

    @Test func distInfoSpelledAsTheFileName() throws {
        let respelled = RawZipBuilder(
            entries: RawWheel.entries([RawZipBuilder.Entry("demo/__init__.py", "")], distInfo: "Demo-1.0.dist-info"))
        let report = try check(raw: respelled, options: Self.pypi)
        #expect(report.hits == [Hit(code: "PW629", entry: "Demo-1.0.dist-info/")])
        #expect(report.errorCodes == ["PW629"])
        let twin = RawZipBuilder(entries: RawWheel.entries([RawZipBuilder.Entry("demo/__init__.py", "")]))
        #expect(try check(raw: twin, options: Self.pypi).codes == [])
    }

    @Test(arguments: [
        (id: "fixed list", tag: "win_arm64", accepted: true),
        (id: "manylinux ppc64", tag: "manylinux_2_28_ppc64", accepted: true),
        (id: "musllinux ppc64", tag: "musllinux_1_2_ppc64", accepted: false),
        (id: "musllinux riscv64", tag: "musllinux_1_2_riscv64", accepted: true),
        (id: "generic linux", tag: "linux_x86_64", accepted: false),
        (id: "macOS 10.x", tag: "macosx_10_9_universal2", accepted: true),
        (id: "macOS 11.1", tag: "macosx_11_1_arm64", accepted: false),
        (id: "macOS 26", tag: "macosx_26_0_arm64", accepted: true),
        (id: "macOS 16", tag: "macosx_16_0_arm64", accepted: false),
        (id: "iOS device", tag: "ios_13_0_arm64_iphoneos", accepted: true),
        (id: "iOS simulator", tag: "ios_13_0_x86_64_iphonesimulator", accepted: true),
        (id: "iOS arch", tag: "ios_13_0_armv7_iphoneos", accepted: false),
        (id: "Android", tag: "android_21_arm64_v8a", accepted: true),
        (id: "Android arch", tag: "android_21_mips", accepted: false),
        (id: "pyemscripten", tag: "pyemscripten_2026_0_wasm32", accepted: true),
        (id: "old emscripten", tag: "emscripten_3_1_58_wasm32", accepted: false),
        (id: "uppercase", tag: "Win_AMD64", accepted: true),
    ])
    func platformAllowList(id: String, tag: String, accepted: Bool) {
        #expect(IndexPlatforms.accepts(tag) == accepted)
    }

    @Test func abi3tAndPyemscriptenTagsPass() throws {
        var stable = WheelBuilder(tag: WheelTag(python: "cp315", abi: "abi3", platform: "manylinux_2_28_x86_64"))
        stable.rootIsPurelib = false
        stable.wheelText =
            "Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: false\nTag: cp315-abi3-manylinux_2_28_x86_64\n"
            + "Tag: cp315-abi3t-manylinux_2_28_x86_64\n"
        let report = try TemporaryDirectory.with { folder in
            let path = try stable.write(in: folder)
            let renamed = "\(folder)/demo-1.0-cp315-abi3.abi3t-manylinux_2_28_x86_64.whl"
            try TemporaryDirectory.write(try TemporaryDirectory.read(path), to: renamed)
            return WheelChecker(options: Self.pypi).check(path: renamed)
        }
        #expect(report.codes == [])
        let web = WheelBuilder(tag: WheelTag(python: "cp314", abi: "none", platform: "pyemscripten_2026_0_wasm32"))
        #expect(try check(web, options: Self.pypi).codes == [])
    }

    /// Verdicts of `rfc3986` 2.0.0 with warehouse's `is_valid_uri` settings, and of `email_validator` 2.4.0 after `parseaddr`.
    @Test(arguments: [
        (url: "https://example.org", valid: true), (url: "ftp://example.org", valid: false), (url: "UNKNOWN", valid: false),
        (url: "//example.org", valid: false), (url: "http:foo", valid: true), (url: "HTTPS://EXAMPLE.ORG", valid: true),
        (url: "https://example.org:99999/", valid: false), (url: "https://user:pw@example.org:65536", valid: false),
        (url: "http://[::1]:70000/", valid: false), (url: "https://example.org:123456/", valid: true),
        (url: "https://host:8a/", valid: true), (url: "https://exa mple.org/", valid: true), (url: "https://bücher.de/", valid: true),
        (url: "https://example.org:/x", valid: true), (url: "https://example.org/%zz", valid: true),
        (url: "https://a%41:65536", valid: false), (url: "https://a%4:65536", valid: true), (url: "https://[vFF.x]:65536", valid: false),
        (url: "https://[zz]:65536", valid: true), (url: "https://:65536", valid: false),
    ])
    func urlsAsTheIndexFindsThem(url: String, valid: Bool) {
        #expect(WebURL.isValid(url) == valid)
    }

    @Test func emailAddressesAsTheIndexFindsThem() {
        #expect(EmailAddress.single(in: "A <a@x.org>, B <b@y.org>") == nil)
        #expect(EmailAddress.single(in: "\"A, B\" <a@x.org>") == "a@x.org")
        #expect(EmailAddress.single(in: "a@x.org") == "a@x.org")
        #expect(EmailAddress.single(in: "a@x.org (Name)") == "a@x.org")
        #expect(EmailAddress.single(in: "Name (comment) <a@x.org>") == "a@x.org")
        #expect(EmailAddress.isValid("first.last+tag@sub.example.org"))
        #expect(EmailAddress.isValid("ü@bücher.de"))
        #expect(EmailAddress.isValid("a@b.c") && EmailAddress.isValid("a@x.example"))
        for bad in [
            "a@x", "a..b@x.org", ".a@x.org", "a@-x.org", "a@sub.-x.org", "a@x.123", "a@x.test", "x@y.arpa", "\"q\"@x.org", "a@x_y.org",
            "@b.org", "a@[1.2.3.4]",
        ] {
            #expect(!EmailAddress.isValid(bad), "\(bad)")
        }
    }
}
