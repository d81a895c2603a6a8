import Foundation
import PurewheelTestSupport
import Testing

@testable import PurewheelCommands

/// Which `pyproject.toml` may configure `check`: the search stops at the repository root or the home folder, a
/// stranger's file is passed over and named on standard error, and every format names the file applied.
@Suite struct CheckConfigurationTrustTests {
    /// Turns every error off; a check under it of `brokenWheel` passes.
    private let permissive = "[tool.purewheel.check]\nignore = [\"PW4\", \"PW8\"]\n"

    /// A wheel with a bad hash (PW405, error).
    private func brokenWheel(in folder: String) throws -> String {
        try WheelBuilder(files: [WheelBuilder.File("demo/__init__.py", "VALUE = 1\n")], defects: [.badHash("demo/__init__.py")])
            .write(in: folder + "/wheels")
    }

    /// A search as the current user with no home and no repository, where `owners` overrides the owners of some paths.
    private func search(owners: [String: [UInt32]] = [:], user: UInt32 = geteuid()) -> ConfigurationSearch {
        ConfigurationSearch(
            userID: user, homes: [],
            owners: { path in
                if let given = owners[path] { return given }
                return FileManager.default.fileExists(atPath: path) ? [user] : nil
            }, isRepositoryRoot: { _ in false })
    }

    @Test func searchStopsAtTheRepositoryRoot() throws {
        try TemporaryDirectory.with { folder in
            let wheel = try brokenWheel(in: folder)
            try TemporaryDirectory.write(permissive, to: folder + "/pyproject.toml")
            try FileManager.default.createDirectory(atPath: folder + "/repo/.git", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: folder + "/repo/sub", withIntermediateDirectories: true)
            let inRepository = CommandRun.run(["check", wheel], environment: [:], workingDirectory: folder + "/repo/sub")
            #expect(inRepository.status == 1)
            #expect(inRepository.stdout.contains("PW405"))
            // A worktree's `.git` is a file; it marks the root too.
            try FileManager.default.createDirectory(atPath: folder + "/worktree/sub", withIntermediateDirectories: true)
            try TemporaryDirectory.write("gitdir: /elsewhere\n", to: folder + "/worktree/.git")
            #expect(CommandRun.run(["check", wheel], environment: [:], workingDirectory: folder + "/worktree/sub").status == 1)
            // The root's own file applies.
            try TemporaryDirectory.write(permissive, to: folder + "/repo/pyproject.toml")
            let atRoot = CommandRun.run(["check", wheel], environment: [:], workingDirectory: folder + "/repo/sub")
            #expect(atRoot.status == 0)
            #expect(atRoot.stdout.hasPrefix("configuration: \(folder)/repo/pyproject.toml\n"))
        }
    }

    @Test func searchStopsAtTheHomeFolder() throws {
        try TemporaryDirectory.with { folder in
            let wheel = try brokenWheel(in: folder)
            try TemporaryDirectory.write(permissive, to: folder + "/pyproject.toml")
            try FileManager.default.createDirectory(atPath: folder + "/home/project", withIntermediateDirectories: true)
            let home = ["HOME": folder + "/home"]
            #expect(CommandRun.run(["check", wheel], environment: home, workingDirectory: folder + "/home/project").status == 1)
            try TemporaryDirectory.write(permissive, to: folder + "/home/pyproject.toml")
            #expect(CommandRun.run(["check", wheel], environment: home, workingDirectory: folder + "/home/project").status == 0)
        }
    }

    /// The ownership decision, without being root: another user's file is passed over (and listed), the search goes on
    /// to the next folder up; root's and the user's own apply; a link counts its own owner and its target's.
    @Test func onlyTheUsersAndRootsFilesApply() throws {
        try TemporaryDirectory.with { folder in
            try FileManager.default.createDirectory(atPath: folder + "/a/b", withIntermediateDirectories: true)
            try TemporaryDirectory.write(permissive, to: folder + "/a/pyproject.toml")
            try TemporaryDirectory.write(permissive, to: folder + "/pyproject.toml")
            let near = folder + "/a/pyproject.toml"
            let far = folder + "/pyproject.toml"
            let stranger = try CheckConfigurationLoader.discover(from: folder + "/a/b", search: search(owners: [near: [65534]]))
            #expect(stranger.applied?.path == far)
            #expect(stranger.ignored == [.init(path: near, owner: 65534)])
            let both = try CheckConfigurationLoader.discover(from: folder + "/a/b", search: search(owners: [near: [65534], far: [4242]]))
            #expect(both.applied == nil)
            #expect(both.ignored.map(\.path) == [near, far])
            #expect(try CheckConfigurationLoader.discover(from: folder + "/a/b", search: search(owners: [near: [0]])).applied?.path == near)
            // The file opened is checked again: one that is not the user's by then is passed over.
            let swapped = try CheckConfigurationLoader.discover(from: folder + "/a/b", search: search(user: geteuid() &+ 1))
            #expect(geteuid() == 0 ? swapped.applied?.path == near : swapped.ignored.map(\.path) == [near, far])
            #expect(try CheckConfigurationLoader.discover(from: folder + "/a/b", search: search()).applied?.path == near)
            let link = try CheckConfigurationLoader.discover(from: folder + "/a/b", search: search(owners: [near: [65534, geteuid()]]))
            #expect(link.applied?.path == far)
            // Running as root, a file of user 1000 is a stranger's too.
            let asRoot = try CheckConfigurationLoader.discover(from: folder + "/a/b", search: search(owners: [near: [1000]], user: 0))
            #expect(asRoot.applied?.path != near)
            #expect(asRoot.ignored.first == .init(path: near, owner: 1000))
        }
    }

    /// A permissive file owned by `nobody` above the working folder does not turn errors off.
    ///
    /// Standard error says why. Needs root to give the file away.
    @Test(.enabled(if: geteuid() == 0)) func aStrangersFileIsIgnoredAndNamed() throws {
        try TemporaryDirectory.with { folder in
            let wheel = try brokenWheel(in: folder)
            try TemporaryDirectory.write(permissive, to: folder + "/pyproject.toml")
            #expect(chown(folder + "/pyproject.toml", 65534, 65534) == 0)
            try FileManager.default.createDirectory(atPath: folder + "/work", withIntermediateDirectories: true)
            let result = CommandRun.run(["check", wheel], environment: [:], workingDirectory: folder + "/work")
            #expect(result.status == 1)
            #expect(result.stdout.contains("PW405"))
            #expect(!result.stdout.contains("configuration:"))
            #expect(
                result.stderr == "warning: \(folder)/pyproject.toml: not applied: the file belongs to another user (uid 65534)\n"
                    + "  hint: only your own or root's pyproject.toml configures check; name it with --config to use it anyway\n")
            // Named explicitly, it applies.
            #expect(CommandRun.run(["check", "--config", folder + "/pyproject.toml", wheel], environment: [:]).status == 0)
        }
    }

    @Test func everyFormatNamesTheConfigurationApplied() throws {
        try TemporaryDirectory.with { folder in
            let wheel = try brokenWheel(in: folder)
            let file = folder + "/pyproject.toml"
            try TemporaryDirectory.write(permissive, to: file)
            let run = { (arguments: [String]) in CommandRun.run(["check"] + arguments + [wheel], environment: [:], workingDirectory: folder)
            }
            #expect(run([]).stdout == "configuration: \(file)\n\(wheel): ok\n")
            #expect(run(["--format", "github"]).stdout == "purewheel: configuration: \(file)\npurewheel: \(wheel): ok\n")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run(["--format", "json"]).stdout.utf8)) as? [String: Any])
            #expect(json["configuration"] as? String == file)
            #expect(json["schema_version"] as? Int == 2)
            let sarif = try #require(
                try JSONSerialization.jsonObject(with: Data(run(["--format", "sarif"]).stdout.utf8)) as? [String: Any])
            let invocation = try #require(((sarif["runs"] as? [[String: Any]])?.first?["invocations"] as? [[String: Any]])?.first)
            #expect((invocation["properties"] as? [String: Any])?["configuration"] as? String == file)
            #expect(invocation["executionSuccessful"] as? Bool == true)
            // None applied: no header, and null.
            let none = run(["--no-config", "--format", "json"])
            #expect((try JSONSerialization.jsonObject(with: Data(none.stdout.utf8)) as? [String: Any])?["configuration"] is NSNull)
            #expect(run(["--no-config"]).stdout.hasPrefix("error: "))
            // `--config` is named as given.
            let given = folder + "/wheels/../pyproject.toml"
            #expect(run(["--config", given]).stdout.hasPrefix("configuration: \(given)\n"))
        }
    }

    /// A `pyproject.toml` that is not UTF-8 is a configuration error (78), as documented, not a read failure (74).
    @Test func aConfigurationThatIsNotUTF8IsExit78() throws {
        try TemporaryDirectory.with { folder in
            let wheel = try WheelBuilder().write(in: folder)
            try TemporaryDirectory.write(
                Array("[tool.purewheel.check]\nignore = [\"".utf8) + [0xFF, 0xFE] + Array("\"]\n".utf8), to: folder + "/pyproject.toml")
            let result = CommandRun.run(["check", wheel], environment: [:], workingDirectory: folder)
            #expect(result.status == 78)
            #expect(result.stderr == "error: \(folder)/pyproject.toml: the configuration file is not valid UTF-8\n")
            #expect(CommandRun.run(["check", "--config", folder + "/pyproject.toml", wheel], environment: [:]).status == 78)
        }
    }
}
