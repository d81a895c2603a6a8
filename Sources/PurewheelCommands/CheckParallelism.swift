import FoundationEssentials

/// How many wheels `check` reads at once.
///
/// One wheel per core: a wheel is checked on up to two threads of its own (its entries' contents beside its
/// structure), so the cores stay busy while one wheel waits on the disk, and a large wheel that ends the list still
/// gets two. Reports come out in input order whatever the width (`OrderedParallelMap`), with at most twice the
/// width of wheels in flight.
struct CheckParallelism: Sendable {
    /// The most wheels checked at once; one per core when nil.
    var width: Int?
    /// Called on a worker thread as wheel `index` (0-based, in input order) starts: a test hook.
    var willCheck: (@Sendable (Int) -> Void)?

    /// The setting in force; tests bind another with `$current.withValue`.
    @TaskLocal static var current = CheckParallelism()

    /// The number of wheels to check at once for `count` inputs.
    func width(for count: Int) -> Int {
        max(1, min(count, width ?? ProcessInfo.processInfo.activeProcessorCount))
    }
}
