import EnvironmentVerification
import FoundationEssentials
import Glibc
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
        guard let answer = run(executable, environment: environment.variables) else { throw .interpreterNotFound(interpreter) }
        let explanation = String(decoding: answer.errors, as: UTF8.self).split(separator: "\n").suffix(4).joined(separator: "\n")
        guard answer.status == 0 else { throw .interpreterFailed(interpreter, status: answer.status, output: explanation) }
        guard let sites = parse(answer.output) else {
            throw .interpreterFailed(interpreter, status: 0, output: "its answer is not pairs of absolute UTF-8 paths")
        }
        // Nothing verified must not read as "ok".
        guard !sites.isEmpty else { throw .interpreterFailed(interpreter, status: 0, output: "it has no site-packages folder") }
        return sites
    }

    /// What the interpreter printed on standard output and standard error, and its exit status or the number of
    /// the signal that ended it.
    struct Answer {
        var output: [UInt8]
        var errors: [UInt8]
        var status: Int32 = 0
    }

    /// Runs the script with `executable` in `environment`, reading both streams as they come, and kills it once
    /// `timeoutSeconds` have passed; `nil` when it cannot be started.
    ///
    /// It is registered with `Interruption`, so a signal stops it like any child of a command.
    private static func run(_ executable: String, environment: [String: String]) -> Answer? {
        let started = try? Interruption.shared.startChild { () throws(FileSystemError) -> (pid_t, (output: Int32, errors: Int32)) in
            // Close-on-exec, and made under the registry's mutex, so no other child inherits them.
            var output: [Int32] = [-1, -1]
            var errors: [Int32] = [-1, -1]
            guard pipe(&output) == 0 else { throw .operationFailed(operation: "create a pipe for", path: executable, errno: .current) }
            guard pipe(&errors) == 0 else {
                let failure = Errno.current
                for end in output { close(end) }
                throw .operationFailed(operation: "create a pipe for", path: executable, errno: failure)
            }
            for end in output + errors { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            defer {
                close(output[1])
                close(errors[1])
            }
            do throws(FileSystemError) {
                let pid = try ChildProcess.start(
                    executable, arguments: ["-S", "-c", script], environment: environment,
                    streams: .init(output: output[1], error: errors[1]))
                return (pid, (output[0], errors[0]))
            } catch {
                close(output[0])
                close(errors[0])
                throw error
            }
        }
        guard let (pid, ends) = started else { return nil }
        var received: [Int32: [UInt8]] = [ends.output: [], ends.errors: []]
        var open = [ends.output, ends.errors]
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
        var killed = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            var waiting = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let left = (deadline - ContinuousClock.now) / .milliseconds(1)
            let ready = poll(&waiting, nfds_t(waiting.count), killed ? -1 : Int32(max(0, left.rounded(.up))))
            // swift-system wraps no `poll`, so an interrupted one is retried here.
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 && !killed {
                // Not reaped yet, so the pid is still this child's.
                kill(pid, SIGKILL)
                killed = true
                continue
            }
            for entry in waiting where ready < 0 || entry.revents != 0 {
                let outcome = buffer.withUnsafeMutableBytes { bytes in
                    Result { () throws(Errno) in try FileIO.read(from: entry.fd, into: bytes) }
                }
                if case .success(let count) = outcome, count > 0 {
                    received[entry.fd, default: []] += buffer[0..<count]
                } else {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        var answer = Answer(output: received[ends.output] ?? [], errors: received[ends.errors] ?? [])
        // An unknown outcome must never read as success: it is reported as exit status 255.
        let status = Interruption.shared.reap(pid) ?? 0xff00
        let signaled = status & 0x7f != 0 && status & 0x7f != 0x7f
        answer.status = signaled ? status & 0x7f : (status >> 8) & 0xff
        return answer
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
