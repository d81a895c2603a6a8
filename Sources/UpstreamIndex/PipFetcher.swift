import FoundationEssentials
import Glibc
import PurewheelBasics
import WheelBuild
import WheelModel

/// Downloads with `pip download` into a cache folder (`<cache>/<distribution>/<version>/`), reusing a file already there.
///
/// pip is asked for exactly the pinned file: its platform tags, Python version and ABI.
public struct PipFetcher: WheelFetcher {
    /// Runs pip.
    public let pip: PipRunner
    /// Root of the download cache.
    public let cacheDirectory: String

    /// Creates a fetcher.
    public init(pipCommand: [String]?, searched: [String] = ["pip3", "pip"], cacheDirectory: String) {
        self.pip = PipRunner(command: pipCommand, searched: searched)
        self.cacheDirectory = cacheDirectory
    }

    /// The cache folder of one upstream version.
    public func folder(distribution: String, version: String) -> String {
        "\(cacheDirectory)/\(ProjectName.normalized(distribution))/\(version)"
    }

    /// Fetches under an exclusive lock on `<version folder>/.lock`, so builds sharing the cache take turns:
    /// one downloads, the next finds the file in place and re-checks its digest instead of downloading or
    /// deleting it while another build is at it.
    public func fetch(distribution: String, version: String, wheel: WheelFilename, expected: SHA256Digest) throws(FetchError) -> String {
        let folder = folder(distribution: distribution, version: version)
        let lock: FileLock
        do {
            try FileIO.createDirectory(folder)
            lock = try FileLock.acquire("\(folder)/.lock")
        } catch {
            throw .cacheUnusable(path: folder, reason: error.message)
        }
        let outcome = Result { () throws(FetchError) -> String in
            try fetchLocked(folder: folder, distribution: distribution, version: version, wheel: wheel, expected: expected)
        }
        lock.release()
        return try outcome.get()
    }

    private func fetchLocked(folder: String, distribution: String, version: String, wheel: WheelFilename, expected: SHA256Digest)
        throws(FetchError) -> String
    {
        let target = "\(folder)/\(wheel)"
        switch FileIO.kind(of: target) {
        case .regular?:
            // A damaged or replaced cache entry is dropped and downloaded again rather than failing every run.
            if let cached = try? FileIO.digest(target), cached.digest == expected { return target }
            unlink(target)
        case .directory?, .other?:
            throw .cacheUnusable(path: target, reason: "something other than a file has the wheel's name")
        case nil:
            break
        }
        let downloads = try PipFetcher.privateDownloadFolder(in: folder)
        defer { ScratchFolder.remove(downloads) }
        let outcome = try pip.run(PipFetcher.downloadArguments(distribution: distribution, version: version, wheel: wheel, into: downloads))
        guard outcome.status == 0 else {
            if let line = outcome.inconsistentFile { throw .inconsistentFile(command: outcome.commandLine, line: line) }
            throw .pipFailed(command: outcome.commandLine, status: outcome.status, output: outcome.explanation)
        }
        guard FileIO.exists("\(downloads)/\(wheel)") else { throw .downloadMissing(expected: wheel.description, folder: downloads) }
        try PipFetcher.publish("\(downloads)/\(wheel)", to: target)
        return target
    }

    /// A fresh folder inside `folder` that only this download writes to.
    ///
    /// pip writes files in place, so a concurrent build must never see them half-written under their final name.
    /// A scratch folder: removed with `ScratchFolder.remove`, on a signal, or by a later download once a killed
    /// run left it.
    static func privateDownloadFolder(in folder: String) throws(FetchError) -> String {
        do {
            return try ScratchFolder.create(in: folder, prefix: ".download-\(getpid())-", sweeping: ".download-")
        } catch {
            throw .cacheUnusable(path: folder, reason: error.message)
        }
    }

    /// Moves a complete download into the cache under its final name (atomic within one file system).
    static func publish(_ downloaded: String, to target: String) throws(FetchError) {
        do {
            try FileIO.rename(downloaded, to: target)
        } catch {
            throw .cacheUnusable(path: target, reason: error.message)
        }
    }

    /// The `pip download` arguments that select exactly `wheel`.
    public static func downloadArguments(distribution: String, version: String, wheel: WheelFilename, into folder: String) -> [String] {
        var arguments = ["download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "--dest", folder]
        for platform in wheel.platformTag.split(separator: ".") where platform != "any" {
            arguments += ["--platform", String(platform)]
        }
        if let first = wheel.pythonTag.split(separator: ".").first, let pythonVersion = pythonVersion(fromTag: String(first)) {
            arguments += ["--python-version", pythonVersion]
            if first.hasPrefix("cp") { arguments += ["--implementation", "cp"] }
        }
        for abi in wheel.abiTag.split(separator: ".") where abi != "none" {
            arguments += ["--abi", String(abi)]
        }
        arguments.append("\(distribution)==\(version)")
        return arguments
    }

    /// `cp311` → `3.11`; `nil` for a tag without a minor version (`py3`): pip reads `--python-version 3` as
    /// 3.0, and a `py3` wheel fits the interpreter pip runs on anyway.
    static func pythonVersion(fromTag tag: String) -> String? {
        let digits = tag.drop { $0.isLetter }
        guard let major = digits.first, major.isNumber else { return nil }
        let minor = digits.dropFirst()
        guard !minor.isEmpty, minor.allSatisfy(\.isNumber) else { return nil }
        return "\(major).\(minor)"
    }
}
