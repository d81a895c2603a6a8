// Publishing: puts the wheels of one `build`, each with its provenance statement, into the output folder all
// together or not at all, and undoes a publication that a kill interrupted.
//
// Entry points: `StagingArea.create(in:)` takes the output folder's lock and repairs abandoned publications;
// `Publisher.build(_:in:)` builds every input into the staging folder and publishes them; `Publisher.plan` is the dry
// run; `WheelComparison.compare` shows why two wheels under one output name differ (`purewheel compare`).
// Failures are `PublishError`.

import Provenance
import PurewheelBasics
import WheelBuild
import WheelModel

/// Builds several inputs all-or-nothing and publishes them: each is built and verified in the build's
/// private `StagingArea`, gets its provenance statement there, outputs that share a file name must hold the
/// same files, and only when every input succeeded are the files published, together (`StagingArea.publish`).
///
/// Two inputs with the same files may still differ in bytes: an entry that a stage changed (e.g. CRLF
/// normalized on Windows) is compressed by purewheel, while the same content copied from another platform's
/// wheel keeps upstream's compressed stream. Then the first input in request order (the command sorts them by
/// file name) is published, so the result does not depend on the order of the command line. Each statement's
/// move is listed before its wheel's, so a wheel in the output folder always has its own statement beside it
/// (see `PublishJournal`).
public struct Publisher: Sendable {
    /// The pipeline that builds each input.
    public let pipeline: Pipeline
    /// Called before each input is built with its index, the number of inputs and the request, so that a
    /// command can show progress.
    public var willBuild: @Sendable (_ index: Int, _ count: Int, _ request: FetchRequest) -> Void = { _, _, _ in }

    /// Creates a publisher.
    public init(pipeline: Pipeline) {
        self.pipeline = pipeline
    }

    /// Plans every input without writing anything (`--dry-run`).
    ///
    /// - Throws: `PipelineError` of the first input that fails.
    public func plan(_ requests: [FetchRequest]) throws(PipelineError) -> [BuildResult] {
        var results = [BuildResult]()
        for request in requests { results.append(try pipeline.run(request, outputDirectory: "", dryRun: true)) }
        return results
    }

    /// Builds every input into `staging`, then publishes all outputs into its output folder, or none.
    ///
    /// - Returns: one `PublishedWheel` per input, in request order.
    /// - Throws: `PublishError`; the output folder is then as it was.
    public func build(_ requests: [FetchRequest], in staging: borrowing StagingArea) throws(PublishError) -> [PublishedWheel] {
        var staged = [(result: BuildResult, written: WrittenWheel, statement: String)]()
        for (index, request) in requests.enumerated() {
            willBuild(index, requests.count, request)
            let folder = try fileSystem { () throws(FileSystemError) in try staging.folder(for: index) }
            let result: BuildResult
            do { result = try pipeline.run(request, outputDirectory: folder) } catch { throw .pipeline(error) }
            guard let written = result.verified?.written else { throw .internal(InternalError("a build without dry run wrote nothing")) }
            staged.append((result, written, try writeStatement(for: written, from: result.upstream)))
        }
        // The first input of each output name is published; later ones must have the same files.
        var owners = [String: Int]()
        for (index, item) in staged.enumerated() {
            let name = item.written.wheel.filename.description
            guard let owner = owners[name] else {
                owners[name] = index
                continue
            }
            guard Self.sameFiles(staged[owner].result.wheel, item.result.wheel) else {
                throw .conflictingOutputs(
                    output: "\(staging.outputDirectory)/\(name)", first: staged[owner].result.upstream.path,
                    second: item.result.upstream.path)
            }
        }
        var moves = [(staged: String, name: String)]()
        for (index, item) in staged.enumerated() where owners[item.written.wheel.filename.description] == index {
            let name = item.written.wheel.filename.description
            moves.append((item.statement, name + ProvenanceStatement.fileSuffix))
            moves.append((item.written.path, name))
        }
        try staging.publish(moves)
        return staged.map { item in
            let name = item.written.wheel.filename.description
            let owner = staged[owners[name] ?? 0]
            let path = "\(staging.outputDirectory)/\(name)"
            return PublishedWheel(
                build: item.result, path: path, provenancePath: path + ProvenanceStatement.fileSuffix, sha256: owner.written.sha256,
                size: owner.written.size,
                publishedFrom: owner.result.upstream.path == item.result.upstream.path ? nil : owner.result.upstream.path)
        }
    }

    /// Writes the provenance statement of a staged wheel beside it, synced.
    ///
    /// - Returns: the statement's path in the staging folder.
    private func writeStatement(for written: WrittenWheel, from upstream: UpstreamWheel) throws(PublishError) -> String {
        let statement = try fileSystem { () throws(FileSystemError) in
            try ProvenanceStatement(recording: written, from: upstream, context: pipeline.context)
        }
        let bytes = statement.jsonBytes()
        let path = written.path + ProvenanceStatement.fileSuffix
        // Beside the staged wheel, in the private staging folder, so written in place: publishing renames it and syncs the output folder.
        try fileSystem { () throws(FileSystemError) in try FileIO.createSynced(path, holding: bytes) }
        return path
    }

    /// Same entry names, modes and RECORD (paths, hashes, sizes), so the same installed files.
    static func sameFiles(_ a: PureWheel, _ b: PureWheel) -> Bool {
        a.record == b.record && a.entries.map(\.path) == b.entries.map(\.path)
            && a.entries.map(\.isExecutable) == b.entries.map(\.isExecutable)
    }
}
