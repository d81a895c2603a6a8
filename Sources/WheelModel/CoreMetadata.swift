/// The `.dist-info/METADATA` file (core metadata spec).
///
/// Field order and unknown fields are kept as found.
public struct CoreMetadata: Sendable, Hashable {
    /// All fields in order, plus the long description body.
    public var headers: HeaderFields

    /// Parses METADATA text.
    ///
    /// - Throws: `WheelFormatError.invalidHeaderLine`, or `.missingField` for Metadata-Version, Name or Version.
    public init(parsing text: String, file: String) throws(WheelFormatError) {
        headers = try HeaderFields(parsing: text, file: file)
        for field in ["Metadata-Version", "Name", "Version"] where headers.first(field) == nil {
            throw .missingField(file: file, field: field)
        }
    }

    /// `Name`.
    public var name: String { headers.first("Name") ?? "" }
    /// `Version`.
    public var version: String { headers.first("Version") ?? "" }

    /// LF-terminated text.
    public func serialized() -> String { headers.serialized() }
}
