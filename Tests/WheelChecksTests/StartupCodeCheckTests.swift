import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing
import WheelChecks

@Suite struct StartupCodeCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var path: String
        var content: [UInt8]
        var expected: [String]
        var testDescription: String { name }

        init(_ name: String, path: String = "demo_init.pth", _ text: String, _ expected: [String]) {
            self.init(name, path: path, bytes: Array(text.utf8), expected)
        }

        init(_ name: String, path: String = "demo_init.pth", bytes: [UInt8], _ expected: [String]) {
            self.name = name
            self.path = path
            self.content = bytes
            self.expected = expected
        }
    }

    static let cases: [Case] = [
        Case("an import line at the top level", "import os; os.system('id')\n", ["PW803"]),
        Case("an import line after paths", "demo/vendor\nimport demo.hook\n", ["PW803"]),
        Case("import followed by a tab", "import\tdemo.hook\n", ["PW803"]),
        Case("paths only", "demo/vendor\n../shared\n# import os is a comment\n", []),
        Case("import without a space is a path", "importlib_stuff\n", []),
        Case("an indented import is a path", " import os\n", []),
        Case("in .data/purelib", path: "demo-1.0.data/purelib/demo.pth", "import demo\n", ["PW803"]),
        Case("in .data/platlib", path: "demo-1.0.data/platlib/demo.pth", "import demo\n", ["PW803"]),
        Case("inside a package site does not read", path: "demo/data.pth", "import os\n", []),
        Case("in .data/data site does not read", path: "demo-1.0.data/data/demo.pth", "import os\n", []),
        Case("a byte order mark does not hide the line", bytes: [0xEF, 0xBB, 0xBF] + Array("import os\n".utf8), ["PW803"]),
        Case("a lone CR ends a line", "demo/vendor\rimport os\r", ["PW803"]),
        Case("a form feed ends a line for Python 3.13", "demo/vendor\u{0C}import os\n", ["PW803"]),
        Case("U+2028 ends a line for Python 3.13", "demo/vendor\u{2028}import os\n", ["PW803"]),
        Case("not UTF-8", bytes: Array("demo/\u{E9}\n".utf8.prefix(5)) + [0xE9, 0x0A], ["PW803"]),
        Case(
            "setuptools' own file, byte for byte", path: "distutils-precedence.pth",
            "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local';"
                + " enabled and __import__('_distutils_hack').add_shim(); \n", []),
        Case(
            "setuptools' file with one byte changed", path: "distutils-precedence.pth",
            "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local';"
                + " enabled and __import__('_distutils_hack').add_shim();\n", ["PW803"]),
        Case("a .PTH name site does not read", path: "demo.PTH", "import os\n", []),
        Case("setuptools' namespace lines", path: "demo-1.0-nspkg.pth", nspkg(["google"]) + "\n" + nspkg(["google", "cloud"]) + "\n", []),
        Case(
            "a namespace line with code appended", path: "demo-1.0-nspkg.pth", nspkg(["google"]) + ";import os\n", ["PW803"]),
        Case(
            "a namespace line whose name is code", path: "demo-1.0-nspkg.pth",
            nspkg(["google"]).replacingOccurrences(of: "'google'", with: "'g'+__import__('os').name"), ["PW803"]),
    ]

    /// The line setuptools writes for a namespace package, spelled out here independently of the checker's template.
    static func nspkg(_ parts: [String]) -> String {
        let name = parts.joined(separator: ".")
        let tuple = parts.count == 1 ? "('\(name)',)" : "(" + parts.map { "'\($0)'" }.joined(separator: ", ") + ")"
        var line =
            "import sys, types, os;p = os.path.join(sys._getframe(1).f_locals['sitedir'], *\(tuple));importlib = "
            + "__import__('importlib.util');__import__('importlib.machinery');m = sys.modules.setdefault('\(name)', "
            + "importlib.util.module_from_spec(importlib.machinery.PathFinder.find_spec('\(name)', [os.path.dirname(p)])));"
            + "m = m or sys.modules.setdefault('\(name)', types.ModuleType('\(name)'));mp = (m or []) and "
            + "m.__dict__.setdefault('__path__',[]);(p not in mp) and mp.append(p)"
        if parts.count > 1 {
            line += ";m and setattr(sys.modules['\(parts.dropLast().joined(separator: "."))'], '\(parts.last ?? "")', m)"
        }
        return line
    }

    @Test(arguments: cases)
    func startupLines(_ testCase: Case) throws {
        let builder = WheelBuilder(files: [
            .init("demo/__init__.py", "VALUE = 1\n"), .init(testCase.path, bytes: testCase.content),
        ])
        let report = try check(builder)
        #expect(report.codes.filter { $0 == "PW803" } == testCase.expected)
        #expect(report.findings.filter { $0.code == .startupCode }.allSatisfy { $0.severity == .error && $0.entry == testCase.path })
    }

    @Test func theFindingNamesTheLineAndTheDigest() throws {
        let text = "demo/vendor\nimport demo.hook; demo.hook.run()\n"
        let report = try check(WheelBuilder(files: [.init("demo/__init__.py", ""), .init("demo_init.pth", text)]))
        let finding = try #require(report.findings.first { $0.code == .startupCode })
        #expect(finding.message == "line 2 of the .pth file runs at every interpreter start: import demo.hook; demo.hook.run()")
        #expect(finding.actual == "sha256 \(SHA256Digest.of(Array(text.utf8)).hex)")
    }

    @Test func anAllowedDigestPasses() throws {
        let text = "import demo.hook\n"
        let builder = WheelBuilder(files: [.init("demo/__init__.py", ""), .init("demo_init.pth", text)])
        let allowed = CheckOptions(allowedStartupCode: [SHA256Digest.of(Array(text.utf8))])
        #expect(try check(builder, options: allowed).codes.filter { $0 == "PW803" } == [])
        let other = CheckOptions(allowedStartupCode: [SHA256Digest.of(Array("import other\n".utf8))])
        #expect(try check(builder, options: other).codes.filter { $0 == "PW803" } == ["PW803"])
    }

    @Test func aRecordSignatureIsAWarning() throws {
        let builder = WheelBuilder(files: [
            .init("demo/__init__.py", ""), .init("demo-1.0.dist-info/RECORD.jws", "{}"),
            .init("demo-1.0.dist-info/RECORD.p7s", "x"),
        ])
        let report = try check(builder)
        #expect(
            report.hits.filter { $0.code == "PW804" }.map(\.entry) == ["demo-1.0.dist-info/RECORD.jws", "demo-1.0.dist-info/RECORD.p7s"])
        #expect(report.findings.filter { $0.code == .recordSignature }.allSatisfy { $0.severity == .warning })
        #expect(try check(WheelBuilder(files: [.init("demo/RECORD.jws", "{}")])).codes.filter { $0 == "PW804" } == [])
    }
}
