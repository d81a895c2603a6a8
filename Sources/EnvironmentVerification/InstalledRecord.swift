import PurewheelBasics
import WheelChecks
import WheelModel

/// Reading the RECORD of one installed `.dist-info` folder: bounded, without following links, never blocking.
enum InstalledRecord {
    /// The largest RECORD read (the largest wheels' RECORDs are a few MiB).
    static let sizeLimit = 64 << 20

    /// The rows of `folder/RECORD`, or the finding that says why there are none.
    static func read(distInfo folder: String, name: String) -> Result<[Record.Row], Refusal> {
        let path = folder + "/RECORD"
        let recordName = name + "/RECORD"
        let status: FileStatus
        switch FileSystemProbe.status(path) {
        case .success(let found): status = found
        case .failure(let failure) where failure.meansAbsent:
            return .failure(
                Refusal(
                    .installedRecordMissing, "the .dist-info folder has no RECORD",
                    hint: "reinstall the distribution (pip install --force-reinstall --no-deps) to record its files"))
        case .failure(let failure):
            return .failure(Refusal(.installedFileUnreadable, entry: recordName, "cannot read RECORD: \(failure.errno)"))
        }
        guard status.kind == .regular else {
            return .failure(
                Refusal(
                    .installedRecordMissing, entry: recordName, "RECORD is \(status.kind.name), not a regular file; not read",
                    hint: "remove it and reinstall the distribution"))
        }
        guard status.size <= UInt64(sizeLimit) else {
            return .failure(
                Refusal(
                    .installedRecordMalformed, entry: recordName, "RECORD is larger than 64 MiB; not read",
                    actual: "\(status.size) bytes"))
        }
        let bytes: [UInt8]
        switch readWhole(path, entry: recordName, status: status) {
        case .success(let read): bytes = read
        case .failure(let finding): return .failure(finding)
        }
        // pip writes RECORD through Python's csv module, whose rows end in CRLF; without the CRs the one-pass parser
        // reads them (a lone CR, or a quote, still goes to the full parser, which gives the same rows or the error).
        if let record = Record(parsingSimple: Self.droppingCRBeforeLF(bytes)) { return .success(record.rows) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(Refusal(.installedRecordMalformed, entry: recordName, "RECORD is not valid UTF-8"))
        }
        do throws(WheelFormatError) {
            return .success(try Record(parsing: text, file: recordName).rows)
        } catch {
            guard case .invalidRecordRow(_, let line, let reason) = error else {
                return .failure(Refusal(.installedRecordMalformed, entry: recordName, error.message))
            }
            return .failure(Refusal(.installedRecordMalformed, entry: recordName, recordLine: line, reason))
        }
    }

    /// `bytes` with every CR that ends a line removed.
    static func droppingCRBeforeLF(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(UInt8(ascii: "\r")) else { return bytes }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated()
        where !(byte == UInt8(ascii: "\r") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n")) {
            out.append(byte)
        }
        return out
    }

    /// A small regular file's whole content (RECORD, a `.pth` file), read within its `lstat` size plus one chunk.
    static func readWhole(_ path: String, entry: String, status: FileStatus) -> Result<[UInt8], Refusal> {
        let limit = Int(status.size) + (1 << 16)
        let outcome = FileSystemProbe.withRegularFile(path, expected: status) { file, _ -> Result<[UInt8], FileSystemProbe.Failure>? in
            var bytes = [UInt8]()
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while bytes.count < limit {
                switch chunk.withUnsafeMutableBytes({ file.readChunk(into: $0) }) {
                case .success(0): return .success(bytes)
                case .success(let count): bytes.append(contentsOf: chunk[0..<count])
                case .failure(let failure): return .failure(failure)
                }
            }
            return nil
        }
        switch outcome {
        case .success(.success(let bytes)?): return .success(bytes)
        case .success(.failure(let failure)?):
            return .failure(Refusal(.installedFileUnreadable, entry: entry, "cannot read the file: \(failure.errno)"))
        case .success(nil): return .failure(Refusal(.installedFileUnreadable, entry: entry, "the file grew while it was read"))
        case .failure(.failed(let failure)):
            return .failure(Refusal(.installedFileUnreadable, entry: entry, "cannot open the file: \(failure.errno)"))
        case .failure(.changed(let kind)):
            return .failure(Refusal(.notARegularFile, entry: entry, "the file became \(kind.name) while it was read; not read"))
        }
    }
}

/// A finding that ends the reading of a file, carried as the failure of a `Result`.
struct Refusal: Error, Sendable {
    /// What to report.
    let finding: Finding

    /// A refusal with a finding of `code` at its own severity.
    init(
        _ code: FindingCode, entry: String? = nil, recordLine: Int? = nil, _ message: String, actual: String? = nil, hint: String? = nil
    ) {
        finding = .environment(code, entry: entry, recordLine: recordLine, message, actual: actual, hint: hint)
    }
}

extension Finding {
    /// A finding of `verify-env` with the code's own severity.
    static func environment(
        _ code: FindingCode, entry: String? = nil, recordLine: Int? = nil, _ message: String, expected: String? = nil,
        actual: String? = nil, hint: String? = nil
    ) -> Finding {
        Finding(
            code: code, severity: code.severity, entry: entry, recordLine: recordLine, message: message, expected: expected,
            actual: actual, hint: hint)
    }
}
