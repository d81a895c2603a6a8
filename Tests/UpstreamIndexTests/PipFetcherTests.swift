import Foundation
import PurewheelBasics
import PurewheelTestSupport
import Synchronization
import Testing
import UpstreamIndex
import WheelBuild
import WheelModel

/// PipFetcher against a stand-in `pip` (a shell script that records its arguments and "downloads" a prepared
/// file into --dest), so the seam is exercised without a network or Python.
@Suite struct PipFetcherTests {
    private func fakePip(in folder: String, serving wheel: String) throws -> String {
        let script = """
            #!/bin/sh
            echo "$@" >> "\(folder)/pip-calls"
            dest=""
            while [ $# -gt 0 ]; do
              if [ "$1" = "--dest" ]; then dest="$2"; fi
              shift
            done
            cp "\(wheel)" "$dest/"
            """
        let path = "\(folder)/fake-pip"
        try TemporaryDirectory.write(script, to: path)
        chmod(path, 0o755)
        return path
    }

    @Test func buildsSharingACacheTakeTurns() throws {
        try TemporaryDirectory.with { folder in
            let wheel = try WheelBuilder(tag: WheelTag(parsing: "cp311-cp311-manylinux_2_17_x86_64")!).write(in: "\(folder)/served")
            let name = try WheelFilename(parsing: wheel)
            let digest = SHA256Digest.of(try TemporaryDirectory.read(wheel))
            let fetcher = PipFetcher(pipCommand: [try fakePip(in: folder, serving: wheel)], cacheDirectory: "\(folder)/cache")
            try FileIO.createDirectory("\(folder)/cache/demo/1.0")
            // Another build holds the version folder's lock: this one must wait instead of downloading.
            let held = try FileLock.acquire("\(folder)/cache/demo/1.0/.lock")
            let done = DispatchSemaphore(value: 0)
            let outcome = Mutex<Result<String, FetchError>?>(nil)
            Thread.detachNewThread {
                let result = Result { () throws(FetchError) -> String in
                    try fetcher.fetch(distribution: "demo", version: "1.0", wheel: name, expected: digest)
                }
                outcome.withLock { $0 = result }
                done.signal()
            }
            #expect(done.wait(timeout: .now() + 0.5) == .timedOut)
            #expect(!FileIO.exists("\(folder)/pip-calls"))
            held.release()
            #expect(done.wait(timeout: .now() + 30) == .success)
            #expect(try outcome.withLock { try $0?.get() } == "\(folder)/cache/demo/1.0/\(name)")
        }
    }

    @Test func downloadsOnceThenUsesTheCache() throws {
        try TemporaryDirectory.with { folder in
            let wheel = try WheelBuilder(tag: WheelTag(parsing: "cp311-cp311-manylinux_2_17_x86_64")!).write(in: "\(folder)/served")
            let name = try WheelFilename(parsing: wheel)
            let digest = SHA256Digest.of(try TemporaryDirectory.read(wheel))
            let fetcher = PipFetcher(pipCommand: [try fakePip(in: folder, serving: wheel)], cacheDirectory: "\(folder)/cache")
            let path = try fetcher.fetch(distribution: "demo", version: "1.0", wheel: name, expected: digest)
            #expect(path == "\(folder)/cache/demo/1.0/\(name)")
            _ = try fetcher.fetch(distribution: "demo", version: "1.0", wheel: name, expected: digest)
            let calls = String(decoding: try TemporaryDirectory.read("\(folder)/pip-calls"), as: UTF8.self).split(separator: "\n")
            #expect(calls.count == 1)
            #expect(calls.first?.hasPrefix("download --no-deps --only-binary=:all:") == true)
            #expect(calls.first?.hasSuffix("--python-version 3.11 --implementation cp --abi cp311 demo==1.0 -vv") == true)
        }
    }

    @Test func aDamagedCacheEntryIsFetchedAgain() throws {
        try TemporaryDirectory.with { folder in
            let wheel = try WheelBuilder(tag: WheelTag(parsing: "cp311-cp311-manylinux_2_17_x86_64")!).write(in: "\(folder)/served")
            let name = try WheelFilename(parsing: wheel)
            let digest = SHA256Digest.of(try TemporaryDirectory.read(wheel))
            try TemporaryDirectory.write("garbage", to: "\(folder)/cache/demo/1.0/\(name)")
            let fetcher = PipFetcher(pipCommand: [try fakePip(in: folder, serving: wheel)], cacheDirectory: "\(folder)/cache")
            let path = try fetcher.fetch(distribution: "demo", version: "1.0", wheel: name, expected: digest)
            #expect(SHA256Digest.of(try TemporaryDirectory.read(path)) == digest)
        }
    }

    @Test func pipFailureCarriesItsOutput() throws {
        try TemporaryDirectory.with { folder in
            try TemporaryDirectory.write("#!/bin/sh\necho 'ERROR: No matching distribution found' >&2\nexit 1\n", to: "\(folder)/pip")
            chmod("\(folder)/pip", 0o755)
            let fetcher = PipFetcher(pipCommand: ["\(folder)/pip"], cacheDirectory: "\(folder)/cache")
            let name = try WheelFilename(parsing: "demo-1.0-py3-none-any.whl")
            #expect {
                _ = try fetcher.fetch(distribution: "demo", version: "1.0", wheel: name, expected: SHA256Digest.of([]))
            } throws: { error in
                guard case FetchError.pipFailed(_, let status, let output) = error else { return false }
                return status == 1 && output == "ERROR: No matching distribution found"
            }
        }
    }

    /// pip discards a file whose metadata contradicts its name and then says "no matching distribution": the
    /// build names the contradiction instead.
    @Test func aFileContradictingItsNameIsNamedSo() throws {
        try TemporaryDirectory.with { folder in
            let discarding =
                "Discarding https://i.invalid/demo-1.0-py3-none-any.whl: Requested demo==1.0 from https://i.invalid/demo-1.0-py3-none-any.whl"
                + " has inconsistent version: expected '1.0', but metadata has '1.1'"
            let script = "#!/bin/sh\necho \"\(discarding)\"\necho 'ERROR: No matching distribution found for demo==1.0'\nexit 1\n"
            try TemporaryDirectory.write(script, to: "\(folder)/pip")
            chmod("\(folder)/pip", 0o755)
            let fetcher = PipFetcher(pipCommand: ["\(folder)/pip"], cacheDirectory: "\(folder)/cache")
            let name = try WheelFilename(parsing: "demo-1.0-py3-none-any.whl")
            #expect {
                _ = try fetcher.fetch(distribution: "demo", version: "1.0", wheel: name, expected: SHA256Digest.of([]))
            } throws: { error in
                guard let error = error as? FetchError, case .inconsistentFile(_, let line) = error else { return false }
                return line == discarding && error.category == .badInput
                    && error.message.hasPrefix("the index serves a file whose contents contradict its name")
            }
        }
    }

    @Test func pureTagsLeaveThePythonVersionToPip() throws {
        let name = try WheelFilename(parsing: "six-1.16.0-py2.py3-none-any.whl")
        #expect(
            PipFetcher.downloadArguments(distribution: "six", version: "1.16.0", wheel: name, into: "/d") == [
                "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "--dest", "/d", "six==1.16.0",
            ])
    }

    @Test func pipArgumentsSelectExactlyThePinnedFile() throws {
        let wheel = try WheelModel.WheelFilename(parsing: "ml_metadata-1.17.1-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
        #expect(
            PipFetcher.downloadArguments(distribution: "ml-metadata", version: "1.17.1", wheel: wheel, into: "/c") == [
                "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "--dest", "/c",
                "--platform", "manylinux_2_17_x86_64", "--platform", "manylinux2014_x86_64",
                "--python-version", "3.10", "--implementation", "cp", "--abi", "cp310", "ml-metadata==1.17.1",
            ])
    }
}
