/// The purewheel version written into `Generator` and shown by `--version`.
public enum PurewheelVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
