import Dispatch
import PurewheelBasics
import Synchronization
import WheelBuild

/// A one-line progress note on stderr, for builds that take more than a second.
///
/// It says which input of how many is being built. Never drawn in pipes or with `NO_COLOR` / `TERM=dumb`
/// (`CheckProgress.isWanted`), and erased when the build ends, so only the summary stays.
struct BuildProgress: Sendable {
    private let write: (@Sendable (String) -> Void)?
    private let started = DispatchTime.now().uptimeNanoseconds
    private let drawn = Drawn()

    init(environment: CommandEnvironment) {
        let wanted = CheckProgress.isWanted(
            errorIsTerminal: environment.errorIsTerminal, isTextFormat: true, variables: environment.variables)
        write = wanted ? environment.writeError : nil
    }

    /// Shows the input about to be built, once the build has run for a second.
    func show(index: Int, count: Int, request: FetchRequest) {
        guard let write, DispatchTime.now().uptimeNanoseconds - started > 1_000_000_000 else { return }
        let name: String
        switch request {
        case .version(let version): name = "version \(version)"
        case .localFile(let path, _): name = TerminalText.escape(PathText.lastComponent(path))
        case .pinnedFile(let file): name = TerminalText.escape(file)
        }
        write("\r\u{1B}[K[\(index + 1)/\(count)] building \(name)")
        drawn.set()
    }

    /// Erases the line, if one was drawn.
    func finish() {
        if let write, drawn.isSet { write("\r\u{1B}[K") }
    }
}

/// Whether a progress line is on the screen.
private final class Drawn: Sendable {
    private let value = Mutex(false)

    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
