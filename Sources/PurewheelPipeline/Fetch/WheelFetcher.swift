import Foundation
import PurewheelBasics
import WheelModel

/// The one seam through which upstream wheels arrive from an index. Production uses `PipFetcher`, so the
/// user's pip configuration (index URL, proxies, credentials) applies; tests use a stub.
public protocol WheelFetcher: Sendable {
    /// Makes `wheel` of `distribution` available as a local file and returns its path. `expected` is the pin:
    /// a cached copy that does not match it is fetched again. The caller still checks the pin on what it gets.
    ///
    /// - Throws: `FetchError`.
    func fetch(distribution: String, version: String, wheel: WheelFilename, expected: SHA256Digest) throws(FetchError) -> String
}

/// Downloads with `pip download` into a cache folder (`<cache>/<distribution>/<version>/`), reusing a file
/// already there. pip is asked for exactly the pinned file: its platform tags, Python version and ABI.
public struct PipFetcher: WheelFetcher {
    /// The pip command, e.g. `["/usr/bin/pip3"]` or `["python3", "-m", "pip"]`; `nil` when none was found.
    public let pipCommand: [String]?
    /// Names searched for on PATH, for the error when `pipCommand` is `nil`.
    public let searched: [String]
    /// Root of the download cache.
    public let cacheDirectory: String

    /// Creates a fetcher.
    public init(pipCommand: [String]?, searched: [String] = ["pip3", "pip"], cacheDirectory: String) {
        self.pipCommand = pipCommand
        self.searched = searched
        self.cacheDirectory = cacheDirectory
    }

    public func fetch(distribution: String, version: String, wheel: WheelFilename, expected: SHA256Digest) throws(FetchError) -> String {
        let folder = "\(cacheDirectory)/\(ProjectName.normalized(distribution))/\(version)"
        let target = "\(folder)/\(wheel)"
        if FileIO.exists(target) {
            // A damaged or replaced cache entry is dropped and downloaded again rather than failing every run.
            if let cached = try? FileIO.read(target), SHA256Digest.of(cached) == expected { return target }
            unlink(target)
        }
        guard let pipCommand, let executable = pipCommand.first else { throw .pipNotFound(searched: searched) }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .cacheUnusable(path: folder, reason: error.localizedDescription)
        }
        let arguments = Array(pipCommand.dropFirst()) + PipFetcher.downloadArguments(distribution: distribution, version: version, wheel: wheel, into: folder)
        let (status, output) = try run(executable, arguments)
        guard status == 0 else {
            throw .pipFailed(command: ([executable] + arguments).joined(separator: " "), status: status, output: PipFetcher.tail(output))
        }
        guard FileIO.exists(target) else { throw .downloadMissing(expected: wheel.description, folder: folder) }
        return target
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

    private func run(_ executable: String, _ arguments: [String]) throws(FetchError) -> (Int32, String) {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .pipNotFound(searched: [executable])
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static func tail(_ output: String) -> String {
        output.split(separator: "\n").suffix(8).joined(separator: "\n")
    }
}
