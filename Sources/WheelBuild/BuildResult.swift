import PurewheelBasics

/// What a build did: the upstream input, every planned change, and the verified output (absent in a dry run).
public struct BuildResult: Sendable {
    /// The upstream wheel that was converted.
    public let upstream: UpstreamWheel
    /// Every change the strip, normalize, patch and inject stages made, in order.
    public let changes: [PlannedChange]
    /// The wheel as it was (or, in a dry run, would be) written.
    public let wheel: PureWheel
    /// The written and verified wheel; `nil` for `--dry-run`.
    public let verified: VerifiedWheel?

    /// Whether a path the strip stage dropped is really absent from the output.
    ///
    /// A stripped `.dist-info` file that the build writes anyway (METADATA, WHEEL, RECORD, under the renamed folder) or a stripped entry
    /// that an inject put back is not: the output still holds a file of that name, so the summary does not count it as dropped.
    public func isRemovedFromOutput(_ path: String) -> Bool {
        let key = Self.comparableName(path)
        return !wheel.entries.contains { Self.comparableName($0.path.rawValue) == key }
    }

    /// `path`, with any `.dist-info` folder name reduced to `.dist-info`, because retagging renames it.
    private static func comparableName(_ path: String) -> Substring {
        guard let slash = path.firstIndex(of: "/"), path[..<slash].hasSuffix(".dist-info") else { return Substring(path) }
        return ".dist-info" + path[slash...]
    }
}
