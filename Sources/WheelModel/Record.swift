import FoundationEssentials
import PurewheelBasics

/// The `.dist-info/RECORD` file: one row per installed file with its hash and size (PEP 376, binary
/// distribution format spec "The .dist-info directory").
public struct Record: Sendable, Hashable {
    /// Files in `.dist-info` that RECORD lists without hash and size: RECORD itself (PEP 376) and its signatures (PEP 427, "Signed wheel
    /// files").
    ///
    /// The one list build, compare and check use.
    public static let unhashedFiles = ["RECORD", "RECORD.jws", "RECORD.p7s"]
    /// The signature files among `unhashedFiles`.
    public static let signatureFiles = ["RECORD.jws", "RECORD.p7s"]

    /// One row: `path,algorithm=urlsafe-b64-digest,size`.
    ///
    /// RECORD's own row (and signatures) have neither.
    public struct Row: Sendable, Hashable {
        /// The file path as written.
        public var path: String
        /// `algorithm=digest`, or `nil` when the column is empty.
        public var hash: RecordHash?
        /// Decimal size, or `nil` when the column is empty.
        public var size: UInt64?
        /// 1-based line number in the source RECORD (0 for rows built in memory).
        public var line: Int

        /// Creates a row.
        public init(path: String, hash: RecordHash?, size: UInt64?, line: Int = 0) {
            self.path = path
            self.hash = hash
            self.size = size
            self.line = line
        }
    }

    /// Rows in file order.
    public var rows: [Row]

    /// Creates a record from rows.
    public init(rows: [Row]) { self.rows = rows }

    /// Parses RECORD text (CSV as Python's `csv` module writes it, CRLF or LF).
    ///
    /// - Throws: `WheelFormatError.invalidRecordRow` for rows that are not three columns, a hash without
    ///   `=`, or a size that is not a decimal number.
    public init(parsing text: String, file: String) throws(WheelFormatError) {
        var rows = [Row]()
        let records: [(line: Int, columns: [String])]
        do {
            records = try CSV.parse(text)
        } catch {
            throw .invalidRecordRow(file: file, line: error.line, reason: error.reason)
        }
        for (line, columns) in records {
            if columns.count == 1 && columns[0].isEmpty { continue }
            guard columns.count == 3 else {
                throw .invalidRecordRow(file: file, line: line, reason: "expected 3 columns, found \(columns.count)")
            }
            var hash: RecordHash?
            if !columns[1].isEmpty {
                guard let parsed = RecordHash(parsing: columns[1]) else {
                    throw .invalidRecordRow(file: file, line: line, reason: "hash '\(columns[1])' is not 'algorithm=digest'")
                }
                hash = parsed
            }
            var size: UInt64?
            if !columns[2].isEmpty {
                guard columns[2].allSatisfy({ $0.isASCII && $0.isNumber }), let parsed = UInt64(columns[2]) else {
                    throw .invalidRecordRow(file: file, line: line, reason: "size '\(columns[2])' is not a decimal number")
                }
                size = parsed
            }
            rows.append(Row(path: columns[0], hash: hash, size: size, line: line))
        }
        self.rows = rows
    }

    /// Parses RECORD bytes in the form every wheel builder writes: valid UTF-8, no `"` and no CR, every row
    /// three columns with an ASCII hash and size column; one pass over the bytes, no intermediate text.
    ///
    /// - Returns: exactly the rows `init(parsing:file:)` returns for the same text, or `nil` when the bytes
    ///   need the full CSV dialect or hold a row that parser rejects: the caller then falls back to it, which
    ///   gives the same rows or its precise error.
    public init?(parsingSimple bytes: [UInt8]) {
        var rows = [Row]()
        guard Self.forEachSimpleRow(in: bytes, { rows.append($0) }) else { return nil }
        self.rows = rows
    }

    /// Calls `body` with each row, in file order, of RECORD bytes in the form `init(parsingSimple:)` reads,
    /// without keeping them: for 100,000 rows a list of `Row`s costs more memory than the bytes.
    ///
    /// Every row is checked before the first call, so `body` sees all the rows or none.
    ///
    /// - Returns: `false`, having called nothing, where `init(parsingSimple:)` returns `nil`.
    public static func forEachSimpleRow(in bytes: [UInt8], _ body: (Row) -> Void) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard isSimpleText(buffer), visitSimpleRows(buffer, building: false, { _ in }) else { return false }
            return visitSimpleRows(buffer, building: true, body)
        }
    }

    /// Valid UTF-8 with no `"` and no CR.
    private static func isSimpleText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var isASCII = true
        for byte in bytes {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\r") { return false }
            if byte >= 0x80 { isASCII = false }
        }
        return isASCII || String(validating: bytes, as: UTF8.self) != nil
    }

    /// Where a simple row's columns are, by byte offset in its line.
    private struct SimpleColumns {
        var pathEnd: Int
        /// The `=` and the end of the hash column, when it is not empty.
        var hash: (equals: Int, end: Int)?
        var size: UInt64?
    }

    /// Checks every line, and with `building` makes each row and hands it to `body`; `false` at the first line the full parser
    /// must judge.
    private static func visitSimpleRows(_ bytes: UnsafeBufferPointer<UInt8>, building: Bool, _ body: (Row) -> Void) -> Bool {
        var start = 0
        var line = 1
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            if end > start {
                let text = UnsafeBufferPointer(rebasing: bytes[start..<end])
                guard let columns = simpleColumns(text) else { return false }
                if building {
                    let hash = columns.hash.map { hash in
                        RecordHash(
                            algorithm: String(
                                decoding: text[(columns.pathEnd + 1)..<hash.equals].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 },
                                as: UTF8.self),
                            encodedDigest: String(
                                decoding: UnsafeBufferPointer(rebasing: text[(hash.equals + 1)..<hash.end]), as: UTF8.self))
                    }
                    let path = String(decoding: UnsafeBufferPointer(rebasing: text[..<columns.pathEnd]), as: UTF8.self)
                    body(Row(path: path, hash: hash, size: columns.size, line: line))
                }
            }
            start = end + 1
            line += 1
        }
        return true
    }

    private static func simpleColumns(_ text: UnsafeBufferPointer<UInt8>) -> SimpleColumns? {
        let comma = UInt8(ascii: ",")
        guard let first = text.firstIndex(of: comma) else { return nil }
        let rest = text[(first + 1)...]
        guard let second = rest.firstIndex(of: comma), !text[(second + 1)...].contains(comma) else { return nil }
        let hashColumn = text[(first + 1)..<second]
        let sizeColumn = text[(second + 1)...]
        // Beyond ASCII, `RecordHash(parsing:)` and the size rule look at characters, not bytes: leave those to the full parser.
        guard !hashColumn.contains(where: { $0 >= 0x80 }) else { return nil }
        var columns = SimpleColumns(pathEnd: first)
        if !hashColumn.isEmpty {
            guard let equals = hashColumn.firstIndex(of: UInt8(ascii: "=")), equals > hashColumn.startIndex,
                equals + 1 < hashColumn.endIndex
            else { return nil }
            columns.hash = (equals, second)
        }
        if !sizeColumn.isEmpty {
            var value: UInt64 = 0
            for digit in sizeColumn {
                guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
                let (times, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, carry) = times.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
                guard !overflow, !carry else { return nil }
                value = sum
            }
            columns.size = value
        }
        return columns
    }

    /// LF-terminated CSV, quoting only fields that need it, as Python's `csv` writer does.
    public func serialized() -> String {
        rows.map { row in
            [row.path, row.hash?.description ?? "", row.size.map(String.init) ?? ""].map(CSV.quoted).joined(separator: ",") + "\n"
        }.joined()
    }
}

/// A RECORD hash column: `sha256=<urlsafe base64 without padding>`.
public struct RecordHash: Sendable, Hashable, CustomStringConvertible {
    /// The algorithm name, lowercased (`sha256`, `sha512`, ...).
    public let algorithm: String
    /// The encoded digest as written.
    public let encodedDigest: String

    /// Wraps a SHA-256 digest.
    public init(sha256 digest: SHA256Digest) {
        algorithm = "sha256"
        encodedDigest = digest.urlSafeBase64
    }

    /// Wraps the two sides of `algorithm=digest` that a parser has already split and lowercased.
    init(algorithm: String, encodedDigest: String) {
        self.algorithm = algorithm
        self.encodedDigest = encodedDigest
    }

    /// Parses `algorithm=digest`.
    ///
    /// - Returns: `nil` unless both sides are non-empty.
    public init?(parsing text: String) {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let algorithm = text[..<equals]
        let digest = text[text.index(after: equals)...]
        guard !algorithm.isEmpty, !digest.isEmpty else { return nil }
        self.algorithm = algorithm.lowercased()
        self.encodedDigest = String(digest)
    }

    /// The decoded digest bytes, if the base64 is valid.
    public var digestBytes: [UInt8]? { Base64URL.decode(encodedDigest) }

    /// The hash as RECORD writes it: `algorithm=digest`.
    public var description: String { "\(algorithm)=\(encodedDigest)" }
}

/// The small CSV dialect RECORD uses (RFC 4180 with Python's defaults: `,` separator, `"` quoting with doubled quotes inside).
///
/// No library in our set parses CSV without Foundation's locale machinery, and the dialect is fixed by the spec, so it lives here in one
/// place.
enum CSV {
    struct ParseError: Error {
        let line: Int
        let reason: String
    }

    static func parse(_ text: String) throws(ParseError) -> [(line: Int, columns: [String])] {
        var result = [(line: Int, columns: [String])]()
        var columns = [String]()
        var field = ""
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1
        var recordLine = 1
        var iterator = Array(text.unicodeScalars)[...]
        func endRecord() {
            columns.append(field)
            result.append((recordLine, columns))
            columns = []
            field = ""
            fieldWasQuoted = false
        }
        while let c = iterator.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if iterator.first == "\"" {
                        iterator.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty && !fieldWasQuoted else { throw ParseError(line: line, reason: "stray quote inside a field") }
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                columns.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r":
                if iterator.first == "\n" { continue }
                endRecord()
                line += 1
                recordLine = line
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                guard !fieldWasQuoted else { throw ParseError(line: line, reason: "text after a closing quote") }
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw ParseError(line: recordLine, reason: "unterminated quoted field") }
        if !field.isEmpty || !columns.isEmpty { endRecord() }
        return result
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingLiterally("\"", with: "\"\"") + "\""
    }
}
