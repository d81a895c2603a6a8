import FoundationEssentials
import PurewheelBasics

/// The `.dist-info/WHEEL` file (binary distribution format spec, "The .dist-info directory").
public struct WheelInfo: Sendable, Hashable {
    /// All fields in order.
    public var headers: HeaderFields

    /// Parses WHEEL text.
    ///
    /// - Throws: `WheelFormatError.invalidHeaderLine`, or `.missingField` when Wheel-Version is absent.
    public init(parsing text: String, file: String) throws(WheelFormatError) {
        headers = try HeaderFields(parsing: text, file: file)
        guard headers.first("Wheel-Version") != nil else { throw .missingField(file: file, field: "Wheel-Version") }
    }

    /// Builds a WHEEL in the fixed field order purewheel writes.
    public init(generator: String, rootIsPurelib: Bool, tags: [WheelTag], build: String? = nil) {
        var fields = [
            HeaderFields.Field(name: "Wheel-Version", value: "1.0"),
            HeaderFields.Field(name: "Generator", value: generator),
            HeaderFields.Field(name: "Root-Is-Purelib", value: rootIsPurelib ? "true" : "false"),
        ]
        fields += tags.map { HeaderFields.Field(name: "Tag", value: $0.description) }
        if let build { fields.append(HeaderFields.Field(name: "Build", value: build)) }
        headers = HeaderFields(fields: fields, body: nil)
    }

    /// `Wheel-Version` as (major, minor), if it parses.
    public var wheelVersion: (major: Int, minor: Int)? {
        guard let text = headers.first("Wheel-Version") else { return nil }
        let parts = text.trimmingWhitespace().split(separator: ".")
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        return (major, minor)
    }

    /// `Root-Is-Purelib`, when it is `true` or `false` (case-insensitive).
    public var rootIsPurelib: Bool? {
        switch headers.first("Root-Is-Purelib")?.lowercased().trimmingWhitespace() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// The `Tag` lines, expanded if someone wrote a compressed set there.
    public var tags: [WheelTag] {
        headers.all("Tag").flatMap { value -> [WheelTag] in
            let parts = value.trimmingWhitespace().split(separator: "-")
            guard parts.count == 3 else { return [] }
            return WheelTag.expanding(python: String(parts[0]), abi: String(parts[1]), platform: String(parts[2]))
        }
    }

    /// LF-terminated text.
    public func serialized() -> String { headers.serialized() }
}
