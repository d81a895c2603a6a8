extension PEP440Version: Codable {
    /// Reads a version from its spelling.
    ///
    /// - Throws: `DecodingError.dataCorrupted` for a string that is not a PEP 440 version.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let version = PEP440Version(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a PEP 440 version")
        }
        self = version
    }

    /// Writes the version as its normal-form spelling (`description`), a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
