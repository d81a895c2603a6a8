import EnvironmentVerification
import Foundation
import Glibc
import PurewheelBasics
import PurewheelTestSupport
import WheelChecks

/// A small installed environment in a temporary folder, laid out as a venv: `prefix/bin`, and
/// `prefix/lib/python3.12/site-packages` with one distribution, `demo 1.0`, whose RECORD lists real hashes.
struct FakeEnvironment {
    let prefix: String
    var sitePackages: String { prefix + "/lib/python3.12/site-packages" }
    var distInfo: String { sitePackages + "/demo-1.0.dist-info" }

    /// The files `demo` installs, relative to site-packages, with their content.
    static let files: [(String, String)] = [
        ("demo/__init__.py", "from .core import answer\n"),
        ("demo/core.py", "def answer():\n    return 42\n"),
        ("demo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"),
        ("demo-1.0.dist-info/INSTALLER", "pip\n"),
        ("../../../bin/demo", "#!/usr/bin/python\nfrom demo import answer\n"),
    ]

    /// Creates the environment under `folder` and writes its RECORD, with `extraRows` appended as they are.
    init(in folder: String, extraRows: [String] = []) throws {
        prefix = folder + "/env"
        try FileManager.default.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: sitePackages, withIntermediateDirectories: true)
        var rows = [String]()
        for (path, content) in Self.files {
            try TemporaryDirectory.write(content, to: sitePackages + "/" + path)
            rows.append(Self.row(path, Array(content.utf8)))
        }
        // A byte-code cache written by import: not listed, and not unowned either.
        try TemporaryDirectory.write([0x42, 0x0D, 0x0D, 0x0A], to: sitePackages + "/demo/__pycache__/core.cpython-312.pyc")
        rows.append("demo-1.0.dist-info/RECORD,,")
        try writeRecord(rows + extraRows)
    }

    /// A RECORD row with the real sha256 and size of `bytes`.
    static func row(_ path: String, _ bytes: [UInt8]) -> String {
        "\(path),sha256=\(SHA256Digest.of(bytes).urlSafeBase64),\(bytes.count)"
    }

    func writeRecord(_ rows: [String]) throws {
        try TemporaryDirectory.write(rows.joined(separator: "\n") + "\n", to: distInfo + "/RECORD")
    }

    /// Adds a file to site-packages (and to RECORD when `listed`).
    func add(_ path: String, _ content: String, listed: Bool) throws {
        try TemporaryDirectory.write(content, to: sitePackages + "/" + path)
        if listed {
            var rows = String(decoding: try TemporaryDirectory.read(distInfo + "/RECORD"), as: UTF8.self)
                .split(separator: "\n").map(String.init)
            rows.append(Self.row(path, Array(content.utf8)))
            try writeRecord(rows)
        }
    }

    /// Verifies with two workers.
    func verify(allowed: Set<SHA256Digest> = []) throws -> [CheckReport] {
        try EnvironmentVerifier(workerCount: 2, allowedStartupCode: allowed).verify(SitePackages(path: sitePackages))
    }

    /// Every finding of every report, as `code entry`.
    static func summary(_ reports: [CheckReport]) -> [String] {
        reports.flatMap { report in report.findings.map { "\($0.code.rawValue) \($0.entry ?? "-")" } }
    }

    /// Replaces `path` (relative to site-packages) with a FIFO.
    func replaceWithFIFO(_ path: String) throws {
        let full = sitePackages + "/" + path
        try FileManager.default.removeItem(atPath: full)
        guard mkfifo(full, 0o644) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
