import Foundation
import PurewheelCommands
import PurewheelTestSupport
import Testing

private let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

@Suite struct CheckCommandTests {
    private func check(_ arguments: [String]) -> CommandRun {
        CommandRun.run(["check"] + arguments, environment: [:])
    }

    /// A clean wheel and a broken one, written in `folder`; output paths are made relative to it.
    private func fixtures(in folder: String) throws -> (clean: String, broken: String) {
        let clean = try WheelBuilder().write(in: folder)
        let brokenFolder = folder + "/broken"
        try FileManager.default.createDirectory(atPath: brokenFolder, withIntermediateDirectories: true)
        var builder = WheelBuilder(
            files: [
                WheelBuilder.File("demo/__init__.py", "VALUE = 1\n"), WheelBuilder.File("demo/_native.so", bytes: NativeMagic.elf),
                WheelBuilder.File("demo/__pycache__/x.pyc", bytes: [0]),
            ],
            defects: [.badHash("demo/__init__.py"), .missingRecordRow("demo/__pycache__/x.pyc")])
        builder.wheelText = "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: py3-none-any\n"
        return (clean, try builder.write(in: brokenFolder))
    }

    @Test func cleanWheelExitsZero() throws {
        try TemporaryDirectory.with { folder in
            let (clean, _) = try fixtures(in: folder)
            let result = check([clean])
            #expect(result.status == 0)
            #expect(result.stdout == "\(clean): ok\n")
            #expect(result.stderr == "")
        }
    }

    @Test func textReportMatchesGolden() throws {
        try TemporaryDirectory.with { folder in
            let (clean, broken) = try fixtures(in: folder)
            let result = check([clean, broken])
            #expect(result.status == 1)
            #expect(result.stderr == "")
            expectGolden(result.stdout.replacingOccurrences(of: folder, with: "TMP"), named: "check-text.txt")
        }
    }

    @Test func jsonReportMatchesGoldenAndSchema() throws {
        try TemporaryDirectory.with { folder in
            let (clean, broken) = try fixtures(in: folder)
            let result = check(["--format", "json", clean, broken, folder + "/missing.whl"])
            #expect(result.status == 1)
            let json = result.stdout.replacingOccurrences(of: folder, with: "TMP")
            expectGolden(json, named: "check-json.json")
            let schema = try JSONSerialization.jsonObject(
                with: Data(contentsOf: goldenFolder.appendingPathComponent("check-report.schema.json")))
            let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
            #expect(SchemaValidator.errors(document, against: schema) == [])
        }
    }

    @Test func schemaValidatorRejectsWrongDocuments() throws {
        let schema = try JSONSerialization.jsonObject(
            with: Data(contentsOf: goldenFolder.appendingPathComponent("check-report.schema.json")))
        let wrong: [Any] = [
            ["configuration": NSNull(), "schema_version": 1, "wheels": []],
            ["schema_version": 2, "wheels": []],
            ["configuration": 3, "schema_version": 2, "wheels": []],
            ["configuration": NSNull(), "schema_version": 2],
            [
                "configuration": NSNull(), "schema_version": 2,
                "wheels": [["path": "x", "ok": true, "errors": 0, "warnings": 0, "findings": [["code": "X1"]]]],
            ],
            ["configuration": NSNull(), "schema_version": 2, "wheels": [], "extra": true],
        ]
        for document in wrong { #expect(!SchemaValidator.errors(document, against: schema).isEmpty) }
    }

    /// Every page under docs/ that shows the report's schema shows the current one, and one does.
    @Test func docsDocumentTheSameSchema() throws {
        let docs = goldenFolder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs")
        let schema = try String(contentsOf: goldenFolder.appendingPathComponent("check-report.schema.json"), encoding: .utf8)
        var showing = [String]()
        for name in try FileManager.default.contentsOfDirectory(atPath: docs.path).sorted() where name.hasSuffix(".md") {
            let page = try String(contentsOf: docs.appendingPathComponent(name), encoding: .utf8)
            guard page.contains("\"title\": \"purewheel check report\"") else { continue }
            showing.append(name)
            #expect(page.contains("```json\n" + schema + "```"), "docs/\(name) shows another version of the report schema")
        }
        #expect(showing.contains("check-json.md"))
    }

    @Test func selectIgnoreAndBadCodes() throws {
        try TemporaryDirectory.with { folder in
            let (_, broken) = try fixtures(in: folder)
            let selected = check(["--select", "PW405,PW801", broken])
            #expect(selected.status == 1)
            let reported = selected.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("error") || $0.hasPrefix("warning") }
            let codes = reported.compactMap { line in line.range(of: #"PW[0-9]{3}"#, options: .regularExpression).map { String(line[$0]) } }
            #expect(codes == ["PW405", "PW801"])
            let warningsOnly = check(["--select", "PW8", broken])
            #expect(warningsOnly.status == 0)
            let usage = check(["--ignore", "E501", broken])
            #expect(usage.status == 64)
            #expect(usage.stderr.contains("E501"))
        }
    }

    @Test func unreadableFileIsAReport() throws {
        try TemporaryDirectory.with { folder in
            let path = folder + "/demo-1.0-py3-none-any.whl"
            try TemporaryDirectory.write("not a zip", to: path)
            let result = check([path, folder + "/nothing-1.0-py3-none-any.whl"])
            #expect(result.status == 1)
            #expect(result.stdout.contains("\(path): PW101 "))
            #expect(result.stdout.contains("nothing-1.0-py3-none-any.whl: PW100 "))
        }
    }
}

/// A JSON Schema validator for the keywords the report schema uses: type, const, enum, pattern, minimum,
/// required, properties, additionalProperties and items.
enum SchemaValidator {
    static func errors(_ value: Any, against schema: Any, at path: String = "$") -> [String] {
        guard let schema = schema as? [String: Any] else { return ["\(path): schema is not an object"] }
        var errors = [String]()
        if let types = schema["type"] {
            let allowed = (types as? [String]) ?? [(types as? String) ?? ""]
            if !allowed.contains(where: { matches(value, type: $0) }) { return ["\(path): expected \(allowed)"] }
        }
        if let constant = schema["const"], !isEqual(value, constant) { errors.append("\(path): expected \(constant)") }
        if let options = schema["enum"] as? [Any], !options.contains(where: { isEqual(value, $0) }) {
            errors.append("\(path): not in enum")
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
            text.range(of: pattern, options: .regularExpression) == nil
        {
            errors.append("\(path): '\(text)' does not match \(pattern)")
        }
        if let minimum = schema["minimum"] as? Int, let number = value as? Int, !(value is Bool), number < minimum {
            errors.append("\(path): below \(minimum)")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { errors.append("\(path): missing \(key)") }
            for (key, member) in object {
                if let sub = properties[key] {
                    errors += self.errors(member, against: sub, at: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    errors.append("\(path): unexpected key \(key)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] {
            for (index, item) in array.enumerated() { errors += self.errors(item, against: items, at: "\(path)[\(index)]") }
        }
        return errors
    }

    private static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return (value as? NSNumber).map(isBoolean) ?? false
        case "integer":
            guard let number = value as? NSNumber, !isBoolean(number) else { return false }
            return number.doubleValue == number.doubleValue.rounded()
        default: return false
        }
    }

    /// JSONSerialization gives booleans as NSNumber with the `char` type code.
    private static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }

    private static func isEqual(_ a: Any, _ b: Any) -> Bool {
        (a as? NSObject)?.isEqual(b) ?? false
    }
}
