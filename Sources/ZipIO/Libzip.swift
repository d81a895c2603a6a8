private import CLibzip
import Glibc
import PurewheelBasics
import SystemPackage

/// The only file that talks to libzip.
///
/// `zip_t *` and `zip_file_t *` stay private here; callers get Swift values.
///
/// Not `Sendable`: a libzip archive handle must not be used from two threads at once.
final class LibzipArchive {
    private let handle: OpaquePointer
    /// Path shown in errors (the archive's path, or a label for in-memory archives).
    let label: String
    private var isClosed = false
    /// For an archive written to memory: the buffer source, with an extra reference so it outlives
    /// `zip_close` and its bytes can be read back.
    private let memorySource: OpaquePointer?

    /// For an archive opened from `FileBytes`: those bytes, kept alive while libzip reads them.
    private let borrowed: FileBytes?

    private init(handle: OpaquePointer, label: String, memorySource: OpaquePointer? = nil, borrowed: FileBytes? = nil) {
        self.handle = handle
        self.label = label
        self.memorySource = memorySource
        self.borrowed = borrowed
    }

    deinit {
        // An archive that was never closed on purpose is discarded: nothing half-written reaches the disk.
        if !isClosed { zip_discard(handle) }
        if let memorySource { zip_source_free(memorySource) }
    }

    /// Creates a new, empty archive held in memory.
    ///
    /// Wraps `zip_source_buffer_create`, `zip_source_keep` and `zip_open_from_source` with `ZIP_TRUNCATE`.
    static func createInMemory(label: String) throws(ZipError) -> LibzipArchive {
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        guard let source = zip_source_buffer_create(nil, 0, 0, &error) else {
            throw .cannotWrite(archive: label, entry: nil, cause: ZipFailureCause(&error))
        }
        // One reference for the archive (released by zip_close or zip_discard), one kept to read the result.
        zip_source_keep(source)
        guard let handle = zip_open_from_source(source, ZIP_TRUNCATE, &error) else {
            zip_source_free(source)
            zip_source_free(source)
            throw .cannotWrite(archive: label, entry: nil, cause: ZipFailureCause(&error))
        }
        return LibzipArchive(handle: handle, label: label, memorySource: source)
    }

    /// Writes an in-memory archive and returns its bytes.
    ///
    /// Wraps `zip_close`, then `zip_source_open`, `zip_source_read` and `zip_source_close` on the kept buffer source.
    func closeReturningBytes() throws(ZipError) -> [UInt8] {
        try close()
        guard let source = memorySource else {
            throw .cannotWrite(archive: label, entry: nil, cause: .stated("the archive is not held in memory"))
        }
        guard zip_source_open(source) == 0 else {
            throw .cannotWrite(archive: label, entry: nil, cause: ZipFailureCause(zip_source_error(source)))
        }
        defer { zip_source_close(source) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { zip_source_read(source, $0.baseAddress, zip_uint64_t($0.count)) }
            if count < 0 {
                throw .cannotWrite(archive: label, entry: nil, cause: ZipFailureCause(zip_source_error(source)))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<Int(count)])
        }
        return bytes
    }

    /// Opens an existing archive read-only with consistency checks.
    ///
    /// Wraps `zip_open`.
    static func open(path: String) throws(ZipError) -> LibzipArchive {
        var code: Int32 = 0
        guard let handle = zip_open(path, ZIP_CHECKCONS | ZIP_RDONLY, &code) else {
            if code == ZIP_ER_NOENT { throw .notFound(archive: path) }
            throw .cannotOpen(archive: path, cause: .libzip(code: code, systemError: nil))
        }
        return LibzipArchive(handle: handle, label: path)
    }

    /// Opens the archive in `source`: a file, or bytes read whole (borrowed, not copied).
    static func open(_ source: ArchiveSource) throws(ZipError) -> LibzipArchive {
        switch source {
        case .file(let path): return try open(path: path)
        case .memory(let bytes, let label): return try open(borrowing: bytes, label: label)
        }
    }

    /// Opens an archive from a file read whole, reading those bytes where they are (no copy): the archive
    /// keeps them alive.
    ///
    /// Wraps `zip_source_buffer_create` (freep = 0) and `zip_open_from_source`.
    static func open(borrowing bytes: FileBytes, label: String) throws(ZipError) -> LibzipArchive {
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        let base = bytes.withUnsafeBytes { $0.baseAddress }
        guard let source = zip_source_buffer_create(base, zip_uint64_t(bytes.count), 0, &error) else {
            throw .cannotOpen(archive: label, cause: ZipFailureCause(&error))
        }
        guard let handle = zip_open_from_source(source, ZIP_CHECKCONS | ZIP_RDONLY, &error) else {
            zip_source_free(source)
            throw .cannotOpen(archive: label, cause: ZipFailureCause(&error))
        }
        return LibzipArchive(handle: handle, label: label, borrowed: bytes)
    }

    /// Creates a new, empty archive at `path`, which must not exist yet.
    ///
    /// Wraps `zip_open` with `ZIP_EXCL`.
    static func create(path: String) throws(ZipError) -> LibzipArchive {
        var code: Int32 = 0
        guard let handle = zip_open(path, ZIP_CREATE | ZIP_EXCL, &code) else {
            throw .cannotWrite(archive: path, entry: nil, cause: .libzip(code: code, systemError: nil))
        }
        return LibzipArchive(handle: handle, label: path)
    }

    /// Number of entries in the central directory.
    ///
    /// Wraps `zip_get_num_entries`.
    var entryCount: Int { Int(zip_get_num_entries(handle, 0)) }

    /// The name of entry `index`, as `entry(at:)` gives it, failing exactly when that fails.
    ///
    /// Wraps `zip_get_name`.
    func name(at index: Int) throws(ZipError) -> String {
        guard let name = zip_get_name(handle, zip_uint64_t(index), 0) else {
            throw .cannotOpen(archive: label, cause: .stated("entry \(index): \(lastError())"))
        }
        return String(cString: name)
    }

    /// The name of entry `index` as the archive stores its bytes, undecoded (no CP437 guess, no Unicode Path extra field).
    ///
    /// Wraps `zip_get_name` with `ZIP_FL_ENC_RAW`.
    func rawName(at index: Int) throws(ZipError) -> [UInt8] {
        guard let name = zip_get_name(handle, zip_uint64_t(index), zip_flags_t(ZIP_FL_ENC_RAW)) else {
            throw .cannotOpen(archive: label, cause: .stated("entry \(index): \(lastError())"))
        }
        return Array(UnsafeBufferPointer(start: UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self), count: strlen(name)))
    }

    /// Describes entry `index`.
    ///
    /// Wraps `zip_stat_index` and `zip_file_get_external_attributes`.
    func entry(at index: Int) throws(ZipError) -> ZipEntry {
        var info = zip_stat_t()
        zip_stat_init(&info)
        guard zip_stat_index(handle, zip_uint64_t(index), 0, &info) == 0, let namePointer = info.name else {
            throw .cannotOpen(archive: label, cause: .stated("entry \(index): \(lastError())"))
        }
        var opsys: zip_uint8_t = 0
        var attributes: zip_uint32_t = 0
        let mode: UInt32?
        if zip_file_get_external_attributes(handle, zip_uint64_t(index), 0, &opsys, &attributes) == 0,
            UInt32(opsys) == UInt32(ZIP_OPSYS_UNIX)
        {
            mode = attributes >> 16
        } else {
            mode = nil
        }
        return ZipEntry(
            index: index,
            name: String(cString: namePointer),
            uncompressedSize: info.size,
            compressedSize: info.comp_size,
            crc32: info.crc,
            compressionMethod: UInt16(truncatingIfNeeded: info.comp_method),
            isEncrypted: info.encryption_method != UInt16(ZIP_EM_NONE),
            unixMode: mode
        )
    }

    /// Streams the uncompressed bytes of entry `index` to `body` in chunks, reading to the very end so that libzip checks the CRC.
    ///
    /// Wraps `zip_fopen_index`, `zip_fread` and `zip_fclose`.
    func readEntry(
        at index: Int, name: String, chunkSize: Int = 1 << 20,
        _ body: (UnsafeRawBufferPointer) throws(ZipError) -> Void
    ) throws(ZipError) {
        guard let file = zip_fopen_index(handle, zip_uint64_t(index), 0) else {
            throw .cannotReadEntry(archive: label, entry: name, cause: ZipFailureCause(zip_get_error(handle)))
        }
        var closed = false
        defer { if !closed { zip_fclose(file) } }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = zip_fread(file, buffer.baseAddress, zip_uint64_t(chunkSize))
            if count < 0 {
                throw .cannotReadEntry(archive: label, entry: name, cause: ZipFailureCause(zip_file_get_error(file)))
            }
            if count == 0 { break }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<Int(count)]))
        }
        closed = true
        let status = zip_fclose(file)
        if status != 0 {
            throw .cannotReadEntry(archive: label, entry: name, cause: .libzip(code: status, systemError: nil))
        }
    }

    /// Adds an entry from bytes.
    ///
    /// Wraps `zip_source_buffer` and `zip_file_add`.
    func add(name: String, bytes: [UInt8], attributes: WrittenAttributes) throws(ZipError) {
        let copy = mallocCopy(bytes)
        guard let source = zip_source_buffer(handle, copy, zip_uint64_t(bytes.count), 1) else {
            free(copy)
            throw .cannotWrite(archive: label, entry: name, cause: ZipFailureCause(zip_get_error(handle)))
        }
        let index = try addSource(source, name: name)
        try apply(attributes, method: attributes.method, level: attributes.level, at: index, name: name)
    }

    /// Adds an entry whose compressed stream is copied from `other` unchanged (no inflate, no deflate).
    ///
    /// `other` must stay open until this archive is closed. Wraps `zip_source_zip` with `ZIP_FL_COMPRESSED`.
    func addRawCopy(name: String, from other: LibzipArchive, index sourceIndex: Int, method: UInt16, attributes: WrittenAttributes)
        throws(ZipError)
    {
        guard let source = zip_source_zip(handle, other.handle, zip_uint64_t(sourceIndex), zip_flags_t(ZIP_FL_COMPRESSED), 0, -1) else {
            throw .cannotWrite(archive: label, entry: name, cause: ZipFailureCause(zip_get_error(handle)))
        }
        let index = try addSource(source, name: name)
        // The method must be set to the source's own, or libzip would recompress (or deflate a stored entry).
        try apply(attributes, method: method, level: 0, at: index, name: name)
    }

    /// Writes the archive and releases the handle.
    ///
    /// Wraps `zip_close`.
    func close() throws(ZipError) {
        guard !isClosed else { return }
        if zip_close(handle) != 0 {
            throw .cannotWrite(archive: label, entry: nil, cause: ZipFailureCause(zip_get_error(handle)))
        }
        isClosed = true
    }

    private func addSource(_ source: OpaquePointer, name: String) throws(ZipError) -> zip_uint64_t {
        let index = zip_file_add(handle, name, source, zip_flags_t(ZIP_FL_ENC_UTF_8))
        guard index >= 0 else {
            zip_source_free(source)
            throw .cannotWrite(archive: label, entry: name, cause: ZipFailureCause(zip_get_error(handle)))
        }
        return zip_uint64_t(index)
    }

    private func apply(_ attributes: WrittenAttributes, method: UInt16, level: UInt32, at index: zip_uint64_t, name: String)
        throws(ZipError)
    {
        try check(zip_set_file_compression(handle, index, Int32(method), level), entry: name)
        try check(zip_file_set_dostime(handle, index, attributes.dosTime, attributes.dosDate, 0), entry: name)
        try check(
            zip_file_set_external_attributes(handle, index, 0, zip_uint8_t(ZIP_OPSYS_UNIX), attributes.unixMode << 16),
            entry: name
        )
        // A raw copy could carry the source's extra fields (timestamps, uid/gid): drop them for reproducibility.
        try check(
            zip_file_extra_field_delete(handle, index, zip_uint16_t(ZIP_EXTRA_FIELD_ALL), zip_flags_t(ZIP_FL_CENTRAL | ZIP_FL_LOCAL)),
            entry: name
        )
    }

    /// The single place a libzip status code becomes a Swift error.
    private func check(_ status: Int32, entry: String) throws(ZipError) {
        guard status == 0 else { throw .cannotWrite(archive: label, entry: entry, cause: ZipFailureCause(zip_get_error(handle))) }
    }

    private func lastError() -> String {
        ZipFailureCause(zip_get_error(handle)).description
    }
}

extension ZipFailureCause {
    /// The values of a libzip error: its code, and its `errno` when it is a system error.
    fileprivate init(_ error: UnsafeMutablePointer<zip_error_t>?) {
        guard let error else {
            self = .libzip(code: ZIP_ER_INTERNAL, systemError: nil)
            return
        }
        let code = zip_error_code_zip(error)
        let isSystem = zip_error_system_type(error) == ZIP_ET_SYS
        self = .libzip(code: code, systemError: isSystem ? Errno(rawValue: zip_error_code_system(error)) : nil)
    }
}

/// libzip's own words for an error, made from its values when an error is shown.
enum LibzipErrorText {
    static func text(code: Int32, systemError: Int32) -> String {
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        zip_error_set(&error, code, systemError)
        return String(cString: zip_error_strerror(&error))
    }
}

/// How an added entry is stamped: one method, level, time and mode per entry.
struct WrittenAttributes {
    var method: UInt16
    var level: UInt32
    var dosTime: UInt16
    var dosDate: UInt16
    var unixMode: UInt32
}

private func mallocCopy(_ bytes: [UInt8]) -> UnsafeMutableRawPointer? {
    // malloc(0) may return NULL; libzip accepts NULL for an empty buffer.
    guard !bytes.isEmpty, let pointer = malloc(bytes.count) else { return nil }
    bytes.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    return pointer
}
