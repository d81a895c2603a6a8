import WheelChecks

/// Writes `check`'s report as the wheels are checked, in the order given, so that memory does not grow with the number of
/// wheels: each wheel's part is written when it is done and only the verdict is kept.
///
/// The bytes are those of the whole report rendered at once. The text and GitHub formats start with a line naming the
/// configuration file when one applies; JSON and SARIF always name it (null for none).
struct CheckReportStream {
    private let format: CheckCommand.Format
    private let write: (String) -> Void
    private var document: StreamedJSONArray?
    private var parts = 0
    /// Whether a wheel written so far has an error-severity finding.
    private(set) var hasErrors = false

    /// Starts the report: writes what comes before the first wheel.
    ///
    /// - Parameter run: what `jsonl`'s first line describes; required for that format, ignored by the others.
    init(format: CheckCommand.Format, configuration: String?, run: CheckJSONLines.RunLine? = nil, write: @escaping (String) -> Void) {
        self.format = format
        // Nothing is written for an empty part (a text report without configuration has no header).
        self.write = { text in if !text.isEmpty { write(text) } }
        switch format {
        case .text: self.write(CheckReportRenderer.textHeader(configuration: configuration))
        case .github: self.write(GitHubRenderer.header(configuration: configuration))
        case .json: document = CheckReportRenderer.jsonStream(configuration: configuration)
        case .sarif: document = SARIFRenderer.stream(configuration: configuration)
        case .jsonl: self.write(run.map(CheckJSONLines.runLine) ?? "")
        }
        if let document { self.write(document.start) }
    }

    /// Writes one wheel's part.
    mutating func add(_ report: CheckReport) {
        hasErrors = hasErrors || report.hasErrors
        parts += 1
        switch format {
        case .text: write(CheckReportRenderer.text([report]))
        case .github: write(GitHubRenderer.render([report]))
        case .json: write(document?.element(CheckReportRenderer.jsonElement(report)) ?? "")
        case .jsonl: write(CheckJSONLines.wheelLine(report))
        case .sarif:
            guard var stream = document else { return }
            let text = SARIFRenderer.results(report, in: &stream)
            document = stream
            write(text)
        }
    }

    /// Writes what comes after the last wheel.
    func finish() {
        if let document { write(document.end) }
        if format == .jsonl { write(CheckJSONLines.endLine(wheelLines: parts)) }
    }
}
