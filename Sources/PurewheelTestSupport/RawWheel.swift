import PurewheelBasics

/// Assembles the entries of a valid wheel (METADATA, WHEEL, RECORD with correct hashes) for `RawZipBuilder`,
/// so hostile-archive tests break only the zip layer they mean to.
public enum RawWheel {
    /// The entries of `demo-1.0-py3-none-any.whl` around `files`, with RECORD last; `record` may rewrite the
    /// RECORD text before it is added.
    public static func entries(
        _ files: [RawZipBuilder.Entry], distInfo: String = "demo-1.0.dist-info", tag: String = "py3-none-any",
        record transform: (String) -> String = { $0 }
    ) -> [RawZipBuilder.Entry] {
        let metadata = RawZipBuilder.Entry("\(distInfo)/METADATA", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n")
        let wheel = RawZipBuilder.Entry("\(distInfo)/WHEEL", "Wheel-Version: 1.0\nGenerator: raw\nRoot-Is-Purelib: true\nTag: \(tag)\n")
        var all = files + [metadata, wheel]
        var rows = ""
        for entry in all where entry.isInCentralDirectory && entry.name.last != UInt8(ascii: "/") {
            let name = String(decoding: entry.name, as: UTF8.self)
            let field = name.contains(",") || name.contains("\"") ? "\"" + name.replacingQuotes() + "\"" : name
            rows += "\(field),sha256=\(SHA256Digest.of(entry.data).urlSafeBase64),\(entry.data.count)\n"
        }
        rows += "\(distInfo)/RECORD,,\n"
        all.append(RawZipBuilder.Entry("\(distInfo)/RECORD", transform(rows)))
        return all
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var out = ""
        for c in self { out += c == "\"" ? "\"\"" : String(c) }
        return out
    }
}
