import EnvironmentVerification
import Foundation
import PurewheelBasics
import Synchronization

/// Asks a Python interpreter where its site-packages folders are (`sysconfig`, `site`, the user site when enabled)
/// and each one's prefix.
///
/// The interpreter runs with `-S`, so that no `.pth` file of the environment under verification runs while it is
/// asked (its startup code is what `verify-env` looks for); the script then does what `site.main` does to find the
/// folders, without processing them: `site.venv` first, as it sets `sys.prefix` for a venv and `sysconfig` reads that
/// when it is imported. It prints NUL-separated path and prefix pairs as bytes.
enum SitePackagesQuery {
    /// The script; it runs on CPython 3.9 and later.
    static let script = """
        import os, site, sys
        site.venv(None)
        import sysconfig
        if site.ENABLE_USER_SITE is None:
            site.ENABLE_USER_SITE = site.check_enableusersite()
        paths = [sysconfig.get_path("purelib"), sysconfig.get_path("platlib")] + site.getsitepackages()
        if site.ENABLE_USER_SITE:
            paths.append(site.getusersitepackages())
        bases = [sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix, site.getuserbase()]
        bases = [b for b in site.PREFIXES + bases if b]
        seen = set()
        out = []
        for path in paths:
            real = os.path.realpath(path)
            if not os.path.isdir(path) or real in seen:
                continue
            seen.add(real)
            found = [b for b in bases if path == b or path.startswith(b.rstrip("/") + "/")]
            prefix = max(found, key=len) if found else path
            out.append(os.fsencode(path) + b"\\0" + os.fsencode(prefix) + b"\\0")
        sys.stdout.buffer.write(b"".join(out))
        """

    /// How long the interpreter may take to answer before it is killed.
    static let timeoutSeconds = 60

    /// The site-packages folders of `interpreter` (a path, or a name looked up on `PATH`), in the interpreter's order.
    ///
    /// - Throws: `EnvironmentVerificationError.interpreterNotFound` when it cannot be started, `.interpreterFailed`
    ///   when it fails, times out or answers something else than pairs of paths.
    static func sitePackages(of interpreter: String, in environment: CommandEnvironment) throws(EnvironmentVerificationError)
        -> [SitePackages]
    {
        guard let executable = interpreter.contains("/") ? interpreter : environment.findExecutable([interpreter]) else {
            throw .interpreterNotFound(interpreter)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-S", "-c", script]
        process.environment = environment.variables
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .interpreterNotFound(interpreter)
        }
        let finished = Mutex(false)
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(timeoutSeconds)) {
            finished.withLock { done in if !done { kill(pid, SIGKILL) } }
        }
        let errorText = Mutex(Data())
        let errorReader = DispatchGroup()
        DispatchQueue.global().async(group: errorReader) {
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            errorText.withLock { $0 = data }
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        errorReader.wait()
        // Marked under the lock before reaping, so the timer can never signal a process id that was reused.
        finished.withLock { $0 = true }
        process.waitUntilExit()
        let stderr = errorText.withLock { String(decoding: $0, as: UTF8.self) }
        let explanation = stderr.split(separator: "\n").suffix(4).joined(separator: "\n")
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw .interpreterFailed(interpreter, status: process.terminationStatus, output: explanation)
        }
        guard let sites = parse(Array(data)) else {
            throw .interpreterFailed(interpreter, status: 0, output: "its answer is not pairs of absolute UTF-8 paths")
        }
        // Nothing verified must not read as "ok".
        guard !sites.isEmpty else { throw .interpreterFailed(interpreter, status: 0, output: "it has no site-packages folder") }
        return sites
    }

    /// NUL-terminated path, prefix, path, prefix, …; `nil` for anything else.
    static func parse(_ bytes: [UInt8]) -> [SitePackages]? {
        guard bytes.isEmpty || bytes.last == 0 else { return nil }
        let fields = bytes.split(separator: 0, omittingEmptySubsequences: false).dropLast()
        guard fields.count % 2 == 0 else { return nil }
        var sites = [SitePackages]()
        var index = fields.startIndex
        while index < fields.endIndex {
            guard let path = String(validating: fields[index], as: UTF8.self),
                let prefix = String(validating: fields[index + 1], as: UTF8.self), path.hasPrefix("/"), prefix.hasPrefix("/")
            else { return nil }
            sites.append(SitePackages(path: path, prefix: prefix))
            index += 2
        }
        return sites
    }
}
