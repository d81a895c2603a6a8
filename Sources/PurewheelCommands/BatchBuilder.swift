import Foundation
import PurewheelBasics
import PurewheelPipeline

/// Builds several inputs all-or-nothing: each goes to its own private staging folder inside the output
/// folder, outputs that share a file name must hold the same files, and only when every input succeeded are
/// the wheels renamed into place. A failure leaves the output folder as it was.
///
/// Two inputs with the same files may still differ in bytes: an entry that a stage changed (e.g. CRLF
/// normalized on Windows) is compressed by purewheel, while the same content copied from another platform's
/// wheel keeps upstream's compressed stream. Then the first input in file-name order is published, so the
/// result does not depend on the order of the command line.
struct BatchBuilder {
    let pipeline: Pipeline
    let outputDirectory: String
    let dryRun: Bool

    func build(_ requests: [FetchRequest]) throws -> [BuildResult] {
        if dryRun {
            return try requests.map { request throws(PipelineError) in try pipeline.run(request, outputDirectory: outputDirectory, dryRun: true) }
        }
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw FileSystemError.operationFailed(operation: "create output folder", path: outputDirectory, errno: EACCES)
        }
        BatchBuilder.removeAbandonedStaging(in: outputDirectory)
        let staging = "\(outputDirectory)/\(BatchBuilder.stagingPrefix)\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var results = [BuildResult]()
        for (index, request) in requests.enumerated() {
            let folder = "\(staging)/\(index)"
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw FileSystemError.operationFailed(operation: "create staging folder", path: folder, errno: EACCES)
            }
            results.append(try pipeline.run(request, outputDirectory: folder))
        }
        var published = [String: BuildResult]()
        for result in results {
            guard let verified = result.verified else { continue }
            let name = verified.written.wheel.filename.description
            if let first = published[name] {
                guard BatchBuilder.sameFiles(first.wheel, result.wheel) else {
                    throw BuildError.conflictingOutputs(output: "\(outputDirectory)/\(name)", first: first.upstream.path, second: result.upstream.path)
                }
                continue
            }
            published[name] = result
        }
        var final = [BuildResult]()
        for result in results {
            guard let verified = result.verified else { continue }
            let name = verified.written.wheel.filename.description
            if let owner = published[name], owner.upstream.path != result.upstream.path {
                let note = "same files as \((owner.upstream.path as NSString).lastPathComponent), whose bytes were published"
                final.append(result.movedTo("\(outputDirectory)/\(name)", publishedBytes: owner.verified?.written, note: note))
                continue
            }
            let destination = "\(outputDirectory)/\(name)"
            guard rename(verified.written.path, destination) == 0 else {
                throw FileSystemError.operationFailed(operation: "rename to \(destination)", path: verified.written.path, errno: errno)
            }
            final.append(result.movedTo(destination))
        }
        return final
    }

    /// Staging folders are named `.purewheel-staging-<pid>-<random>`.
    static let stagingPrefix = ".purewheel-staging-"

    /// Removes staging folders left by builds that were killed: their process no longer exists. A running
    /// build's folder (its PID is alive) is left alone.
    static func removeAbandonedStaging(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(stagingPrefix) {
            let rest = name.dropFirst(stagingPrefix.count)
            guard let pid = rest.split(separator: "-").first.flatMap({ Int32($0) }) else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: "\(folder)/\(name)")
            }
        }
    }

    /// Same entry names, modes and RECORD (paths, hashes, sizes), so the same installed files.
    static func sameFiles(_ a: PureWheel, _ b: PureWheel) -> Bool {
        a.record == b.record && a.entries.map { [$0.path.rawValue, String($0.isExecutable)] } == b.entries.map { [$0.path.rawValue, String($0.isExecutable)] }
    }
}
