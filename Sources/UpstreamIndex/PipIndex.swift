// UpstreamIndex: everything purewheel asks of a package index, always through pip so that the user's index
// settings apply: the pinned files a build downloads, the versions an index lists, new pins in the lock, and the
// versions still to release.
//
// Entry points: `PipFetcher` (the build's `WheelFetcher`), `PipIndex`, `Locker.lock(versions:)` and `write(_:)`,
// `PendingReport`, `LockChange` (what a lock handed on changes). Failures are `ReleaseError`; pip runs fail the
// fetch seam with its `FetchError`.

import FoundationEssentials
import PurewheelBasics
import WheelModel

/// Asks an index about a distribution through pip: which versions have wheels for a Python version and set of platforms
/// (`pip index versions`), and which file pip picks for one of them (`pip download`).
///
/// pip filters both by the running interpreter's tags unless told the target, so every query names its target Python version,
/// implementation, ABI and platforms.
public struct PipIndex: Sendable {
    /// Runs pip.
    public let pip: PipRunner

    /// Creates an index client.
    public init(pip: PipRunner) { self.pip = pip }

    /// The versions of `distribution` that have a wheel for CPython `pythonVersion` on any of `platforms` (`nil` and `[]`: whatever pip's
    /// own interpreter accepts, which fits pure wheels), on `indexURL` or the user's configured index.
    ///
    /// Pre-releases included; none found is an empty list.
    ///
    /// - Throws: `ReleaseError.indexUnreachable`, `.pipFailed`, `.fetch`.
    public func versions(of distribution: String, pythonVersion: String?, platforms: [String], indexURL: String? = nil) throws(ReleaseError)
        -> [String]
    {
        var arguments = ["index", "versions", distribution, "--pre", "--ignore-requires-python", "--disable-pip-version-check"]
        if let indexURL { arguments += ["--index-url", indexURL] }
        if let pythonVersion {
            arguments += ["--only-binary=:all:"] + PipIndex.target(pythonVersion: pythonVersion, platforms: platforms)
        }
        let outcome = try run(arguments)
        if outcome.status != 0 {
            if outcome.nothingMatches { return [] }
            throw .pipFailed(command: outcome.commandLine, status: outcome.status, output: outcome.explanation)
        }
        // pip prints "Available versions: 1.21.0, 1.17.1, ..." (stable since pip 21.2).
        guard let line = outcome.output.split(separator: "\n").first(where: { $0.hasPrefix("Available versions:") }) else { return [] }
        return line.dropFirst("Available versions:".count).split(separator: ",").map { $0.trimmingWhitespace() }.filter {
            !$0.isEmpty
        }
    }

    /// Downloads the wheel pip picks for `distribution==version` on CPython `pythonVersion` and `platform` into
    /// the empty folder `folder`; returns the names of the files it wrote (none when nothing matches).
    ///
    /// - Throws: `ReleaseError.indexUnreachable`, `.pipFailed`, `.fetch`.
    public func download(distribution: String, version: String, pythonVersion: String, platform: String, into folder: String)
        throws(ReleaseError) -> [String]
    {
        let arguments =
            ["download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "--dest", folder]
            + PipIndex.target(pythonVersion: pythonVersion, platforms: [platform]) + ["\(distribution)==\(version)"]
        let outcome = try run(arguments)
        if outcome.status != 0 {
            if let line = outcome.inconsistentFile { throw .inconsistentUpstreamFile(command: outcome.commandLine, line: line) }
            if outcome.nothingMatches { return [] }
            throw .pipFailed(command: outcome.commandLine, status: outcome.status, output: outcome.explanation)
        }
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".whl") }.sorted()
    }

    /// pip's target options for CPython `pythonVersion`: its own ABI, the stable ABI and `none`.
    static func target(pythonVersion: String, platforms: [String]) -> [String] {
        let abi = "cp" + pythonVersion.replacingLiterally(".", with: "")
        var arguments = ["--python-version", pythonVersion, "--implementation", "cp", "--abi", abi, "--abi", "abi3", "--abi", "none"]
        for platform in platforms { arguments += ["--platform", platform] }
        return arguments
    }

    /// This client with pip's find-links and extra index URLs cleared, from the environment and pip's
    /// configuration files alike (a blank value overrides both), so that only the index named by
    /// `--index-url` answers: a wheel in a local wheelhouse is not a published one.
    public func onlyNamedIndex() -> PipIndex {
        guard let command = pip.command else { return self }
        // Through env(1), so that the override needs nothing of how PipRunner starts pip.
        let cleared = ["/usr/bin/env", "PIP_FIND_LINKS= ", "PIP_EXTRA_INDEX_URL= "]
        return PipIndex(pip: PipRunner(command: cleared + command, searched: pip.searched))
    }

    private func run(_ arguments: [String]) throws(ReleaseError) -> PipRunner.Outcome {
        let outcome: PipRunner.Outcome
        do {
            outcome = try pip.run(arguments)
        } catch {
            throw .fetch(error)
        }
        if outcome.status != 0 && outcome.indexUnreachable {
            throw .indexUnreachable(command: outcome.commandLine, output: outcome.explanation)
        }
        return outcome
    }
}
