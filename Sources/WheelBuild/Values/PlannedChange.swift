import PurewheelBasics
import WheelModel
import ZipIO

/// One change a stage planned and then applied.
public enum PlannedChange: Sendable, Hashable {
    /// An entry was dropped (`strip`).
    case dropped(path: String, size: UInt64, keyPath: String)
    /// CRLF became LF in an entry.
    case normalized(path: String, keyPath: String)
    /// A patch changed or created an entry; `offsets` lists each hunk's line offset.
    case patched(path: String, patch: String, offsets: [Int])
    /// A file was added.
    case injected(path: String, source: String, size: UInt64)
}
