import PurewheelBasics

/// Why `merge-reports` refuses its inputs: it writes a report only when every input reads as `check` wrote it and the
/// inputs together are exactly one run's wheels, each once.
///
/// Exit 65 (EX_DATAERR).
struct MergeReportsError: PurewheelError, Equatable {
    /// The input file as given.
    let file: String
    /// The line concerned (1-based), when one is.
    let line: Int?
    /// What is wrong.
    let problem: String
    /// What to do.
    let advice: String?

    init(file: String, line: Int?, _ problem: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.problem = problem
        self.advice = hint
    }

    var location: SourceLocation? { .file(line.map { "\(file):\($0)" } ?? file) }
    var category: FailureCategory { .badInput }
    var message: String { problem }
    var hint: String? { advice }
}
