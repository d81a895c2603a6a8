/// The pipeline stages, in order, for error context and the summary.
public enum StageName: String, Sendable, Hashable, CaseIterable {
    case fetch
    case inputCheck = "input-check"
    case open, strip
    case normalizeNewlines = "normalize-newlines"
    case patch, inject
    case importCheck = "import-check"
    case retag, record, write, verify
}
