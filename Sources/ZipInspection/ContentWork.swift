/// What the content scan reads at the offsets purewheel's own parse verified, taken out of the layout so the
/// layout (every central record and local header) can be released before the scan starts; kept to read the
/// entries again when RECORD turns out to ask for `sha384` or `sha512`.
package struct ContentWork: Sendable {
    /// One job for each readable entry with a local header, in archive order.
    let jobs: [ContentJob]
    /// Readable entries whose local header was not found: they fail the scan unread.
    let withoutLocalHeader: [Int]

    /// The jobs for the entries at `readable` (indices into the layout's entries), in the order given.
    package init(layout: borrowing ZipLayout, readable: some Sequence<Int>) {
        var jobs = [ContentJob]()
        jobs.reserveCapacity(layout.entries.count)
        var withoutLocalHeader = [Int]()
        for index in readable {
            guard let local = layout.locals[index] else {
                withoutLocalHeader.append(index)
                continue
            }
            let central = layout.entries[index]
            jobs.append(
                ContentJob(
                    index: index, dataOffset: local.dataOffset, compressedSize: central.compressedSize,
                    declaredSize: central.uncompressedSize, crc32: central.crc32, method: central.method, strongAlgorithms: []))
        }
        self.jobs = jobs
        self.withoutLocalHeader = withoutLocalHeader
    }

    /// Reads every job on up to `workerCount` threads, with the hashes `strong` asks for by entry index besides SHA-256.
    package func scan(_ file: RandomAccessFile, workerCount: Int, strong: [Int: StrongAlgorithms] = [:]) -> ScanTable {
        var scanner = DirectContentScanner(file: file)
        scanner.workerCount = workerCount
        var jobs = self.jobs
        // Copied only for the rare RECORD with sha384= or sha512= rows.
        if !strong.isEmpty {
            for position in jobs.indices { jobs[position].strongAlgorithms = strong[jobs[position].index] ?? [] }
        }
        var scans = scanner.scan(jobs)
        for index in withoutLocalHeader { scans[index] = EntryScan(failure: .unreadable(cause: "no local header was found for the entry")) }
        return scans
    }
}
