/// What the content scan reads at the offsets purewheel's own parse verified, taken out of the layout so the
/// layout (every central record and local header) can be released before the scan starts; kept to read the
/// entries again when RECORD turns out to ask for `sha384` or `sha512`.
struct ContentWork: Sendable {
    /// One job for each readable entry with a local header, in archive order.
    let jobs: [ContentJob]
    /// Readable entries whose local header was not found: they fail the scan unread.
    let withoutLocalHeader: [Int]

    init(layout: borrowing ZipLayout, readable entries: some Sequence<WheelEntry>) {
        var jobs = [ContentJob]()
        jobs.reserveCapacity(layout.entries.count)
        var withoutLocalHeader = [Int]()
        for entry in entries {
            guard let local = layout.locals[entry.index] else {
                withoutLocalHeader.append(entry.index)
                continue
            }
            let central = layout.entries[entry.index]
            jobs.append(
                ContentJob(
                    index: entry.index, dataOffset: local.dataOffset, compressedSize: central.compressedSize,
                    declaredSize: central.uncompressedSize, crc32: central.crc32, method: central.method, strongAlgorithms: []))
        }
        self.jobs = jobs
        self.withoutLocalHeader = withoutLocalHeader
    }

    /// Reads every job, with the hashes `strong` asks for by entry name besides SHA-256.
    func scan(_ file: RandomAccessFile, workerCount: Int, strong: [String: StrongAlgorithms], entries: [WheelEntry]) -> ScanTable {
        var scanner = DirectContentScanner(file: file)
        scanner.workerCount = workerCount
        var jobs = self.jobs
        // Copied only for the rare RECORD with sha384= or sha512= rows.
        if !strong.isEmpty {
            for position in jobs.indices { jobs[position].strongAlgorithms = strong[entries[jobs[position].index].name] ?? [] }
        }
        var scans = scanner.scan(jobs)
        for index in withoutLocalHeader { scans[index] = EntryScan(failure: .unreadable(cause: "no local header was found for the entry")) }
        return scans
    }
}
