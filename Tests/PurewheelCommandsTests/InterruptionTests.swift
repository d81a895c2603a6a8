import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing
import WheelModel

/// SIGINT and SIGTERM stop every command with 130 / 143: pip and what it started are stopped and reaped, and no
/// scratch (`.download-*`, the verify folder, a build's staging folder) is left; a later run removes what a
/// killed run left.
///
/// Runs the built executable, because a signal would end the test process itself. SIGINT is sent to a purewheel
/// that started with SIGINT and SIGQUIT ignored, as a shell's background job does. Each signal is sent once
/// purewheel has installed its handling and, where a pip runs, once the fake pip has recorded its pids.
@Suite struct InterruptionTests {
    /// The cases: the signal, the expected status, and whether purewheel starts with SIGINT ignored.
    static let signals: [(Int32, Int32, Bool)] = [(SIGINT, 130, true), (SIGTERM, 143, false)]

    @Test(arguments: signals)
    func checkOfAStreamThatNeverEnds(signal: Int32, status: Int32, ignored: Bool) throws {
        try TemporaryDirectory.with { folder in
            // A stream that is still open: 32 KiB (within the pipe's buffer) and no end.
            var ends: [Int32] = [-1, -1]
            try #require(pipe(&ends) == 0)
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            defer { close(ends[1]) }
            let run = try Run(
                ["check", "-", "--stdin-filename", "demo-1.0-py3-none-any.whl"], in: folder, ignoringInterrupt: ignored, input: ends[0])
            close(ends[0])
            let chunk = [UInt8](repeating: 0x50, count: 32 * 1024)
            #expect(write(ends[1], chunk, chunk.count) == chunk.count)
            try run.interrupt(with: signal, expecting: status)
            #expect(try FileIO.contents(ofDirectory: "\(folder)/tmp").isEmpty)
        }
    }

    @Test(arguments: signals)
    func pendingWhilePipAsksTheIndex(signal: Int32, status: Int32, ignored: Bool) throws {
        try TemporaryDirectory.with { folder in
            try Self.releaseRecipe().write(to: "\(folder)/r.toml")
            try FileIO.createDirectory("\(folder)/published")
            let run = try Run(
                try ["pending", "\(folder)/r.toml", "--published", "\(folder)/published"] + Self.pipOptions(folder), in: folder,
                ignoringInterrupt: ignored)
            try run.interrupt(with: signal, expecting: status, pipIn: folder)
            #expect(Self.scratch(under: "\(folder)/cache").isEmpty)
        }
    }

    @Test(arguments: signals)
    func lockWhilePipDownloads(signal: Int32, status: Int32, ignored: Bool) throws {
        try TemporaryDirectory.with { folder in
            try Self.releaseRecipe().write(to: "\(folder)/r.toml")
            try TemporaryDirectory.write("", to: "\(folder)/answer-index")
            let run = try Run(["lock", "\(folder)/r.toml"] + Self.pipOptions(folder), in: folder, ignoringInterrupt: ignored)
            try run.interrupt(with: signal, expecting: status, pipIn: folder)
            #expect(Self.scratch(under: "\(folder)/cache").isEmpty)
        }
    }

    @Test(arguments: signals)
    func buildWhilePipDownloads(signal: Int32, status: Int32, ignored: Bool) throws {
        try TemporaryDirectory.with { folder in
            try Self.pinnedRecipe(in: folder)
            let run = try Run(
                ["build", "\(folder)/r.toml", "--upstream-version", "1.0", "--out", "\(folder)/dist"] + Self.pipOptions(folder), in: folder,
                ignoringInterrupt: ignored)
            try run.interrupt(with: signal, expecting: status, pipIn: folder)
            #expect(Self.scratch(under: "\(folder)/cache").isEmpty)
            #expect(try FileIO.contents(ofDirectory: "\(folder)/dist").isEmpty)
        }
    }

    @Test(arguments: signals)
    func verifyProvenanceWhilePipDownloads(signal: Int32, status: Int32, ignored: Bool) throws {
        try TemporaryDirectory.with { folder in
            let upstream = try Self.pinnedRecipe(in: folder)
            let built = CommandRun.run(["build", "\(folder)/r.toml", "--wheel", upstream, "--out", "\(folder)/dist"])
            #expect(built.status == 0, "\(built.stderr)")
            let run = try Run(
                ["verify-provenance", "\(folder)/dist/demo_pure-1.0-py3-none-any.whl", "--recipe", "\(folder)/r.toml"]
                    + Self.pipOptions(folder), in: folder, ignoringInterrupt: ignored)
            try run.interrupt(with: signal, expecting: status, pipIn: folder)
            #expect(Self.scratch(under: "\(folder)/cache").isEmpty)
            #expect(try FileIO.contents(ofDirectory: "\(folder)/tmp").isEmpty)
        }
    }

    /// SIGKILL leaves the download folder; the next download beside it removes it once it is old enough, since
    /// its owner lock is free.
    @Test func aLaterRunRemovesTheScratchOfAKilledRun() throws {
        try TemporaryDirectory.with { folder in
            try Self.pinnedRecipe(in: folder)
            let arguments =
                try ["build", "\(folder)/r.toml", "--upstream-version", "1.0", "--out", "\(folder)/dist"] + Self.pipOptions(folder)
            let run = try Run(arguments, in: folder, ignoringInterrupt: false)
            let pids = try run.waitUntilReady(pipIn: folder)
            kill(run.pid, SIGKILL)
            run.waitUntilExit()
            if let pip = pids.first { kill(-pip, SIGKILL) }
            let left = Self.scratch(under: "\(folder)/cache")
            try #require(left.count == 1, "\(left)")
            // Still young: a download that has just begun looks the same, so it stays.
            try TemporaryDirectory.write("#!/bin/sh\nexit 1\n", to: "\(folder)/pip")
            var environment = ProcessInfo.processInfo.environment
            environment["PUREWHEEL_PIP"] = "/bin/sh '\(folder)/pip'"
            _ = CommandRun.run(arguments, environment: environment)
            #expect(Self.scratch(under: "\(folder)/cache") == left)
            var old = stat()
            stat(left[0], &old)
            var times = [timespec(tv_sec: old.st_mtim.tv_sec - 3600, tv_nsec: 0), timespec(tv_sec: old.st_mtim.tv_sec - 3600, tv_nsec: 0)]
            utimensat(AT_FDCWD, left[0], &times, 0)
            _ = CommandRun.run(arguments, environment: environment)
            #expect(Self.scratch(under: "\(folder)/cache").isEmpty)
        }
    }

    // MARK: - Fixtures

    /// A recipe that `lock` and `pending` can ask pip about.
    static func releaseRecipe() -> RecipeFiles {
        RecipeFiles(recipe: RecipeFiles.minimalDemoRecipe(), distribution: "demo", pins: []).replacingOccurrences(
            of: "canonical_platform = \"linux\"",
            with: "canonical_platform = \"linux\"\npython_versions = [\"3.11\"]\nplatforms = [\"manylinux_2_17_x86_64\"]")
    }

    /// Writes a recipe pinning one upstream wheel of demo 1.0 to `<folder>/r.toml` and returns that wheel's path.
    @discardableResult
    static func pinnedRecipe(in folder: String) throws -> String {
        let builder = WheelBuilder(
            distribution: "demo", version: "1.0", tag: WheelTag(parsing: "cp311-cp311-manylinux_2_17_x86_64")!,
            files: [WheelBuilder.File("demo/__init__.py", "X = 1\n")], rootIsPurelib: false)
        let path = try builder.write(in: "\(folder)/in")
        try BuildCommandTests.recipe(steps: "", pins: [(builder.filename, SHA256Digest.of(try TemporaryDirectory.read(path)))])
            .write(to: "\(folder)/r.toml")
        return path
    }

    /// Writes the fake pip and returns the options naming the cache; `Run` names the fake pip in
    /// `PUREWHEEL_PIP`, run by `/bin/sh`: a script just written cannot be executed while another test's child
    /// may still hold it open (ETXTBSY).
    ///
    /// The fake pip answers `pip index` with
    /// version 1.0 when `<folder>/answer-index` exists; otherwise it starts a child of its own, records both pids
    /// in `<folder>/pids` and waits until a signal ends it.
    static func pipOptions(_ folder: String) throws -> [String] {
        try TemporaryDirectory.write(
            """
            #!/bin/sh
            if [ "$1" = index ] && [ -e '\(folder)/answer-index' ]; then echo 'Available versions: 1.0'; exit 0; fi
            sleep 1000 &
            echo "$$ $!" > '\(folder)/pids.tmp' && mv '\(folder)/pids.tmp' '\(folder)/pids'
            wait

            """, to: "\(folder)/pip")
        return ["--cache-dir", "\(folder)/cache"]
    }

    /// Every scratch folder (`.download-*`) under `folder`.
    static func scratch(under folder: String) -> [String] {
        let found = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
        return found.filter { ($0 as NSString).lastPathComponent.hasPrefix(".download-") }.map { "\(folder)/\($0)" }.sorted()
    }
}

/// The executable running one command, with `TMPDIR` at `<folder>/tmp`, stdout to `/dev/null` and stderr to
/// `<folder>/stderr`; started with `ChildProcess.start` and reaped here with `waitpid`, so that the test knows
/// exactly when it ended.
private final class Run {
    let pid: pid_t
    /// The `waitpid` status once it ended.
    private(set) var waitStatus: Int32?

    /// `purewheel` beside the test bundle, so that any `--scratch-path` works.
    static var executable: String {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return ((bundle as NSString).deletingLastPathComponent as NSString).appendingPathComponent("purewheel")
    }

    /// Starts `purewheel arguments`; `input` is a descriptor for its standard input (else `/dev/null`).
    init(_ arguments: [String], in folder: String, ignoringInterrupt: Bool, input: Int32? = nil) throws {
        try #require(FileIO.kind(of: Self.executable) == .regular, "build the package first (swift build --build-tests)")
        try FileIO.createDirectory("\(folder)/tmp")
        // As a shell starts a background job: SIGINT and SIGQUIT ignored, which exec keeps.
        let argv =
            ignoringInterrupt
            ? ["/bin/sh", "-c", "trap '' INT QUIT; exec \"$0\" \"$@\"", Self.executable] + arguments : [Self.executable] + arguments
        let errorFile = open("\(folder)/stderr", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        try #require(errorFile >= 0)
        defer { close(errorFile) }
        pid = try ChildProcess.start(
            argv[0], arguments: Array(argv.dropFirst()),
            overrides: ["TMPDIR": "\(folder)/tmp", "PUREWHEEL_PIP": "/bin/sh '\(folder)/pip'"],
            streams: ChildProcess.Streams(input: input, error: errorFile))
    }

    /// Whether it has ended (reaping it then).
    var hasEnded: Bool {
        if waitStatus != nil { return true }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { waitStatus = status }
        return waitStatus != nil
    }

    /// Waits until it ends.
    func waitUntilExit() {
        while !hasEnded { usleep(10_000) }
    }

    /// Waits until purewheel blocks SIGINT and SIGTERM (its handling is installed) and, with `pipIn`, until the
    /// fake pip recorded its pids, which it returns.
    func waitUntilReady(pipIn folder: String? = nil) throws -> [pid_t] {
        var pids = [pid_t]()
        var handling = false
        let both: UInt64 = 1 << (SIGINT - 1) | 1 << (SIGTERM - 1)
        for _ in 0..<400 where !(handling && (folder == nil || pids.count == 2)) && !hasEnded {
            usleep(25_000)
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("SigBlk:") }
            let blocked = line.flatMap { UInt64($0.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) } ?? 0
            handling = blocked & both == both
            if let folder, let text = try? String(contentsOfFile: "\(folder)/pids", encoding: .utf8) {
                pids = text.split(whereSeparator: \.isWhitespace).compactMap { pid_t($0) }
            }
        }
        #expect(handling, "purewheel did not install its signal handling")
        if let folder {
            let stderr = (try? String(contentsOfFile: "\(folder)/stderr", encoding: .utf8)) ?? ""
            try #require(pids.count == 2, "the fake pip did not start; purewheel said: \(stderr)")
        }
        return pids
    }

    /// Sends `signal` once ready, and expects exit `status`, the fake pip reaped and its child ended.
    func interrupt(with signal: Int32, expecting status: Int32, pipIn folder: String? = nil) throws {
        let pids = try waitUntilReady(pipIn: folder)
        // Whatever the outcome, nothing of the fake pip outlives the test.
        defer { if let pip = pids.first { kill(-pip, SIGKILL) } }
        kill(pid, signal)
        for _ in 0..<600 where !hasEnded { usleep(25_000) }
        let ended = hasEnded
        if !ended {
            kill(pid, SIGKILL)
            waitUntilExit()
        }
        #expect(ended, "purewheel went on after the signal")
        let raw = waitStatus ?? 0
        #expect(raw & 0x7f == 0, "purewheel was ended by signal \(raw & 0x7f) instead of exiting")
        #expect((raw >> 8) & 0xff == status)
        guard let pip = pids.first, let child = pids.last else { return }
        // purewheel reaped pip before it exited: no process, not even a zombie, is left with its pid.
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(pip)"), "pip is still there")
        // pip's own child is not purewheel's to reap, but it must have ended (a zombie is an ended process).
        // The signal reaches it at once, but a loaded machine may schedule its exit a little later.
        for _ in 0..<400 where Self.isRunning(child) { usleep(25_000) }
        #expect(!Self.isRunning(child), "pip's child is still running")
    }

    private static func isRunning(_ pid: Int32) -> Bool {
        let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let state = stat?.split(separator: ")").last?.split(separator: " ").first
        return !(state == nil || state == "Z")
    }
}
