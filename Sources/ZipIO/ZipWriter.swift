import PurewheelBasics

/// A DOS date and time, the only timestamp zip local headers carry, computed in UTC so the time zone of the
/// machine never changes the output bytes.
public struct DOSTimestamp: Sendable, Hashable {
    /// Packed date: bits 15–9 year since 1980, 8–5 month, 4–0 day.
    public let date: UInt16
    /// Packed time: bits 15–11 hours, 10–5 minutes, 4–0 seconds / 2.
    public let time: UInt16

    /// 1980-01-01T00:00:00Z, the earliest time a zip can record and the default for reproducible builds.
    public static let zipEpoch = DOSTimestamp(secondsSinceUnixEpoch: 315_532_800)

    /// Converts seconds since 1970 (UTC), raising anything before 1980 to 1980 and capping at 2107 as the
    /// format requires.
    public init(secondsSinceUnixEpoch seconds: Int64) {
        let clamped = min(max(seconds, 315_532_800), 4_354_819_199)
        let days = clamped / 86_400
        let secondOfDay = clamped % 86_400
        let (year, month, day) = DOSTimestamp.civilDate(daysSinceEpoch: days)
        self.date = UInt16((year - 1980) << 9 | month << 5 | day)
        self.time = UInt16((secondOfDay / 3600) << 11 | ((secondOfDay % 3600) / 60) << 5 | (secondOfDay % 60) / 2)
    }

    /// Proleptic Gregorian date from days since 1970-01-01 (Howard Hinnant's civil_from_days algorithm).
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

/// Builds a new zip archive deterministically: every entry gets the same timestamp, a fixed mode, no extra
/// fields and the one compression setting below, so equal inputs give equal bytes.
///
/// It writes only to the path it is given (normally an `AtomicFile` temporary path); it never publishes.
public final class ZipWriter {
    /// The single compression setting for entries this writer compresses itself: deflate at zlib's level 6.
    public static let compression: (method: CompressionMethod, level: UInt32) = (.deflate, 6)

    private let archive: LibzipArchive
    private let timestamp: DOSTimestamp
    private var count = 0

    private init(archive: LibzipArchive, timestamp: DOSTimestamp) {
        self.archive = archive
        self.timestamp = timestamp
    }

    /// Creates an archive at `path` (which must not exist), lets `body` add entries, then writes it out.
    ///
    /// If `body` throws, nothing is written.
    ///
    /// - Throws: `ZipError.cannotWrite`, or the `ZipError` `body` throws.
    public static func create(at path: String, timestamp: DOSTimestamp, _ body: (ZipWriter) throws(ZipError) -> Void) throws(ZipError) {
        let writer = ZipWriter(archive: try LibzipArchive.create(path: path), timestamp: timestamp)
        try body(writer)
        try writer.requireEntries()
        try writer.archive.close()
    }

    /// Builds an archive in memory, lets `body` add entries, and returns the archive's bytes, so the caller can hash them while writing
    /// them out instead of reading the file back.
    ///
    /// `label` names it in errors.
    ///
    /// - Throws: `ZipError.cannotWrite`, or the `ZipError` `body` throws.
    public static func archive(label: String, timestamp: DOSTimestamp, _ body: (ZipWriter) throws(ZipError) -> Void) throws(ZipError)
        -> [UInt8]
    {
        let writer = ZipWriter(archive: try LibzipArchive.createInMemory(label: label), timestamp: timestamp)
        try body(writer)
        try writer.requireEntries()
        return try writer.archive.closeReturningBytes()
    }

    private func requireEntries() throws(ZipError) {
        guard count > 0 else {
            // libzip silently writes nothing for an empty archive; make that an explicit failure.
            throw ZipError.cannotWrite(archive: archive.label, entry: nil, cause: .stated("an archive needs at least one entry"))
        }
    }

    /// Adds `bytes` as entry `name`, compressed with `ZipWriter.compression`.
    ///
    /// - Throws: `ZipError.cannotWrite`.
    public func add(_ name: String, bytes: [UInt8], isExecutable: Bool) throws(ZipError) {
        try archive.add(
            name: name, bytes: bytes, attributes: attributes(method: Self.compression.method.rawValue, isExecutable: isExecutable))
        count += 1
    }

    /// Adds `entry` of `reader` as `name`, copying its compressed stream byte for byte.
    ///
    /// `reader` must stay open until this writer's `create` call returns.
    ///
    /// - Throws: `ZipError.cannotWrite`.
    public func addCompressedCopy(_ name: String, of entry: ZipEntry, from reader: ZipReader, isExecutable: Bool) throws(ZipError) {
        try archive.addRawCopy(
            name: name, from: reader.archive, index: entry.index, method: entry.compressionMethod,
            attributes: attributes(method: entry.compressionMethod, isExecutable: isExecutable)
        )
        count += 1
    }

    private func attributes(method: UInt16, isExecutable: Bool) -> WrittenAttributes {
        WrittenAttributes(
            method: method, level: Self.compression.level, dosTime: timestamp.time, dosDate: timestamp.date,
            unixMode: isExecutable ? 0o100755 : 0o100644
        )
    }
}
