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
///
/// Each wheel gets its provenance statement (`<wheel>.intoto.json`), written atomically into the staging
/// folder beside it and published with it: the statement is renamed first, then the wheel, so a published
/// wheel never lacks its statement. Of equal-content outputs, the statement of the published input is kept.
struct BatchBuilder {
    let pipeline: Pipeline
    let outputDirectory: String
    let dryRun: Bool
    /// The recipe path written into each statement (as given, relative to the working directory).
    let recordedRecipePath: String

    func build(_ requests: [FetchRequest]) throws -> [BuildResult] {
        if dryRun {
            return try requests.map { request throws(PipelineError) in
                try pipeline.run(request, outputDirectory: outputDirectory, dryRun: true)
            }
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
            var result = try pipeline.run(request, outputDirectory: folder)
            result.provenancePath = try writeStatement(for: result)
            results.append(result)
        }
        var published = [String: BuildResult]()
        for result in results {
            guard let verified = result.verified else { continue }
            let name = verified.written.wheel.filename.description
            if let first = published[name] {
                guard BatchBuilder.sameFiles(first.wheel, result.wheel) else {
                    throw BuildError.conflictingOutputs(
                        output: "\(outputDirectory)/\(name)", first: first.upstream.path, second: result.upstream.path)
                }
                continue
            }
            published[name] = result
        }
        var final = [BuildResult]()
        for result in results {
            guard let verified = result.verified else { continue }
            let name = verified.written.wheel.filename.description
            let destination = "\(outputDirectory)/\(name)"
            let statement = destination + ProvenanceStatement.fileSuffix
            if let owner = published[name], owner.upstream.path != result.upstream.path {
                let note = "same files as \((owner.upstream.path as NSString).lastPathComponent), whose bytes were published"
                var moved = result.movedTo(destination, publishedBytes: owner.verified?.written, note: note)
                moved.provenancePath = statement
                final.append(moved)
                continue
            }
            // The statement first: a wheel in the output folder always has its statement beside it.
            if let staged = result.provenancePath { try BatchBuilder.rename(staged, to: statement) }
            try BatchBuilder.rename(verified.written.path, to: destination)
            var moved = result.movedTo(destination)
            moved.provenancePath = statement
            final.append(moved)
        }
        return final
    }

    /// Writes the provenance statement of a staged result beside its wheel, atomically.
    ///
    /// - Returns: the statement's path in the staging folder, or `nil` for a result without a written wheel.
    private func writeStatement(for result: BuildResult) throws -> String? {
        guard let written = result.verified?.written else { return nil }
        let statement = try ProvenanceStatement(
            recording: written, from: result.upstream, recipePath: recordedRecipePath, context: pipeline.context)
        let path = written.path + ProvenanceStatement.fileSuffix
        try AtomicFile(destination: path).write(bytes: try statement.jsonBytes())
        return path
    }

    private static func rename(_ source: String, to destination: String) throws(FileSystemError) {
        guard Glibc.rename(source, destination) == 0 else {
            throw FileSystemError.operationFailed(operation: "rename to \(destination)", path: source, errno: errno)
        }
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
        a.record == b.record
            && a.entries.map { [$0.path.rawValue, String($0.isExecutable)] }
                == b.entries.map { [$0.path.rawValue, String($0.isExecutable)] }
    }
}
