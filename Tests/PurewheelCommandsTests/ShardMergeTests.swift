import Foundation
import PurewheelTestSupport
import Synchronization
import Testing
import WheelModel

@testable import PurewheelCommands

/// `check --shard K/N --format jsonl` and `merge-reports`: a corpus split over a CI matrix gives back, merged, the
/// report one unsharded run writes.
@Suite struct ShardMergeTests {
    /// A deterministic generator, so that the generated folder is the same on every run and machine.
    private struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// A folder of wheels with findings of every kind the report carries: bad hashes and sizes (errors, with RECORD
    /// lines), native code in a pure wheel, a file that is not a zip, a name that is not a wheel's, and releases whose
    /// wheels disagree (PW646, reported after every wheel).
    private func makeCorpus(in folder: String, seed: UInt64) throws -> Int {
        var random = Generator(state: seed)
        var count = 0
        let platforms = ["manylinux_2_17_x86_64", "macosx_11_0_arm64", "win_amd64"]
        for index in 0..<24 {
            let distribution = "dist\(index % 6)"
            let version = "1.\(index % 2)"
            let platform = platforms[random.next(platforms.count)]
            let defects: [WheelBuilder.Defect] = [[], [.badHash("pkg/__init__.py")], [.badSize("pkg/__init__.py")], [.noRecord]][
                random.next(4)]
            let native = random.next(5) == 0
            let builder = WheelBuilder(
                distribution: distribution, version: version,
                tag: native ? .py3NoneAny : WheelTag(python: "cp311", abi: "cp311", platform: platform),
                files: [WheelBuilder.File("pkg/__init__.py", "VALUE = \(index)\n")]
                    + (native ? [WheelBuilder.File("pkg/_speed.so", bytes: NativeMagic.elfSharedObject)] : []),
                rootIsPurelib: native,
                extraMetadata: [("Summary", "wheel \(index)"), ("Requires-Dist", "dep\(random.next(3))>=1")], defects: defects)
            guard !FileManager.default.fileExists(atPath: "\(folder)/\(builder.filename)") else { continue }
            try builder.write(in: folder)
            count += 1
        }
        try TemporaryDirectory.write("not a zip\n", to: "\(folder)/broken-0.1-py3-none-any.whl")
        try TemporaryDirectory.write("PK\u{5}\u{6}", to: "\(folder)/no name.whl")
        return count + 2
    }

    /// Runs every shard of `count` into files and returns their paths.
    private func shardOutputs(_ folder: String, count: Int, in outputs: String, extra: [String] = []) throws -> [String] {
        try (1...count).map { index in
            let run = CommandRun.run(["check", "--no-config", "--shard", "\(index)/\(count)", "--format", "jsonl"] + extra + [folder])
            #expect([0, 1].contains(run.status), "\(run.stderr)")
            let path = "\(outputs)/shard-\(index)-of-\(count).jsonl"
            try TemporaryDirectory.write(run.stdout, to: path)
            return path
        }
    }

    @Test(arguments: [1, 3, 7])
    func mergedShardsEqualTheUnshardedReportByteForByte(count: Int) throws {
        try TemporaryDirectory.with { root in
            let folder = "\(root)/wheels"
            let wheels = try makeCorpus(in: folder, seed: UInt64(count))
            let outputs = try shardOutputs(folder, count: count, in: root)
            for format in ["json", "sarif", "text", "github"] {
                let whole = CommandRun.run(["check", "--no-config", "--format", format, folder])
                let merged = CommandRun.run(["merge-reports", "--format", format] + outputs.reversed())
                #expect(merged.stderr == "")
                #expect(merged.status == whole.status && whole.status == 1)
                #expect(merged.stdout == whole.stdout, "format \(format), \(count) shards")
            }
            let json = CommandRun.run(["check", "--no-config", "--format", "json", folder]).stdout
            // The corpus has what the property is about: errors, RECORD lines, and the release rule's second parts.
            #expect(json.contains("\"code\" : \"PW646\"") && json.contains("\"record_line\" : 1") && json.contains("\"ok\" : false"))
            // Every wheel is in exactly one shard.
            let lines = try outputs.map { try String(contentsOfFile: $0, encoding: .utf8) }.flatMap {
                $0.split(separator: "\n").dropFirst().dropLast()
            }
            let paths = lines.compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["path"] as? String
            }
            #expect(Set(paths).count == wheels)
        }
    }

    @Test func eachWheelIsWrittenAsOneLineWhenItIsDone() throws {
        try TemporaryDirectory.with { root in
            let folder = "\(root)/wheels"
            let wheels = try makeCorpus(in: folder, seed: 5)
            let chunks = Mutex([String]())
            let run = CommandRun.run(["check", "--no-config", "--format", "jsonl", folder], environment: [:], workingDirectory: root) {
                text in chunks.withLock { $0.append(text) }
            }
            let written = chunks.withLock { $0 }
            #expect(run.status == 1)
            // The run line, a write per wheel part (release parts after every wheel), and the end line.
            #expect(written.count >= wheels + 2 && written.allSatisfy { $0.hasSuffix("\n") && $0.dropLast().allSatisfy { $0 != "\n" } })
            #expect(written.last == "{\"type\":\"purewheel-check-end\",\"wheels\":\(written.count - 2)}\n")
        }
    }

    @Test func aJSONDocumentMergesToItself() throws {
        try TemporaryDirectory.with { root in
            let folder = "\(root)/wheels"
            _ = try makeCorpus(in: folder, seed: 11)
            let whole = CommandRun.run(["check", "--no-config", "--format", "json", folder])
            try TemporaryDirectory.write(whole.stdout, to: "\(root)/report.json")
            let merged = CommandRun.run(["merge-reports", "\(root)/report.json"])
            #expect(merged.status == 1 && merged.stdout == whole.stdout)
            let sarif = CommandRun.run(["merge-reports", "--format", "sarif", "\(root)/report.json"])
            #expect(sarif.stdout == CommandRun.run(["check", "--no-config", "--format", "sarif", folder]).stdout)
        }
    }

    @Test func theShardDependsOnTheProjectNameAlone() {
        #expect(
            CheckShard.shard(ofPath: "a/demo-1.0-py3-none-any.whl", count: 7)
                == CheckShard.shard(ofPath: "demo-1.0-py3-none-any.whl", count: 7))
        for count in [2, 3, 7, 64] {
            #expect(
                CheckShard.shard(ofPath: "w/Demo_Pkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", count: count)
                    == CheckShard.shard(ofPath: "w/demo.pkg-2.0-cp312-cp312-win_amd64.whl", count: count))
        }
        #expect(CheckShard.key(ofPath: "x/Demo_Pkg-1.0-py3-none-any.whl") == "project:demo-pkg")
        #expect(CheckShard.key(ofPath: "x/not a wheel.whl") == "file:not a wheel.whl")
        // Pinned, so that a change of the assignment (which would move wheels between machines' shards) is seen.
        #expect((1...10).map { CheckShard.shard(ofPath: "pkg\($0)-1.0-py3-none-any.whl", count: 7) } == Self.pinnedShards)
        // Spread: 700 releases over 7 shards, none empty or more than twice its share.
        let sizes = Dictionary(grouping: (0..<700).map { CheckShard.shard(ofPath: "p\($0)-1-py3-none-any.whl", count: 7) }) { $0 }
        #expect(sizes.count == 7 && sizes.values.allSatisfy { $0.count < 200 })
    }

    static let pinnedShards = [2, 2, 4, 7, 1, 4, 3, 4, 6, 6]

    @Test(arguments: ["0/3", "4/3", "1/0", "a/3", "1/3/3", "-1/3", "1/", "/3", "+1/3", "1/65537", " 1/3"])
    func aShardOutsideOneToNIsAUsageError(argument: String) {
        let run = CommandRun.run(["check", "--no-config", "--shard", argument, "x.whl"])
        #expect(run.status == 64, "\(run.stderr)")
    }

    @Test func standardInputCannotBeSharded() {
        let run = CommandRun.run(["check", "--shard", "1/2", "--stdin-filename", "a-1-py3-none-any.whl", "-"])
        #expect(run.status == 64 && run.stderr.contains("--shard chooses files by name"))
    }

    @Test func anEmptyShardStillDescribesItsRun() throws {
        try TemporaryDirectory.with { root in
            let path = try WheelBuilder().write(in: root)
            let other = CheckShard.shard(ofPath: path, count: 2) == 1 ? 2 : 1
            let run = CommandRun.run(["check", "--no-config", "--shard", "\(other)/2", "--format", "jsonl", root])
            #expect(run.status == 0)
            let lines = run.stdout.split(separator: "\n")
            #expect(lines.count == 2 && lines[0].contains("\"shard\":{\"count\":2,\"index\":\(other)}"))
            #expect(lines[1] == "{\"type\":\"purewheel-check-end\",\"wheels\":0}")
        }
    }

    /// Shard outputs of a two-wheel folder, for the refusals below.
    private func twoShards(_ root: String, extra: [String] = []) throws -> [String] {
        let folder = "\(root)/wheels"
        // One wheel in each shard, so that both outputs have a wheel line.
        let names = ["alpha", "beta", "gamma", "delta", "epsilon"]
        let first = names.first { CheckShard.shard(ofPath: "\($0)-1.0-py3-none-any.whl", count: 2) == 1 } ?? "alpha"
        let second = names.first { CheckShard.shard(ofPath: "\($0)-1.0-py3-none-any.whl", count: 2) == 2 } ?? "beta"
        try WheelBuilder(distribution: first).write(in: folder)
        try WheelBuilder(distribution: second, defects: [.badHash("demo/__init__.py")]).write(in: folder)
        return try shardOutputs(folder, count: 2, in: root, extra: extra)
    }

    private func expectRefusal(_ arguments: [String], _ location: String, _ message: String) {
        let run = CommandRun.run(["merge-reports"] + arguments)
        #expect(run.status == 65 && run.stdout == "", "\(run.stderr)")
        #expect(run.stderr.hasPrefix("error: \(location): \(message)"), "\(run.stderr)")
    }

    @Test func aMalformedLineIsNamedWithItsFileAndLine() throws {
        try TemporaryDirectory.with { root in
            let shards = try twoShards(root)
            var text = try String(contentsOfFile: shards[0], encoding: .utf8)
            text = text.replacingOccurrences(of: "\"type\":\"purewheel-check-end\"", with: "\"type\":\"purewheel-check-end\",")
            try TemporaryDirectory.write(text, to: shards[0])
            let last = text.split(separator: "\n").count
            expectRefusal(shards, "\(shards[0]):\(last)", "not a JSON value")
        }
    }

    @Test func anUnfinishedShardIsRefused() throws {
        try TemporaryDirectory.with { root in
            let shards = try twoShards(root)
            let text = try String(contentsOfFile: shards[1], encoding: .utf8)
            let lines = text.split(separator: "\n")
            try TemporaryDirectory.write(lines.dropLast().joined(separator: "\n") + "\n", to: shards[1])
            expectRefusal(shards, "\(shards[1]):\(lines.count - 1)", "the last line does not end a `check` run")
        }
    }

    @Test func aWheelInTwoShardsIsRefused() throws {
        try TemporaryDirectory.with { root in
            let shards = try twoShards(root)
            let one = try String(contentsOfFile: shards[0], encoding: .utf8).split(separator: "\n")
            let two = try String(contentsOfFile: shards[1], encoding: .utf8).split(separator: "\n")
            let wheel = one.count > 2 ? one[1] : two[1]
            let copy = [two[0]] + two.dropFirst().dropLast() + [wheel, "{\"type\":\"purewheel-check-end\",\"wheels\":\(two.count - 1)}"]
            let target = one.count > 2 ? shards[1] : shards[0]
            let source = one.count > 2 ? shards[0] : shards[1]
            let rewritten = one.count > 2 ? copy : [one[0], wheel, "{\"type\":\"purewheel-check-end\",\"wheels\":1}"]
            try TemporaryDirectory.write(rewritten.joined(separator: "\n") + "\n", to: target)
            let line = rewritten.count - 1
            let run = CommandRun.run(["merge-reports"] + shards)
            #expect(run.status == 65, "\(run.stderr)")
            #expect(run.stderr.contains("is also in \(source)") || run.stderr.contains("is also in \(target)"), "\(run.stderr)")
            #expect(run.stderr.contains(":\(line): ") || run.stderr.contains(":2: "), "\(run.stderr)")
        }
    }

    @Test func shardsOfDifferentSettingsAreRefused() throws {
        try TemporaryDirectory.with { root in
            let shards = try twoShards(root)
            let other = try shardOutputs("\(root)/wheels", count: 2, in: "\(root)/other", extra: ["--ignore", "PW3"])
            expectRefusal([shards[0], other[1]], other[1] + ":1", "the settings differs from")
        }
    }

    @Test func anotherSchemaVersionIsRefused() throws {
        try TemporaryDirectory.with { root in
            let shards = try twoShards(root)
            let text = try String(contentsOfFile: shards[1], encoding: .utf8)
            try TemporaryDirectory.write(text.replacingOccurrences(of: "\"schema_version\":2", with: "\"schema_version\":3"), to: shards[1])
            expectRefusal(shards, "\(shards[1]):1", "schema_version is 3")
        }
    }

    @Test func aMissingOrRepeatedShardIsRefused() throws {
        try TemporaryDirectory.with { root in
            let shards = try twoShards(root)
            expectRefusal([shards[0]], shards[0], "shard 2/2 is missing")
            try FileManager.default.copyItem(atPath: shards[0], toPath: "\(root)/copy.jsonl")
            expectRefusal([shards[0], "\(root)/copy.jsonl"], "\(root)/copy.jsonl:1", "shard 1/2 is also \(shards[0])")
        }
    }

    @Test func tamperedCountsAreRefused() throws {
        try TemporaryDirectory.with { root in
            let shards = try twoShards(root)
            for path in shards {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                try TemporaryDirectory.write(text.replacingOccurrences(of: "\"ok\":false", with: "\"ok\":true"), to: path)
            }
            let run = CommandRun.run(["merge-reports"] + shards)
            #expect(run.status == 65 && run.stderr.contains("do not agree with the findings"), "\(run.stderr)")
        }
    }
}
