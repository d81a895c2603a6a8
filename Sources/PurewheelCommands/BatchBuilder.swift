import Foundation
import PurewheelBasics
import PurewheelPipeline

/// Builds several inputs all-or-nothing: each goes to its own private staging folder inside the output
/// folder, outputs that share a file name must be byte-identical, and only when every input succeeded are
/// the wheels renamed into place. A failure leaves the output folder as it was.
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
        let staging = "\(outputDirectory)/.purewheel-staging-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
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
                guard first.verified?.written.sha256 == verified.written.sha256 else {
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
            guard published[name]?.upstream.path == result.upstream.path else {
                final.append(result.movedTo("\(outputDirectory)/\(name)"))
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
}

