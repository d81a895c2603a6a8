import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Testing
import WheelModel

/// `lock` and `pending` against a stand-in pip: a shell script that answers `pip index versions` and
/// `pip download` from a folder of wheels the test builds (no network, no Python), as pip would for the
/// given --python-version and --platform.
@Suite struct ReleaseCommandTests {
    /// Marker files beside it make it misbehave as pip does with a bad index.
    ///
    /// Each as pip prints it with `-vv`, as purewheel runs it: `down` (a refused connection), `says` (its content is pip's "Could not fetch URL" reason or warning line),
    /// `nolinks` (a 200 page without links: no debug line at all), `flaky` (every third call is rate-limited),
    /// `lying` (the downloaded file's metadata contradicts its name). Like this machine's pip.conf, it also reads
    /// find-links from `wheelhouse/` unless `PIP_FIND_LINKS` is blank. Every call is logged to `calls`.
    static let fakePip = """
        #!/bin/sh
        here="$(dirname "$0")"
        served="$here/served"
        arguments=" $* "
        echo "$*|find-links=${PIP_FIND_LINKS-unset}|extra=${PIP_EXTRA_INDEX_URL-unset}" >> "$here/calls"
        links="$here/wheelhouse"
        case "${PIP_FIND_LINKS-x}" in " ") links="" ;; esac
        mode="$1"; shift
        [ "$mode" = "index" ] && shift
        dest=""; py=""; plats=""; spec=""
        while [ $# -gt 0 ]; do
          case "$1" in
            --dest) dest="$2"; shift ;;
            --python-version) py="$2"; shift ;;
            --platform) plats="$plats $2"; shift ;;
            --index-url) served="${2#file://}"; shift ;;
            --abi|--implementation) shift ;;
            -*) ;;
            *) spec="$1" ;;
          esac
          shift
        done
        none() { echo "ERROR: No matching distribution found for $spec"; exit 1; }
        if [ -f "$here/down" ]; then
          # As pip with PIP_RETRIES=0: the reason is a debug line, printed only with -vv.
          case "$arguments" in *" -vv "*) echo "Could not fetch URL https://index.invalid/simple/x/: connection error: Connection refused" ;; esac
          none
        fi
        if [ -f "$here/says" ]; then cat "$here/says"; none; fi
        if [ -f "$here/nolinks" ]; then none; fi
        if [ -f "$here/flaky" ]; then
          while ! mkdir "$here/counting" 2>/dev/null; do sleep 0.01; done
          n=$(( $(cat "$here/count" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$here/count"
          rmdir "$here/counting"
          if [ $((n % 3)) -eq 0 ]; then
            echo "Could not fetch URL https://index.invalid/simple/x/: 429 Client Error: Too Many Requests for url: https://index.invalid/simple/x/ - skipping"
            none
          fi
        fi
        dist=$(echo "${spec%%==*}" | tr '-' '_'); version="*"
        case "$spec" in *==*) version=$(echo "${spec#*==}" | sed 's/^[vV]//') ;; esac
        if [ "$mode" = "download" ] && [ -f "$here/lying" ]; then
          echo "Discarding https://index.invalid/files/x.whl (from https://index.invalid/simple/x/): Requested $spec from https://index.invalid/files/x.whl has inconsistent version: expected '$version', but metadata has '0.5'"
          echo "ERROR: Could not find a version that satisfies the requirement $spec (from versions: $version)"
          none
        fi
        found=""
        if [ -z "$py" ]; then
          for f in "$served"/$dist-$version-*.whl $links/$dist-$version-*.whl; do [ -f "$f" ] && found="$found $f"; done
        fi
        for p in $plats; do
          for f in "$served"/$dist-$version-cp$(echo "$py" | tr -d .)-*-$p.whl; do [ -f "$f" ] && found="$found $f"; done
        done
        [ -z "$found" ] && none
        if [ "$mode" = "download" ]; then set -- $found; cp "$1" "$dest/"; exit 0; fi
        echo "$dist (x)"
        echo "Available versions: $(for f in $found; do basename "$f" | cut -d- -f2; done | sort -u | paste -sd, | sed 's/,/, /g')"
        """

    struct Fixture {
        let folder: String
        var recipe: String { "\(folder)/recipes/demo.toml" }
        var lock: String { "\(folder)/recipes/demo.lock" }
        var pip: String { "\(folder)/pip/pip" }
        var served: String { "\(folder)/pip/served" }

        func run(_ arguments: [String]) -> CommandRun {
            CommandRun.run(arguments + ["--pip", pip, "--cache-dir", "\(folder)/cache"])
        }

        func lockBytes() throws -> [UInt8] { try TemporaryDirectory.read(lock) }

        /// The arguments and find-links settings of every pip call so far, one per line.
        func pipCalls() -> [String] {
            ((try? String(contentsOfFile: "\(folder)/pip/calls", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    static func upstream(_ version: String, _ tag: String, extension hasExtension: Bool = true) -> WheelBuilder {
        var files = [WheelBuilder.File("demo/__init__.py", "VERSION = '\(version)'\n")]
        if hasExtension { files.append(WheelBuilder.File("demo/_ext.so", bytes: NativeMagic.elf)) }
        return WheelBuilder(distribution: "demo", version: version, tag: WheelTag(parsing: tag)!, files: files, rootIsPurelib: false)
    }

    /// Serves demo 0.5, 1.0 (Linux and Windows) and 1.1 (Linux); the lock pins the two 1.0 files.
    static func make(in folder: String) throws -> Fixture {
        let fixture = Fixture(folder: folder)
        try TemporaryDirectory.write(fakePip, to: fixture.pip)
        chmod(fixture.pip, 0o755)
        var pins = [(String, SHA256Digest)]()
        for (version, tag) in [
            ("0.5", "cp311-cp311-manylinux_2_17_x86_64"), ("1.0", "cp311-cp311-manylinux_2_17_x86_64"), ("1.0", "cp310-cp310-win_amd64"),
            ("1.1", "cp311-cp311-manylinux_2_17_x86_64"),
        ] {
            let path = try upstream(version, tag).write(in: fixture.served)
            if version == "1.0" { pins.append(((path as NSString).lastPathComponent, SHA256Digest.of(try TemporaryDirectory.read(path)))) }
        }
        try RecipeFiles(
            recipe: """
                schema = 1
                strip = ["demo/_ext.so"]
                [source]
                distribution = "demo"
                canonical_platform = "linux"
                versions = ">=1.0"
                python_versions = ["3.10", "3.11"]
                platforms = ["manylinux_2_17_x86_64", "win_amd64"]
                [output]
                distribution = "demo-pure"
                tag = "py3-none-any"
                [metadata]
                summary = "Pure demo"
                """, distribution: "demo", pins: pins
        ).write(to: fixture.recipe)
        return fixture
    }

    @Test func pendingListsUnpublishedVersionsForACIMatrix() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Self.make(in: folder)
            try FileManager.default.createDirectory(atPath: "\(folder)/published", withIntermediateDirectories: true)
            let empty = fixture.run(["pending", fixture.recipe, "--published", "\(folder)/published", "--format", "json"])
            #expect(empty.status == 0, "\(empty.stderr)")
            #expect(
                empty.stdout == """
                    {"unbuildable":[{"reason":"outside [source] versions (>=1.0)","version":"0.5"}],"versions":[{"output":"1.0","pinned":true,"version":"1.0"},{"output":"1.1","pinned":false,"version":"1.1"}]}

                    """)
            // Once 1.0 is published (in a folder, or on an index asked through pip), only 1.1 is pending.
            try WheelBuilder(distribution: "demo_pure", version: "1.0").write(in: "\(folder)/published")
            for published in ["\(folder)/published", "file://\(folder)/published"] {
                let run = fixture.run(["pending", fixture.recipe, "--published", published])
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout == "1.1  not pinned: lock it, review the pins\n0.5  not built: outside [source] versions (>=1.0)\n")
            }
        }
    }

    /// A published 1.0 with the recipe at revision 1: 1.0 is pending again, as the fixed repack 1.0.post1.
    @Test func pendingNamesTheRevisionToPublishAndTheOnePublished() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Self.make(in: folder)
            let text = String(decoding: try TemporaryDirectory.read(fixture.recipe), as: UTF8.self)
            try TemporaryDirectory.write(text + "\n[versions.\"1.0\"]\nrevision = 1\n", to: fixture.recipe)
            try WheelBuilder(distribution: "demo_pure", version: "1.0").write(in: "\(folder)/published")
            try WheelBuilder(distribution: "demo_pure", version: "1.1.post1").write(in: "\(folder)/published")
            let run = fixture.run(["pending", fixture.recipe, "--published", "\(folder)/published"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(
                run.stdout == """
                    1.0  pinned: build, check and publish as 1.0.post1 (1.0 is published, an older revision)
                    0.5  not built: outside [source] versions (>=1.0)
                    1.1  not built: 1.1.post1 is published, a newer revision than the recipe's 1.1: a revision only goes up

                    """)
            let json = fixture.run(["pending", fixture.recipe, "--published", "\(folder)/published", "--format", "json"])
            #expect(json.stdout.contains(#""versions":[{"output":"1.0.post1","pinned":true,"published":"1.0","version":"1.0"}]"#))
        }
    }

    /// pip says "No matching distribution" for an unreachable index too; with retries off only its debug
    /// line tells why, and `pending` must fail then, not report "nothing pending" to the release job.
    @Test func pendingWithTheIndexDownFailsInsteadOfReportingNothing() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Self.make(in: folder)
            try FileManager.default.createDirectory(atPath: "\(folder)/published", withIntermediateDirectories: true)
            try TemporaryDirectory.write("", to: "\(folder)/pip/down")
            let run = fixture.run(["pending", fixture.recipe, "--published", "\(folder)/published"])
            #expect(run.status == 74, "\(run.stdout)")
            #expect(run.stdout == "")
            #expect(run.stderr.contains("pip could not reach the index"), "\(run.stderr)")
            #expect(run.stderr.contains("connection error: Connection refused"), "\(run.stderr)")
            // pip's telling lines, each on its own line, not its debug output.
            #expect(run.stderr.contains("-vv'):\n  Could not fetch URL"), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 4, "\(run.stderr)")
        }
    }

    @Test func pendingCountsOnlyOutputTaggedWheelsAsPublished() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Self.make(in: folder)
            // The output keeps upstream's name, as recipes/google-crc32c-pure.toml does.
            let text = try String(contentsOfFile: fixture.recipe, encoding: .utf8)
            try text.replacingOccurrences(of: "distribution = \"demo-pure\"", with: "distribution = \"demo\"")
                .write(toFile: fixture.recipe, atomically: true, encoding: .utf8)
            let published = "\(folder)/published"
            let platformWheel = "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"
            let upstreamBytes = try TemporaryDirectory.read("\(fixture.served)/\(platformWheel)")
            try TemporaryDirectory.write(upstreamBytes, to: "\(published)/\(platformWheel)")
            let before = fixture.run(["pending", fixture.recipe, "--published", published])
            #expect(before.status == 0, "\(before.stderr)")
            #expect(before.stdout.hasPrefix("1.0  pinned: build, check and publish\n1.1  not pinned"), "\(before.stdout)")
            try WheelBuilder(distribution: "demo", version: "1.0").write(in: published)
            let after = fixture.run(["pending", fixture.recipe, "--published", published])
            #expect(after.stdout.hasPrefix("1.1  not pinned"), "\(after.stdout)")
        }
    }

    @Test func lockPinsANewReleaseOnceAndTheBuildUsesIt() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Self.make(in: folder)
            let served = "\(fixture.served)/demo-1.1-cp311-cp311-manylinux_2_17_x86_64.whl"
            let digest = SHA256Digest.of(try TemporaryDirectory.read(served))
            let first = fixture.run(["lock", fixture.recipe, "--upstream-version", "1.1"])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(
                first.stdout.contains("1.1: pinned 1 new file\n  demo-1.1-cp311-cp311-manylinux_2_17_x86_64.whl  sha256 \(digest.hex)\n"))
            let lock = String(decoding: try fixture.lockBytes(), as: UTF8.self)
            #expect(lock.hasSuffix("\n[versions.\"1.1\"]\n\"demo-1.1-cp311-cp311-manylinux_2_17_x86_64.whl\" = \"\(digest.hex)\"\n"))
            // Running it again changes nothing, byte for byte.
            let second = fixture.run(["lock", fixture.recipe, "--upstream-version", "1.1"])
            #expect(second.status == 0)
            #expect(second.stdout == "1.1: unchanged (1 pinned file matches)\n\(fixture.lock) is up to date\n")
            #expect(String(decoding: try fixture.lockBytes(), as: UTF8.self) == lock)
            // The build finds the pinned file in the cache the lock filled; no recipe edit was needed.
            try FileManager.default.removeItem(atPath: served)
            let build = fixture.run(["build", fixture.recipe, "--upstream-version", "1.1", "--out", "\(folder)/dist"])
            #expect(build.status == 0, "\(build.stderr)")
            #expect(FileIO.exists("\(folder)/dist/demo_pure-1.1-py3-none-any.whl"))
        }
    }

    @Test func lockWithoutVersionsPinsEveryBuildableRelease() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Self.make(in: folder)
            let run = fixture.run(["lock", fixture.recipe])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("1.0: unchanged (2 pinned files match)\n1.1: pinned 1 new file\n"))
            #expect(!String(decoding: try fixture.lockBytes(), as: UTF8.self).contains("0.5"))
        }
    }

    @Test func aChangedUpstreamFileIsAnAlarmAndTheLockStays() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Self.make(in: folder)
            let before = try fixture.lockBytes()
            let name = "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"
            let pinned = SHA256Digest.of(try TemporaryDirectory.read("\(fixture.served)/\(name)"))
            var replaced = Self.upstream("1.0", "cp311-cp311-manylinux_2_17_x86_64")
            replaced.files[0] = WheelBuilder.File("demo/__init__.py", "VERSION = 'not what was pinned'\n")
            try FileManager.default.removeItem(atPath: "\(fixture.served)/\(name)")
            let served = SHA256Digest.of(try TemporaryDirectory.read(try replaced.write(in: fixture.served)))
            let run = fixture.run(["lock", fixture.recipe, "--upstream-version", "1.0"])
            #expect(run.status == 3)
            #expect(run.stderr.contains("\(name): pinned sha256 \(pinned.hex), the index serves sha256 \(served.hex)"))
            #expect(try fixture.lockBytes() == before)
        }
    }

    struct BadInput: CustomTestStringConvertible, Sendable {
        let id: String
        let arguments: [String]
        let status: Int32
        let stderr: String
        var testDescription: String { id }
    }

    @Test(arguments: [
        BadInput(
            id: "unknown version", arguments: ["--upstream-version", "9.9"], status: 66,
            stderr: "the index has no wheel of demo 9.9 for the recipe's Python versions and platforms"),
        BadInput(
            id: "outside [source] versions", arguments: ["--upstream-version", "0.5"], status: 78,
            stderr: "(source.versions): version 0.5 is outside the versions the recipe builds (>=1.0)"),
        BadInput(id: "index down", arguments: ["--upstream-version", "1.1", "down"], status: 74, stderr: "pip could not reach the index"),
        BadInput(
            id: "release the recipe does not fit", arguments: ["--upstream-version", "1.2"], status: 78,
            stderr:
                "demo-1.2-cp311-cp311-manylinux_2_17_x86_64.whl does not build with the recipe, so nothing was pinned: glob 'demo/_ext.so' matches no entry of the upstream wheel"
        ),
    ])
    func badInputNamesWhatFailedAndLeavesTheLock(_ bad: BadInput) throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Self.make(in: folder)
            // 1.2 dropped its extension: the recipe's strip no longer matches.
            try Self.upstream("1.2", "cp311-cp311-manylinux_2_17_x86_64", extension: false).write(in: fixture.served)
            var arguments = bad.arguments
            if arguments.last == "down" {
                arguments.removeLast()
                try TemporaryDirectory.write("", to: "\(folder)/pip/down")
            }
            let before = try fixture.lockBytes()
            let run = fixture.run(["lock", fixture.recipe] + arguments)
            #expect(run.status == bad.status, "\(run.stderr)")
            #expect(run.stderr.contains(bad.stderr), "\(run.stderr)")
            #expect(try fixture.lockBytes() == before)
        }
    }

    @Test func aMalformedLockNamesTheLockAndKey() throws {
        try TemporaryDirectory.with { folder in
            let fixture = try Self.make(in: folder)
            let lock = String(decoding: try fixture.lockBytes(), as: UTF8.self)
            let name = "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"
            let pin = SHA256Digest.of(try TemporaryDirectory.read("\(fixture.served)/\(name)"))
            try TemporaryDirectory.write(lock.replacingOccurrences(of: pin.hex, with: "0123456789"), to: fixture.lock)
            let run = fixture.run(["build", fixture.recipe, "--upstream-version", "1.0", "--out", "\(folder)/dist"])
            #expect(run.status == 78)
            #expect(run.stderr.contains("error: \(fixture.lock) (versions.\"1.0\".\"\(name)\"): '0123456789' is not a sha256"))
            #expect(run.stderr.contains("is not a sha256 (64 hexadecimal digits)"))
        }
    }
}
