/// What one call into the raw-deflate decoder did.
struct InflateStep {
    /// How the stream stands after the call.
    enum Outcome: Equatable {
        /// More input or more output room is needed.
        case progressing
        /// The deflate stream ended (its final block is decoded and flushed).
        case finished
        /// The data is not valid deflate; the library's error code.
        case failed(code: Int32)
    }

    /// Input bytes consumed.
    var consumed: Int
    /// Output bytes written.
    var produced: Int
    var outcome: Outcome
}
