import Testing

@testable import WheelChecks

/// The byte-level name tests agree with the `String` expressions they stand in for on ASCII names, and are the
/// rules for every other name.
@Suite struct NameBytesTests {
    static let names = [
        "", "/", "//", "a", "a.PYC", "pkg/__pycache__/m.cpython-311.pyc", "pkg/__pycache__", "x__pycache__/a.py", "lib/x.So",
        "lib/x.so.1", "libx.so", "a.pyd", "b.DyLib", "c.dll", ".so", "/abs/x.py", ".hidden.py", "pkg//a.py", "demo-1.0.data/platlib/x",
        "top.py", "top/", "a.b.c/d.e", "demo-1.0.dist-info/RECORD", "demo-1.0.data/scripts/run",
    ]

    @Test(arguments: names) func suffixesSegmentsAndSubstrings(name: String) {
        let utf8 = name.utf8
        #expect(NameBytes.hasLowercasedSuffix(utf8, ".pyc") == name.lowercased().hasSuffix(".pyc"))
        #expect(NameBytes.hasLowercasedSuffix(utf8, ".so") == name.lowercased().hasSuffix(".so"))
        #expect(NameBytes.hasSegment(utf8, "__pycache__") == name.split(separator: "/").contains("__pycache__"))
        #expect(NameBytes.contains(utf8, ".so.") == name.contains(".so."))
        #expect(NameBytes.contains(utf8, ".data/") == name.contains(".data/"))
        let first = NameBytes.firstPiece(Substring(name).utf8, UInt8(ascii: "/")).map { String(Substring($0)) }
        #expect(first == name.split(separator: "/", maxSplits: 1).first.map(String.init))
    }

    /// Names that are not ASCII go through the same byte rules: the file system and the importer see bytes.
    @Test func nonASCIINamesFollowTheByteRules() {
        func entry(_ name: String) -> WheelEntry {
            WheelEntry(index: 0, name: name, unixMode: nil, method: 8, isEncrypted: false, compressedSize: 0, uncompressedSize: 0)
        }
        #expect(!entry("d\u{E9}mo/x.SO").isASCII)
        #expect(PurityCheck.isNamedLikeNative(entry("d\u{E9}mo/x.SO")))
        #expect(PurityCheck.isNamedLikeExtensionModule(entry("d\u{E9}mo/x.cpython-311.pyd")))
        #expect(!PurityCheck.isNamedLikeNative(entry("d\u{E9}mo/x.so\u{301}")))
        #expect(PurityCheck.isPlatlib(entry("d\u{E9}mo-1.0.data/platlib/x.py")))
        #expect(HygieneCheck.isBytecode(entry("d\u{E9}mo/__pycache__/m.py")))
        #expect(HygieneCheck.moduleName(entry("\u{E9}t\u{E9}.cpython-311.so")) == "\u{E9}t\u{E9}")
        #expect(HygieneCheck.moduleName(entry("d\u{E9}mo-1.0.dist-info/METADATA")) == nil)
    }

    @Test(arguments: [
        (name: "demo-1.0.dist-info/RECORD", expected: true), (name: "demo-1.0.dist-info/entry_points.txt", expected: true),
        (name: "demo-1.0.dist-info/top_level.txt", expected: true), (name: "x/demo-1.0.dist-info/RECORD", expected: false),
        (name: "demo-1.0.dist-info/RECORD.jws", expected: false), (name: "demo/RECORD", expected: false), (name: "RECORD", expected: false),
        (name: "demo-1.0.dist-info/", expected: false), (name: "d\u{E9}mo-1.0.dist-info/WHEEL", expected: true),
    ])
    func smallMetadataFiles(name: String, expected: Bool) {
        #expect(WheelChecker.isSmallMetadataFile(name) == expected)
    }
}
