import Foundation
import PurewheelBasics
import Testing

/// The helpers replace Foundation's string and path functions in the executable, so each is held to the Foundation
/// function it replaces, which only the tests link.
@Suite struct StringEditingTests {
    static let texts = [
        "", " ", "\t\t", "abc", "  a b  ", "\ta\t", "\u{A0}x\u{3000}", "\u{2009}\u{200A}y\u{202F}\u{205F}", "\u{1680}z",
        " \u{301}e ", "\n a \n", "\r\nx", "\u{200B}w\u{200B}", "ü ", " ü", "a\u{0}", " \u{1F600} ",
    ]

    @Test(arguments: texts)
    func trimsWhatFoundationCallsWhitespace(_ text: String) {
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
        #expect(text[...].trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
    }

    @Test func trimsChosenScalars() {
        #expect("\"\"a\"b\"".trimmingScalars { $0 == "\"" } == "a\"b")
        #expect("\"\"".trimmingScalars { $0 == "\"" } == "")
    }

    @Test(arguments: [
        ("a-b-c", "-", "_"), ("x\r\ny\r", "\r", "%0D"), ("x\r\ny\r\n", "\r\n", "\n"), ("aaa", "aa", "b"), ("", "a", "b"),
        ("\"q\"", "\"", "\"\""), ("3.11", ".", ""), ("é-e\u{301}", "e", "E"), ("100%", "%", "%25"), ("abc", "abcd", "x"),
    ])
    func replacesWhatFoundationReplacesLiterally(_ text: String, _ target: String, _ replacement: String) {
        #expect(
            text.replacingLiterally(target, with: replacement)
                == text.replacingOccurrences(of: target, with: replacement, options: .literal))
    }

    @Test func whitespaceIsFoundationsWhitespaceSet() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(scalar.isWhitespace == CharacterSet.whitespaces.contains(scalar), "U+\(String(value, radix: 16))")
        }
    }

    // NSString's own functions disagree with their documentation on a few inputs (`//`), and some crash, so the
    // expectations are written out: the documented behaviour.
    @Test(arguments: [
        ("", "", ""), ("/", "/", "/"), ("a", "a", ""), ("a/", "a", ""), ("a//", "a", ""), ("/a", "a", "/"), ("/a/", "a", "/"),
        ("/a/b", "b", "/a"), ("a/b/c.whl", "c.whl", "a/b"), ("/a/b/", "b", "/a"), ("./x", "x", "."), ("../x", "x", ".."),
        ("dist/pkg-1.0-py3-none-any.whl", "pkg-1.0-py3-none-any.whl", "dist"),
    ])
    func splitsPaths(_ path: String, _ last: String, _ parent: String) {
        #expect(PathText.lastComponent(path) == last, "\(path)")
        #expect(PathText.parent(path) == parent, "\(path)")
    }

    @Test(arguments: ["a", "/a/b", "a/b/c.whl", "/a/b/", "dist/pkg-1.0-py3-none-any.whl"])
    func lastComponentIsNSStrings(_ path: String) {
        #expect(PathText.lastComponent(path) == (path as NSString).lastPathComponent)
    }
}
