import Testing

@testable import EnvironmentVerification

@Suite struct InstalledPathTests {
    @Test(arguments: [
        (record: "pkg/mod.py", expected: "/env/lib/py/site/pkg/mod.py"),
        (record: "../../../bin/tool", expected: "/env/bin/tool"),
        (record: "pkg/./mod.py", expected: "/env/lib/py/site/pkg/mod.py"),
        (record: "pkg//mod.py", expected: "/env/lib/py/site/pkg/mod.py"),
        (record: "pkg/../../x", expected: "/env/lib/py/x"),
        (record: "../../../../../../../etc/passwd", expected: "/etc/passwd"),
        (record: "/etc/hostname", expected: "/etc/hostname"),
        (record: "pkg/...", expected: "/env/lib/py/site/pkg/..."),
        (record: "pkg/a..b/.hidden", expected: "/env/lib/py/site/pkg/a..b/.hidden"),
        (record: "pkg/sub/", expected: "/env/lib/py/site/pkg/sub"),
        (record: "..", expected: "/env/lib/py"),
    ])
    func resolvesAgainstSitePackagesOnTheText(record: String, expected: String) {
        #expect(InstalledPath.resolve(record, in: "/env/lib/py/site") == expected)
    }

    @Test func withinComparesWholeSegments() {
        #expect(InstalledPath.isWithin("/env/bin/tool", "/env"))
        #expect(InstalledPath.isWithin("/env", "/env"))
        #expect(!InstalledPath.isWithin("/environment/x", "/env"))
        #expect(InstalledPath.isWithin("/x", "/"))
    }

    @Test(
        arguments: [
            (path: "pkg/__pycache__/mod.cpython-312.pyc", source: "pkg/mod.py"),
            (path: "pkg/__pycache__/mod.cpython-312.opt-1.pyc", source: "pkg/mod.py"),
            (path: "__pycache__/six.cpython-311.pyc", source: "six.py"),
            (path: "pkg/mod.pyc", source: nil),
            (path: "pkg/__pycache__/mod.pyc", source: nil),
            (path: "pkg/__pycache__/.cpython-312.pyc", source: nil),
        ] as [(path: String, source: String?)])
    func byteCodeCachesNameTheirSource(path: String, source: String?) {
        #expect(InstalledPath.cachedSource(of: path) == source)
    }

    @Test(arguments: [
        (realPath: "/venv/lib/python3.12/site-packages", prefix: "/venv"),
        (realPath: "/usr/lib/python3/dist-packages", prefix: "/usr"),
        (realPath: "/usr/lib64/python3.12/site-packages", prefix: "/usr"),
        (realPath: "/srv/target", prefix: "/srv/target"),
        (realPath: "/venv/lib/site-packages", prefix: "/venv/lib/site-packages"),
    ])
    func prefixIsInferredFromTheLayout(realPath: String, prefix: String) {
        #expect(SitePackages.inferredPrefix(of: realPath) == prefix)
    }
}
