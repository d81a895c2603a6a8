import Foundation
import PurewheelTestSupport
import Testing

@testable import PurewheelCommands

/// `check` writes each wheel's part of the report as soon as that wheel is done, in every format, with the bytes of
/// the whole report.
@Suite struct CheckStreamingTests {
    /// A broken wheel in `folder/a` and a clean one in `folder/b`.
    private func fixtures(in folder: String) throws -> (first: String, second: String) {
        let broken = WheelBuilder(
            files: [WheelBuilder.File("demo/__init__.py", "VALUE = 1\n")], defects: [.badHash("demo/__init__.py")])
        return (try broken.write(in: folder + "/a"), try WheelBuilder().write(in: folder + "/b"))
    }

    /// The first wheel's part is out before the second wheel is read.
    ///
    /// Removing the second wheel when the first one's part arrives makes it a missing file (PW100); a report written
    /// only at the end would show it clean.
    @Test(arguments: CheckCommand.Format.allCases)
    func eachWheelIsWrittenBeforeTheNextIsChecked(format: CheckCommand.Format) throws {
        try TemporaryDirectory.with { folder in
            let (first, second) = try fixtures(in: folder)
            // One wheel at a time; CheckParallelTests shows the bound when several run at once.
            let result = CheckParallelism.$current.withValue(CheckParallelism(width: 1)) {
                CommandRun.run(["check", "--no-config", "--format", format.rawValue, first, second], environment: [:]) { text in
                    if text.contains(SARIFRenderer.uri(for: first)) || text.contains(first) { unlink(second) }
                }
            }
            #expect(result.status == 1)
            // The checker's own words for a missing file (the SARIF rules list PW100 in any case).
            #expect(
                result.stdout.contains("cannot read the file: "),
                "\(format): the second wheel was read before the first was written")
        }
    }

    /// The streamed document is byte for byte what `JSONEncoder` writes for the whole document: empty, one and several
    /// elements, nested empty arrays, and strings with line breaks, quotes and slashes.
    @Test(arguments: [0, 1, 3])
    func streamedJSONIsTheWholeDocument(count: Int) throws {
        struct Element: Codable {
            let name: String
            let items: [Int]
            let nested: [String: [String]]
            let note: String?
        }
        struct Document: Codable {
            let before: String
            let list: [Element]
            let zafter: [String: Bool]
        }
        let elements = (0..<count).map { index in
            Element(
                name: "line\n\"\(index)\"/x", items: Array(0..<index), nested: ["a": [], "b": ["c"]], note: index == 1 ? nil : "n")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let whole = String(
            decoding: try encoder.encode(Document(before: "a \"purewheel\"", list: elements, zafter: ["k": true])), as: UTF8.self)
        var stream = StreamedJSONArray { placeholder in
            PlaceholderDocument(before: "a \"purewheel\"", list: [placeholder], zafter: ["k": true])
        }
        var streamed = stream.start
        for element in elements { streamed += stream.element(element) }
        streamed += stream.end
        #expect(streamed == whole + "\n")
    }

    private struct PlaceholderDocument: Encodable {
        let before: String
        let list: [StreamedJSONArray.Placeholder]
        let zafter: [String: Bool]
    }

    /// Many wheels give one well-formed document in each machine format, wheels and results in input order.
    @Test func manyWheelsGiveOneDocumentInOrder() throws {
        try TemporaryDirectory.with { folder in
            let (broken, clean) = try fixtures(in: folder)
            let paths = [broken, clean, broken, clean, broken]
            let json = CommandRun.run(["check", "--no-config", "--format", "json"] + paths, environment: [:])
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let wheels = try #require(document["wheels"] as? [[String: Any]])
            #expect(wheels.compactMap { $0["path"] as? String } == paths)
            let sarif = CommandRun.run(["check", "--no-config", "--format", "sarif"] + paths, environment: [:])
            let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
            let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
            #expect(results.count == 3)
            let clean2 = CommandRun.run(["check", "--no-config", "--format", "sarif", clean], environment: [:])
            #expect(clean2.stdout.contains("\"results\" : [\n\n      ],\n"))
        }
    }
}
