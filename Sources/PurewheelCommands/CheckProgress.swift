import FoundationEssentials
import Glibc
import PurewheelBasics
import Synchronization

/// A progress line on standard error for a `check` that takes more than a second: the wheel being checked, entries and bytes done.
///
/// It is redrawn in place ten times a second and erased when the check ends.
///
/// Shown only when it cannot get in anyone's way: standard error is a terminal, the report is the text
/// format (never JSON, SARIF or GitHub annotations), `NO_COLOR` is unset and `TERM` is not `dumb`.
///
/// Bytes done are the bytes this process has read since the wheel started (`rchar` in `/proc/self/io`,
/// capped at the wheel's size): the checker reads every entry's compressed stream once, so that follows its
/// real progress without a hook into it. Entries done are estimated from those bytes and the entries'
/// compressed sizes in archive order; the totals come from a separate libzip open of the wheel.
final class CheckProgress: Sendable {
    private struct State {
        var wheelIndex = 0
        var wheelCount = 0
        var name = ""
        var startedAt = Date()
        var readAtStart: UInt64 = 0
        var wheelSize: UInt64 = 0
        var entrySizes: [UInt64]?
        var shown = false
        var finished = false
    }

    private let state = Mutex(State())
    private let write: @Sendable (String) -> Void
    private let countEntries: @Sendable (String) -> [UInt64]?

    /// Whether progress may be shown: a terminal on standard error, the text format, and no `NO_COLOR` or
    /// `TERM=dumb`.
    static func isWanted(errorIsTerminal: Bool, isTextFormat: Bool, variables: [String: String]) -> Bool {
        errorIsTerminal && isTextFormat && variables["NO_COLOR"].map(\.isEmpty) ?? true && variables["TERM"] != "dumb"
    }

    /// Creates a reporter that writes through `write`; `countEntries` gives a wheel's compressed entry
    /// sizes in archive order (nil when it cannot be opened).
    init(write: @escaping @Sendable (String) -> Void, countEntries: @escaping @Sendable (String) -> [UInt64]?) {
        self.write = write
        self.countEntries = countEntries
    }

    /// Starts the ticker thread; `stop()` ends it.
    func start() {
        startDetachedThread { [self] in
            while true {
                usleep(100_000)
                if !tick() { return }
            }
        }
    }

    /// Marks the start of wheel `index` (0-based) of `count`.
    func begin(wheel path: String, index: Int, count: Int) {
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? UInt64) ?? 0
        let read = Self.bytesRead()
        state.withLock { state in
            state.wheelIndex = index
            state.wheelCount = count
            state.name = path
            state.wheelSize = size
            state.readAtStart = read
            state.entrySizes = nil
            if index == 0 { state.startedAt = Date() }
        }
    }

    /// Stops the ticker and erases the line.
    func stop() {
        // Written under the lock, so a tick that is drawing cannot leave its line behind after this.
        state.withLock { state in
            state.finished = true
            if state.shown { write("\r\u{1B}[K") }
        }
    }

    /// Redraws the line once a second has passed; false once stopped.
    private func tick() -> Bool {
        let snapshot = state.withLock { $0 }
        if snapshot.finished { return false }
        guard Date().timeIntervalSince(snapshot.startedAt) >= 1 else { return true }
        var sizes = snapshot.entrySizes
        if sizes == nil {
            sizes = countEntries(snapshot.name) ?? []
            state.withLock { if $0.name == snapshot.name { $0.entrySizes = sizes } }
        }
        let done = min(Self.bytesRead() &- snapshot.readAtStart, snapshot.wheelSize)
        var entriesDone = 0
        var cumulative: UInt64 = 0
        for size in sizes ?? [] {
            cumulative += size
            if cumulative > done { break }
            entriesDone += 1
        }
        let line = Self.line(
            name: snapshot.name, index: snapshot.wheelIndex, count: snapshot.wheelCount, entriesDone: entriesDone,
            entries: sizes?.count ?? 0, bytesDone: done, bytes: snapshot.wheelSize)
        return state.withLock { state in
            guard !state.finished else { return false }
            state.shown = true
            write("\r\u{1B}[K" + line)
            return true
        }
    }

    /// `checking [2/5] torch-….whl: 1,204/2,460 entries, 340/906 MB`, the name escaped and shortened.
    static func line(name: String, index: Int, count: Int, entriesDone: Int, entries: Int, bytesDone: UInt64, bytes: UInt64) -> String {
        var shown = TerminalText.escape(String(name.split(separator: "/").last ?? Substring(name)))
        if shown.count > 48 { shown = String(shown.prefix(45)) + "..." }
        let position = count > 1 ? "[\(index + 1)/\(count)] " : ""
        let megabytes = "\(MegabyteText.text(bytesDone))/\(MegabyteText.text(bytes)) MB"
        return "checking \(position)\(shown): \(entriesDone)/\(entries) entries, \(megabytes)"
    }

    /// Bytes read by this process so far (`rchar`), 0 where `/proc/self/io` does not exist.
    private static func bytesRead() -> UInt64 {
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("rchar:") {
            return UInt64(line.dropFirst(6).trimmingWhitespace()) ?? 0
        }
        return 0
    }
}
