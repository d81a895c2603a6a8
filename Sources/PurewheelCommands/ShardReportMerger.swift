import PurewheelBasics
import WheelChecks

/// Reads what `check --format jsonl` or `--format json` wrote and combines the reports of a run's shards into the
/// reports an unsharded run of the same folder gives, in its order: every wheel's own part sorted by path (as a folder
/// lists its wheels), then the parts the release rules add after all wheels are read, sorted the same way.
///
/// Everything is refused rather than guessed: text that is not what `check` writes, a JSON Lines output without its
/// final line (a run that was killed), a wheel in two inputs, inputs checked with another schema, configuration or
/// settings, and a sharded set with a shard missing or given twice.
enum ShardReportMerger {
    /// What an input says about the run that wrote it; inputs merge only when these are equal (the shard aside).
    struct Run: Equatable {
        /// The configuration file applied, or `nil`.
        let configuration: String?
        /// The run line's settings as canonical text; `nil` for a JSON document, which does not record them.
        let settings: String?
    }

    /// One input file, read.
    struct Input {
        /// The file as given.
        let file: String
        /// The run it comes from.
        let run: Run
        /// The shard, when the run was one.
        let shard: CheckShard?
        /// Each wheel part with its line (JSON Lines) or `nil` (a JSON document, where `wheels[i]` names it).
        let reports: [(report: CheckReport, line: Int?)]
    }

    /// Reads one input.
    ///
    /// - Parameters:
    ///   - file: the name to report.
    ///   - bytes: its contents.
    /// - Throws: `MergeReportsError` naming the file and line of the first thing that is not what `check` writes.
    static func read(file: String, bytes: [UInt8]) throws(MergeReportsError) -> Input {
        if let document = try? JSONValue(parsing: bytes), case .object(let members) = document,
            members.contains(where: { $0.key == "wheels" })
        {
            return try readDocument(file: file, members: members)
        }
        return try readLines(file: file, bytes: bytes)
    }

    /// Combines inputs into one run's configuration and reports.
    ///
    /// - Throws: `MergeReportsError` for inputs of different runs, a duplicate wheel, or a missing or repeated shard.
    static func merge(_ inputs: [Input]) throws(MergeReportsError) -> (configuration: String?, reports: [CheckReport]) {
        guard let first = inputs.first else { return (nil, []) }
        for input in inputs.dropFirst() where input.run != first.run {
            let what = input.run.configuration != first.run.configuration ? "configuration file" : "settings"
            throw MergeReportsError(
                file: input.file, line: input.reports.isEmpty || input.reports[0].line == nil ? nil : 1,
                "the \(what) differs from \(first.file)'s: the inputs come from different runs",
                hint: "merge the outputs of one `check` configuration; a JSON document records no settings, so merge JSON Lines outputs")
        }
        try checkShards(inputs)
        var owner = [String: String]()
        var ownParts = [CheckReport]()
        var releaseParts = [CheckReport]()
        for input in inputs {
            var seen = Set<String>()
            for (report, line) in input.reports {
                if let other = owner[report.path], other != input.file {
                    throw MergeReportsError(
                        file: input.file, line: line, "the wheel '\(report.path)' is also in \(other)",
                        hint: "each wheel must be checked by one shard only")
                }
                owner[report.path] = input.file
                if seen.insert(report.path).inserted {
                    ownParts.append(report)
                } else {
                    // `check` writes a wheel a second time only for the release rules' findings, after every wheel.
                    guard !releaseParts.contains(where: { $0.path == report.path }) else {
                        throw MergeReportsError(file: input.file, line: line, "the wheel '\(report.path)' is listed three times")
                    }
                    releaseParts.append(report)
                }
            }
        }
        let byPath = { (a: CheckReport, b: CheckReport) in a.path.utf8.lexicographicallyPrecedes(b.path.utf8) }
        return (first.run.configuration, ownParts.sorted(by: byPath) + releaseParts.sorted(by: byPath))
    }

    /// Sharded inputs must be every shard of one split, each once; unsharded ones cannot mix with them.
    private static func checkShards(_ inputs: [Input]) throws(MergeReportsError) {
        guard let sharded = inputs.first(where: { $0.shard != nil }), let count = sharded.shard?.count else { return }
        var seen = [Int: String]()
        for input in inputs {
            guard let shard = input.shard else {
                throw MergeReportsError(
                    file: input.file, line: nil, "this input is not a shard, but \(sharded.file) is one",
                    hint: "merge either the shards of one split or unsharded outputs")
            }
            guard shard.count == count else {
                throw MergeReportsError(file: input.file, line: 1, "this is shard \(shard), but \(sharded.file) splits the run in \(count)")
            }
            if let other = seen[shard.index] {
                throw MergeReportsError(file: input.file, line: 1, "shard \(shard) is also \(other)")
            }
            seen[shard.index] = input.file
        }
        if let missing = (1...count).first(where: { seen[$0] == nil }) {
            throw MergeReportsError(
                file: sharded.file, line: nil, "shard \(missing)/\(count) is missing",
                hint: "give every shard's output; a shard without wheels still writes its first and last lines")
        }
    }

    // MARK: - JSON document

    private static func readDocument(file: String, members: [JSONValue.Member]) throws(MergeReportsError) -> Input {
        let fail = { (problem: String) in MergeReportsError(file: file, line: nil, problem) }
        guard Set(members.map(\.key)) == ["configuration", "schema_version", "wheels"] else {
            throw fail("the document's keys are not configuration, schema_version and wheels")
        }
        let value = { (key: String) in members.first { $0.key == key }!.value }
        try checkSchemaVersion(value("schema_version"), fail: fail)
        let configuration = try optionalString(value("configuration"), "configuration", fail: fail)
        guard case .array(let wheels) = value("wheels") else { throw fail("wheels is not an array") }
        var reports = [(report: CheckReport, line: Int?)]()
        for (index, wheel) in wheels.enumerated() {
            reports.append((try report(from: wheel, fail: { fail("wheels[\(index)]: \($0)") }), nil))
        }
        return Input(file: file, run: Run(configuration: configuration, settings: nil), shard: nil, reports: reports)
    }

    // MARK: - JSON Lines

    private static func readLines(file: String, bytes: [UInt8]) throws(MergeReportsError) -> Input {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.last?.isEmpty == true, lines.count >= 3 else {
            throw MergeReportsError(
                file: file, line: max(1, lines.count), "the output does not end with its last line: the run did not finish",
                hint: "use the output of a `check --format jsonl` run that exited 0 or 1")
        }
        lines.removeLast()
        var run: Run?
        var shard: CheckShard?
        var reports = [(report: CheckReport, line: Int?)]()
        for (offset, text) in lines.enumerated() {
            let line = offset + 1
            let fail = { (problem: String) in MergeReportsError(file: file, line: line, problem) }
            let value: JSONValue
            do { value = try JSONValue(parsing: Array(text)) } catch { throw fail("not a JSON value: \(describe(error))") }
            guard case .object(let members) = value else { throw fail("expected an object, found \(value.kind)") }
            let field = { (key: String) in members.first { $0.key == key }?.value }
            if line == 1 {
                guard field("type") == .string(CheckJSONLines.runType),
                    Set(members.map(\.key)) == ["configuration", "schema_version", "settings", "shard", "type"]
                else { throw fail("the first line does not describe a `check` run") }
                try checkSchemaVersion(field("schema_version")!, fail: fail)
                guard case .object = field("settings")! else { throw fail("settings is not an object") }
                run = Run(
                    configuration: try optionalString(field("configuration")!, "configuration", fail: fail),
                    settings: field("settings")!.text)
                shard = try readShard(field("shard")!, fail: fail)
            } else if line == lines.count {
                guard field("type") == .string(CheckJSONLines.endType), Set(members.map(\.key)) == ["type", "wheels"] else {
                    throw fail("the last line does not end a `check` run: the run did not finish")
                }
                guard field("wheels") == .integer(Int64(reports.count)) else {
                    throw fail("the last line counts a different number of wheel lines than the output holds")
                }
            } else {
                reports.append((try report(from: value, fail: fail), line))
            }
        }
        guard let run else { throw MergeReportsError(file: file, line: 1, "the output is empty") }
        return Input(file: file, run: run, shard: shard, reports: reports)
    }

    private static func readShard(_ value: JSONValue, fail: (String) -> MergeReportsError) throws(MergeReportsError) -> CheckShard? {
        if value == .null { return nil }
        guard case .object(let members) = value, Set(members.map(\.key)) == ["count", "index"],
            let index = integer(members.first { $0.key == "index" }?.value),
            let count = integer(members.first { $0.key == "count" }?.value),
            let shard = CheckShard(argument: "\(index)/\(count)")
        else { throw fail("shard is not {\"count\": N, \"index\": K} with 1 ≤ K ≤ N") }
        return shard
    }

    // MARK: - Values

    private static func checkSchemaVersion(_ value: JSONValue, fail: (String) -> MergeReportsError) throws(MergeReportsError) {
        guard integer(value) == CheckReportRenderer.schemaVersion else {
            throw fail("schema_version is \(value.text), and this purewheel reads version \(CheckReportRenderer.schemaVersion)")
        }
    }

    private static func report(from value: JSONValue, fail: (String) -> MergeReportsError) throws(MergeReportsError) -> CheckReport {
        guard case .object(let members) = value, Set(members.map(\.key)) == ["path", "ok", "errors", "warnings", "findings"] else {
            throw fail("a wheel is an object with exactly path, ok, errors, warnings and findings")
        }
        let field = { (key: String) in members.first { $0.key == key }!.value }
        guard case .string(let path) = field("path"), !path.isEmpty else { throw fail("path is not a non-empty string") }
        guard case .array(let items) = field("findings") else { throw fail("findings is not an array") }
        var findings = [Finding]()
        for item in items { findings.append(try finding(from: item, fail: fail)) }
        let errors = findings.filter { $0.severity == .error }.count
        guard field("ok") == .bool(errors == 0), integer(field("errors")) == errors, integer(field("warnings")) == findings.count - errors
        else { throw fail("ok, errors and warnings do not agree with the findings of '\(path)'") }
        return CheckReport(path: path, findings: findings)
    }

    private static func finding(from value: JSONValue, fail: (String) -> MergeReportsError) throws(MergeReportsError) -> Finding {
        let keys: Set = ["code", "severity", "entry", "record_line", "message", "expected", "actual", "hint"]
        guard case .object(let members) = value, Set(members.map(\.key)) == keys, members.count == keys.count else {
            throw fail("a finding is an object with exactly \(keys.sorted().joined(separator: ", "))")
        }
        let field = { (key: String) in members.first { $0.key == key }!.value }
        guard case .string(let codeText) = field("code"), let code = FindingCode(rawValue: codeText) else {
            throw fail("code \(field("code").text) is not a finding code this purewheel knows")
        }
        guard case .string(let severityText) = field("severity"), let severity = Severity(rawValue: severityText) else {
            throw fail("severity is not \"error\" or \"warning\"")
        }
        guard case .string(let message) = field("message") else { throw fail("message is not a string") }
        var recordLine: Int?
        if field("record_line") != .null {
            guard let line = integer(field("record_line")), line >= 1 else { throw fail("record_line is not null or a positive integer") }
            recordLine = line
        }
        return Finding(
            code: code, severity: severity, entry: try optionalString(field("entry"), "entry", fail: fail), recordLine: recordLine,
            message: message, expected: try optionalString(field("expected"), "expected", fail: fail),
            actual: try optionalString(field("actual"), "actual", fail: fail), hint: try optionalString(field("hint"), "hint", fail: fail))
    }

    private static func optionalString(_ value: JSONValue, _ key: String, fail: (String) -> MergeReportsError) throws(MergeReportsError)
        -> String?
    {
        switch value {
        case .null: return nil
        case .string(let text): return text
        default: throw fail("\(key) is \(value.kind), not a string or null")
        }
    }

    /// An integer written as `check` writes one: digits only, no sign, fraction or exponent.
    private static func integer(_ value: JSONValue?) -> Int? {
        guard case .number(let literal) = value, literal.allSatisfy({ $0.isASCII && $0.isNumber }), literal.count <= 18 else { return nil }
        return Int(literal)
    }

    private static func describe(_ error: JSONParseError) -> String {
        switch error {
        case .syntax(let reason, _, let column): return "\(reason) (column \(column))"
        case .duplicateKey(_, let name, _, let column): return "the key '\(name)' is given twice (column \(column))"
        }
    }
}
