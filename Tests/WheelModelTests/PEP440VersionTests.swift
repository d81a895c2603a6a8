import Testing
import WheelModel

@Suite struct PEP440VersionTests {
    @Test(arguments: [
        ("1.0.0-beta.1", "1.0.0b1"), ("1.0-ALPHA", "1.0a0"), ("v2.1", "2.1"), ("1.0c1", "1.0rc1"),
        ("1.0-1", "1.0.post1"), ("1.0.rev2", "1.0.post2"), ("1!2.0.dev", "1!2.0.dev0"), ("1.0+Ubuntu-1", "1.0+ubuntu.1"),
        ("1.0preview2", "1.0rc2"), (" 1.2 ", "1.2"), ("\t1.2\n", "1.2"),
        // Lowercasing comes first: the Kelvin sign becomes an ASCII k.
        ("1.0+\u{212A}", "1.0+k"),
    ])
    func normalizesSpellings(_ pair: (String, String)) throws {
        #expect(try #require(PEP440Version(parsing: pair.0)).description == pair.1)
    }

    @Test(arguments: [
        "", "1..0", "a1", "1.0+", "1.0-foo", "1.0_", "1.0+a..b", "1.2.3.4!",
        // A CRLF, or a combining mark on a digit or a space, is no part of a version.
        "1.0\r\n", "1\u{301}.0", " \u{301}1.0", "1.0\u{301}",
    ])
    func rejectsNonVersions(_ text: String) {
        #expect(PEP440Version(parsing: text) == nil)
        #expect(!PEP440.isValid(text))
    }

    @Test func ordersAsTheSpecSays() throws {
        let ordered = [
            "1.0.dev1", "1.0a1", "1.0a2.dev1", "1.0a2", "1.0b1", "1.0rc1", "1.0", "1.0+local", "1.0.post1.dev1", "1.0.post1", "1.1", "1.10",
            "1!0.1",
        ]
        let versions = try ordered.map { try #require(PEP440Version(parsing: $0)) }
        for (earlier, later) in zip(versions, versions.dropFirst()) {
            #expect(earlier < later, "\(earlier) < \(later)")
        }
        #expect(PEP440Version(parsing: "1.0") == PEP440Version(parsing: "1.0.0"))
        #expect(PEP440Version(parsing: "1.0.0-beta.1") == PEP440Version(parsing: "1.0.0b1"))
    }

    struct SpecifierCase: CustomTestStringConvertible, Sendable {
        let specifier: String
        let contains: [String]
        let excludes: [String]
        var testDescription: String { specifier }
    }

    @Test(arguments: [
        SpecifierCase(specifier: ">=1.17", contains: ["1.17", "1.17.0", "1.21.0", "2.0"], excludes: ["1.16.9", "1.22.0rc1", "1.17.dev1"]),
        SpecifierCase(specifier: "<1.17", contains: ["1.14.0", "1.16.0", "1.16.post1"], excludes: ["1.17.0", "1.17.0rc1", "1.17.1"]),
        SpecifierCase(specifier: "~=1.21.0", contains: ["1.21.0", "1.21.9"], excludes: ["1.22.0", "1.20.9"]),
        SpecifierCase(specifier: "==1.17.*", contains: ["1.17", "1.17.1"], excludes: ["1.18.0", "1.1"]),
        SpecifierCase(specifier: "!=1.15.0, >=1.14", contains: ["1.14.0", "1.16.0"], excludes: ["1.15", "1.13"]),
        SpecifierCase(specifier: ">1.0", contains: ["1.1"], excludes: ["1.0", "1.0.post1"]),
        SpecifierCase(specifier: ">=1.0rc1", contains: ["1.0rc1", "1.0", "1.1a1"], excludes: ["1.0b2"]),
        SpecifierCase(specifier: "==1.0", contains: ["1.0.0", "1.0+local"], excludes: ["1.0.1"]),
        SpecifierCase(specifier: "<=1.0", contains: ["1.0", "0.9", "1.0+local"], excludes: ["1.0.1", "1.0.post1"]),
        SpecifierCase(specifier: "===1.0", contains: ["1.0"], excludes: ["1.0.0", "1.0+local"]),
    ])
    func specifierSetsDecideMembership(_ testCase: SpecifierCase) throws {
        let set = try #require(VersionSpecifierSet(parsing: testCase.specifier))
        for version in testCase.contains { #expect(set.contains(version), "\(version) in \(testCase.specifier)") }
        for version in testCase.excludes { #expect(!set.contains(version), "\(version) not in \(testCase.specifier)") }
    }

    @Test(
        arguments: zip(
            ["===1", "==1", "!=1", "~=1", "<=1", ">=1", "<1", ">1"],
            [
                VersionOperator.arbitraryEquality, .equal, .notEqual, .compatible, .lessOrEqual, .greaterOrEqual, .less,
                .greater,
            ]))
    func operatorsAreReadLongestSpellingFirst(_ clause: String, _ expected: VersionOperator) {
        #expect(VersionOperator(prefixOf: clause) == expected)
    }

    @Test(arguments: ["", "1.0", ">=", "~=1", ">=1.0.*", ">=1.0,", "=>1.0", "=1.0", "~1.0"])
    func rejectsMalformedSpecifiers(_ text: String) {
        #expect(VersionSpecifierSet(parsing: text) == nil)
    }
}

/// The one rule for comparing version spellings that may not parse (lock, recipe, checker, index listings).
@Suite struct PEP440SpellingTests {
    @Test(arguments: [
        ("1.0", "1.0.0", true), ("1.0RC1", "1.0rc1", true), ("1.0.0-beta.1", "1.0.0b1", true), ("1.0.0_beta.1", "1.0.0b1", true),
        ("1.0", "1.0.post0", false), ("1.0", "1.0+local", false), ("v1.0", "1.0", true),
        // Spellings that do not parse compare loosely: case, `_` for `-`, a leading `v`.
        ("Foo_Bar", "foo-bar", true), ("foo", "bar", false), ("1..0", "1.0", false),
    ])
    func sameVersion(_ lhs: String, _ rhs: String, _ same: Bool) {
        #expect(PEP440.areSame(lhs, rhs) == same)
        #expect(PEP440.areSame(rhs, lhs) == same)
    }

    @Test func sortsByPEP440ThenByText() {
        let versions = ["1.10.0", "1.9.0", "1.9", "1.9.0rc1", "junk", "1.0.dev1", "1.9.0"]
        #expect(PEP440.sortedUnique(versions) == ["1.0.dev1", "1.9.0rc1", "1.9.0", "1.10.0", "junk"])
        #expect(["1.9", "1.9.0"].sorted(by: PEP440.precedes) == ["1.9", "1.9.0"])
        #expect(["1.9.0", "1.9"].sorted(by: PEP440.precedes) == ["1.9", "1.9.0"])
    }

    /// A revision appends the one post segment PEP 440 allows, only to a version without a post, development or local one.
    @Test(
        arguments: [
            ("1.0", "1.0.post2"), ("1!1.0rc1", "1!1.0rc1.post2"), ("1.0.0", "1.0.0.post2"), ("1.0.post1", nil), ("1.0.dev1", nil),
            ("1.0+local", nil),
        ] as [(String, String?)])
    func postReleaseOfAVersion(_ version: String, _ revised: String?) throws {
        let parsed = try #require(PEP440Version(parsing: version))
        #expect(parsed.withPostRelease(2)?.description == revised)
        if let revised {
            #expect(PEP440Version(parsing: revised)?.postReleaseBase == parsed)
        }
    }

    @Test func onlyAPlainPostReleaseHasABase() {
        #expect(PEP440Version(parsing: "1.0")?.postReleaseBase == nil)
        #expect(PEP440Version(parsing: "1.0.post1.dev2")?.postReleaseBase == nil)
        #expect(PEP440Version(parsing: "1.0.post1+x")?.postReleaseBase == nil)
        #expect(PEP440Version(parsing: "1.0-3")?.postReleaseBase?.description == "1.0")
    }
}
