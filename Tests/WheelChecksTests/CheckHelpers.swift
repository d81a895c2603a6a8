import PurewheelTestSupport
import Testing
import WheelChecks

/// A finding reduced to what tests assert: code and entry (and RECORD line where relevant).
struct Hit: Hashable, CustomStringConvertible {
    var code: String
    var entry: String?
    var recordLine: Int? = nil

    var description: String { "\(code)@\(entry ?? "-")" + (recordLine.map { ":\($0)" } ?? "") }
}

extension CheckReport {
    /// Code and entry of every finding, in report order.
    var hits: [Hit] { findings.map { Hit(code: $0.code.rawValue, entry: $0.entry) } }
    /// Just the codes.
    var codes: [String] { findings.map(\.code.rawValue) }
    /// Error-severity codes.
    var errorCodes: [String] { findings.filter { $0.severity == .error }.map(\.code.rawValue) }
}

/// Writes a wheel with `WheelBuilder` into a scratch folder and checks it.
func check(_ builder: WheelBuilder, options: CheckOptions = CheckOptions()) throws -> CheckReport {
    try TemporaryDirectory.with { folder in
        WheelChecker(options: options).check(path: try builder.write(in: folder))
    }
}

/// Writes raw bytes as `name` into a scratch folder and checks them.
func check(bytes: [UInt8], name: String = "demo-1.0-py3-none-any.whl", options: CheckOptions = CheckOptions()) throws -> CheckReport {
    try TemporaryDirectory.with { folder in
        let path = "\(folder)/\(name)"
        try TemporaryDirectory.write(bytes, to: path)
        return WheelChecker(options: options).check(path: path)
    }
}

/// Checks a hand-assembled archive.
func check(raw: RawZipBuilder, name: String = "demo-1.0-py3-none-any.whl", options: CheckOptions = CheckOptions()) throws -> CheckReport {
    try check(bytes: raw.bytes(), name: name, options: options)
}
