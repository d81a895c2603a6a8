import Testing
import WheelModel

@Suite struct RequirementTests {
    @Test(arguments: [
        (id: "parenthesized", input: "attrs (<22,>=20.3)", canonical: "attrs<22,>=20.3"),
        (id: "spaced", input: "attrs <22,>=20.3", canonical: "attrs<22,>=20.3"),
        (id: "unsorted", input: "grpcio >=1.8.6, <2", canonical: "grpcio<2,>=1.8.6"),
        (id: "bare", input: "six", canonical: "six"),
        (id: "extras", input: "mkdocstrings [python , b]>=1", canonical: "mkdocstrings[b,python]>=1"),
        (id: "marker", input: "pre-commit ; extra=='lint'", canonical: "pre-commit; extra == \"lint\""),
        (
            id: "marker parens", input: "x; ( python_version<'3.11' and os_name != \"nt\" )",
            canonical: "x; (python_version < \"3.11\" and os_name != \"nt\")"
        ),
        (id: "not in", input: "y; 'a' not  in extra", canonical: "y; \"a\" not in extra"),
        (id: "url", input: "pkg @ https://example.invalid/p.whl", canonical: "pkg @ https://example.invalid/p.whl"),
    ])
    func canonicalizes(id: String, input: String, canonical: String) throws {
        #expect(try Requirement(parsing: input).description == canonical, "\(id)")
    }

    @Test(arguments: ["", ">=1", "x (>=1", "x >=", "x ==1 2", "x[a"])
    func rejectsInvalid(_ input: String) {
        #expect(throws: WheelFormatError.self) { try Requirement(parsing: input) }
    }
}
