/// PEP 440 version validation, for the fields purewheel writes and checks.
public enum PEP440 {
    /// Whether `text` is a valid public or local PEP 440 version (any spelling PEP 440 allows).
    public static func isValid(_ text: String) -> Bool {
        PEP440Version(parsing: text) != nil
    }
}
