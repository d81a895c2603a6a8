import EnvironmentVerification
import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing
import WheelChecks

@Suite struct UnownedFilesTests {
    @Test func orphanPthWithAnImportLineIsAnError() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try env.add("litellm_init.pth", "import os; os.system('curl evil')\n", listed: false)
            let reports = try env.verify()
            let finding = try #require(reports.last?.findings.first)
            #expect(FakeEnvironment.summary(reports) == ["PW914 litellm_init.pth"])
            #expect(finding.severity == .error)
            #expect(finding.message.contains("line 1 runs at every interpreter start: import os; os.system('curl evil')"))
            #expect(reports.last?.hasErrors == true)
        }
    }

    @Test func orphanPthThatIsAllowedOrOnlyAddsPathsIsAWarning() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            let code = "import site_hook\n"
            try env.add("hook.pth", code, listed: false)
            try env.add("paths.pth", "/opt/extra\n", listed: false)
            #expect(FakeEnvironment.summary(try env.verify()) == ["PW914 hook.pth", "PW913 paths.pth"])
            let allowed: Set = [SHA256Digest.of(Array(code.utf8))]
            #expect(FakeEnvironment.summary(try env.verify(allowed: allowed)) == ["PW913 hook.pth", "PW913 paths.pth"])
        }
    }

    @Test func orphanPthThatIsAFifoIsAnErrorAndNotRead() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            let fifo = env.sitePackages + "/evil.pth"
            #expect(mkfifo(fifo, 0o644) == 0)
            let (reports, timedOut) = FIFODeadline.run(unblocking: [fifo]) { try? env.verify() }
            #expect(!timedOut)
            #expect(FakeEnvironment.summary(try #require(reports)) == ["PW914 evil.pth"])
        }
    }

    @Test func modifiedOwnedPthIsAnError() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try env.add("demo.pth", "/opt/demo\n", listed: true)
            #expect(FakeEnvironment.summary(try env.verify()) == [])
            try TemporaryDirectory.write("import demo\n", to: env.sitePackages + "/demo.pth")
            #expect(FakeEnvironment.summary(try env.verify()) == ["PW915 demo.pth"])
        }
    }

    @Test func ownedPthWithStartupCodeIsAWarningUnlessKnown() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try env.add("demo_init.pth", "import demo\n", listed: true)
            let setuptools =
                "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local';"
                + " enabled and __import__('_distutils_hack').add_shim(); \n"
            try env.add("distutils-precedence.pth", setuptools, listed: true)
            let reports = try env.verify()
            #expect(FakeEnvironment.summary(reports) == ["PW916 demo_init.pth"])
            #expect(reports[0].findings.first?.severity == .warning)
        }
    }

    @Test func unownedFilesAreWarningsAndUnownedFoldersAreReportedOnce() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try env.add("stray.py", "x = 1\n", listed: false)
            try env.add("demo/extra.py", "x = 2\n", listed: false)
            // A cache of an unlisted source is unowned; one of a listed source is not.
            try env.add("demo/__pycache__/extra.cpython-312.pyc", "x", listed: false)
            for index in 0..<5 { try env.add("leftover/sub/m\(index).py", "", listed: false) }
            let reports = try env.verify()
            #expect(
                FakeEnvironment.summary(reports) == [
                    "PW913 demo/__pycache__/extra.cpython-312.pyc", "PW913 demo/extra.py", "PW913 leftover/", "PW913 stray.py",
                ])
            #expect(reports.last?.findings.allSatisfy { $0.severity == .warning } == true)
            #expect(reports.last?.findings.first { $0.entry == "leftover/" }?.message.contains("5 files") == true)
        }
    }

    @Test func eggInfoIsUnverifiableAndOwnsWhatItLists() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try env.add("legacy/__init__.py", "", listed: false)
            try env.add("legacy/other.py", "", listed: false)
            try env.add("legacy-0.1-py3.12.egg-info/PKG-INFO", "Name: legacy\n", listed: false)
            try env.add("legacy-0.1-py3.12.egg-info/installed-files.txt", "../legacy/__init__.py\nPKG-INFO\n", listed: false)
            #expect(FakeEnvironment.summary(try env.verify()) == ["PW912 legacy-0.1-py3.12.egg-info", "PW913 legacy/other.py"])
        }
    }

    @Test func virtualenvHookIsAWarningOnlyWhereUvOrVirtualenvMadeTheEnvironment() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            try env.add("_virtualenv.pth", "import _virtualenv", listed: false)
            try env.add("_virtualenv.py", "# patches distutils\n", listed: false)
            #expect(FakeEnvironment.summary(try env.verify()) == ["PW914 _virtualenv.pth", "PW913 _virtualenv.py"])
            try TemporaryDirectory.write("home = /usr/bin\nuv = 0.9.0\nversion_info = 3.12\n", to: env.prefix + "/pyvenv.cfg")
            #expect(FakeEnvironment.summary(try env.verify()) == ["PW917 _virtualenv.pth", "PW917 _virtualenv.py"])
            // Other bytes under the hook's name are judged as any .pth file.
            try TemporaryDirectory.write("import _virtualenv; import evil\n", to: env.sitePackages + "/_virtualenv.pth")
            #expect(FakeEnvironment.summary(try env.verify()) == ["PW914 _virtualenv.pth", "PW917 _virtualenv.py"])
        }
    }

    @Test func pthWithANonUTF8NameIsAnErrorWithoutBeingRead() throws {
        try TemporaryDirectory.with { folder in
            let env = try FakeEnvironment(in: folder)
            // A name with the byte 0xFF, which is not UTF-8, made through the C API.
            var bytes = Array((env.sitePackages + "/bad").utf8)
            bytes += [0xFF] + Array("x.pth".utf8) + [0]
            let fd = bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { open($0, O_CREAT | O_WRONLY, 0o644) }
            }
            #expect(fd >= 0)
            close(fd)
            #expect(FakeEnvironment.summary(try env.verify()) == ["PW914 bad\u{FFFD}x.pth"])
        }
    }
}
