import PurewheelBasics
import WheelChecks
import WheelModel

/// A written wheel that was re-read from disk and passed the checker.
public struct VerifiedWheel: Sendable {
    /// The written wheel.
    public let written: WrittenWheel
    /// Warnings the checker reported (errors would have failed the build).
    public let warnings: [Finding]
}
