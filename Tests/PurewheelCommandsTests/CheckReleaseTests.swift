import Foundation
import PurewheelCommands
import PurewheelTestSupport
import Testing
import WheelModel

/// `check` of several wheels compares the wheels of each release once all are checked.
@Suite struct CheckReleaseTests {
    private func wheels(in folder: String, linuxRequires: [String], macRequires: [String]) throws -> (linux: String, mac: String) {
        func make(_ platform: String, _ requires: [String]) throws -> String {
            try WheelBuilder(
                tag: WheelTag(python: "cp311", abi: "cp311", platform: platform), rootIsPurelib: false,
                extraMetadata: requires.map { ("Requires-Dist", $0) }
            ).write(in: folder)
        }
        return (try make("manylinux_2_17_x86_64", linuxRequires), try make("macosx_11_0_arm64", macRequires))
    }

    @Test func aWheelMissingADependencyItsSiblingHasIsNamed() throws {
        try TemporaryDirectory.with { folder in
            let (linux, mac) = try wheels(in: folder, linuxRequires: ["numpy>=2", "pysam-data"], macRequires: ["numpy>=2"])
            let run = CommandRun.run(["check", "--no-config", folder])
            #expect(run.status == 0)
            #expect(
                run.stdout == "\(mac): ok\n\(linux): ok\n"
                    + "warning: \(linux): PW646 Requires-Dist differs from \(mac), another wheel of the same release"
                    + " (expected numpy>=2, got numpy>=2; pysam-data)\n"
                    + "  hint: every file of a release should carry the same metadata; rebuild the odd one\n"
                    + "\(linux): 0 errors, 1 warning\n")
        }
    }

    @Test func agreeingWheelsGiveOneLineEach() throws {
        try TemporaryDirectory.with { folder in
            let (linux, mac) = try wheels(in: folder, linuxRequires: ["NumPy >= 2"], macRequires: ["numpy>=2"])
            let run = CommandRun.run(["check", "--no-config", folder])
            #expect(run.status == 0 && run.stdout == "\(mac): ok\n\(linux): ok\n")
        }
    }

    @Test func theFindingIsSelectableLikeAnyOther() throws {
        try TemporaryDirectory.with { folder in
            let (linux, _) = try wheels(in: folder, linuxRequires: ["numpy>=2"], macRequires: [])
            #expect(!CommandRun.run(["check", "--no-config", "--ignore", "PW646", folder]).stdout.contains("PW646"))
            let json = CommandRun.run(["check", "--no-config", "--format", "json", folder]).stdout
            #expect(json.contains("\"path\" : \"\(linux)\"") && json.contains("\"code\" : \"PW646\""))
        }
    }
}
