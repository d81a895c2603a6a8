import Foundation
import PurewheelBasics
import WheelModel
import ZipIO

/// Assembles wheels for tests through the same zip layer the tool uses, with switches that break them in specific ways.
///
/// Every fixture is built in code; nothing binary is committed for what this can make.
public struct WheelBuilder: Sendable {
    /// One file in the wheel.
    public struct File: Sendable, Hashable {
        /// Entry path.
        public var path: String
        /// Content.
        public var bytes: [UInt8]
        /// Mode 0755 when true.
        public var isExecutable: Bool

        /// A text file.
        public init(_ path: String, _ text: String, isExecutable: Bool = false) {
            self.init(path, bytes: Array(text.utf8), isExecutable: isExecutable)
        }

        /// A binary file.
        public init(_ path: String, bytes: [UInt8], isExecutable: Bool = false) {
            self.path = path
            self.bytes = bytes
            self.isExecutable = isExecutable
        }
    }

    /// Ways to break the wheel on purpose.
    public enum Defect: Sendable, Hashable {
        /// RECORD lists a wrong hash for this path.
        case badHash(String)
        /// RECORD lists a wrong size for this path.
        case badSize(String)
        /// RECORD has no row for this path.
        case missingRecordRow(String)
        /// RECORD has a row for a file that is not in the archive.
        case extraRecordRow(String)
        /// No RECORD at all.
        case noRecord
        /// RECORD uses this algorithm name (e.g. md5) for every row, with a digest of the right shape.
        case recordAlgorithm(String)
    }

    /// Distribution name as in the file name (escaped).
    public var distribution: String
    /// Version.
    public var version: String
    /// The wheel tag.
    public var tag: WheelTag
    /// Payload files (outside `.dist-info`).
    public var files: [File]
    /// `Root-Is-Purelib`.
    public var rootIsPurelib: Bool
    /// Extra METADATA fields after Metadata-Version, Name, Version.
    public var extraMetadata: [(String, String)]
    /// Overrides the whole METADATA text when set.
    public var metadataText: String?
    /// Overrides the whole WHEEL text when set.
    public var wheelText: String?
    /// Defects to introduce.
    public var defects: [Defect]

    /// A small valid pure wheel `demo-1.0-py3-none-any.whl` with one package.
    public init(
        distribution: String = "demo", version: String = "1.0", tag: WheelTag = .py3NoneAny,
        files: [File] = [File("demo/__init__.py", "VALUE = 1\n")], rootIsPurelib: Bool = true,
        extraMetadata: [(String, String)] = [("Summary", "A demo")], defects: [Defect] = []
    ) {
        self.distribution = distribution
        self.version = version
        self.tag = tag
        self.files = files
        self.rootIsPurelib = rootIsPurelib
        self.extraMetadata = extraMetadata
        self.defects = defects
    }

    /// The file name this wheel gets.
    public var filename: String { "\(distribution)-\(version)-\(tag).whl" }
    /// Its `.dist-info` folder.
    public var distInfo: String { "\(distribution)-\(version).dist-info" }

    /// Every entry in archive order, RECORD last.
    public func entries() -> [File] {
        var metadata = metadataText ?? "Metadata-Version: 2.1\nName: \(distribution)\nVersion: \(version)\n"
        if metadataText == nil { for (key, value) in extraMetadata { metadata += "\(key): \(value)\n" } }
        let wheel = wheelText ?? "Wheel-Version: 1.0\nGenerator: purewheel-tests\nRoot-Is-Purelib: \(rootIsPurelib)\nTag: \(tag)\n"
        var all = files + [File("\(distInfo)/METADATA", metadata), File("\(distInfo)/WHEEL", wheel)]
        if defects.contains(.noRecord) { return all }
        var rows = [String]()
        for file in all where !defects.contains(.missingRecordRow(file.path)) {
            let digest = SHA256Digest.of(file.bytes)
            var hash = "sha256=\(digest.urlSafeBase64)"
            var size = file.bytes.count
            if defects.contains(.badHash(file.path)) { hash = "sha256=\(SHA256Digest.of(file.bytes + [0]).urlSafeBase64)" }
            if defects.contains(.badSize(file.path)) { size += 1 }
            for case .recordAlgorithm(let name) in defects { hash = "\(name)=\(digest.urlSafeBase64)" }
            rows.append("\(csvQuoted(file.path)),\(hash),\(size)")
        }
        for case .extraRecordRow(let path) in defects {
            rows.append("\(path),sha256=\(SHA256Digest.of([]).urlSafeBase64),0")
        }
        rows.append("\(distInfo)/RECORD,,")
        all.append(File("\(distInfo)/RECORD", rows.joined(separator: "\n") + "\n"))
        return all
    }

    /// Writes the wheel into `folder` and returns its path.
    @discardableResult
    public func write(in folder: String, timestamp: DOSTimestamp = .zipEpoch) throws -> String {
        let path = "\(folder)/\(filename)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try ZipWriter.create(at: path, timestamp: timestamp) { writer throws(ZipError) in
            for file in entries() {
                try writer.add(file.path, bytes: file.bytes, isExecutable: file.isExecutable)
            }
        }
        return path
    }

    private func csvQuoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Magic bytes of native code formats, for fixtures that must look like binaries.
public enum NativeMagic {
    /// An ELF header prefix.
    public static let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 56)
    /// A 64-bit Mach-O header prefix.
    public static let machO: [UInt8] = [0xCF, 0xFA, 0xED, 0xFE] + [UInt8](repeating: 0, count: 28)
    /// A PE DLL: `MZ`, a PE header offset, and `IMAGE_FILE_DLL` in the COFF characteristics.
    public static let pe: [UInt8] = peFile(characteristics: 0x2022)
    /// A PE executable (a console program, as pip's launcher templates are): no `IMAGE_FILE_DLL`.
    public static let peExecutable: [UInt8] = peFile(characteristics: 0x0022)
    /// A 64-bit little-endian ELF `ET_EXEC` header.
    public static let elfExecutable: [UInt8] = elfFile(type: 2, segments: [1])
    /// A position-independent executable, as `gcc -pie` links one: `ET_DYN` with `PT_INTERP` and `DF_1_PIE`.
    public static let elfPIE: [UInt8] = elfImage(flags1: [0x0800_0000])
    /// A CPython extension linked with an interpreter (`gcc -shared` plus `-Wl,-dynamic-linker`), like `libc.so.6`:
    /// `ET_DYN` with `PT_INTERP` but no `DF_1_PIE`, so `dlopen` loads it.
    public static let elfInterpretedSharedObject: [UInt8] = elfImage(flags1: [0x0000_0001])
    /// A shared object or extension module: `ET_DYN` with only `PT_LOAD` and `PT_DYNAMIC` segments.
    public static let elfSharedObject: [UInt8] = elfFile(type: 3, segments: [1, 1, 2])
    /// A 64-bit Mach-O `MH_EXECUTE` header.
    public static let machOExecutable: [UInt8] =
        [0xCF, 0xFA, 0xED, 0xFE, 7, 0, 0, 1, 3, 0, 0, 0, 2, 0, 0, 0] + [UInt8](repeating: 0, count: 16)
    /// A 64-bit Mach-O `MH_BUNDLE` header (what a Python extension module on macOS is).
    public static let machOBundle: [UInt8] =
        [0xCF, 0xFA, 0xED, 0xFE, 7, 0, 0, 1, 3, 0, 0, 0, 8, 0, 0, 0] + [UInt8](repeating: 0, count: 16)

    /// A 64-bit little-endian `ET_DYN` image the way a linker lays one out: `PT_PHDR`, optionally `PT_INTERP`, one
    /// `PT_LOAD` that maps the whole file at address = offset, and `PT_DYNAMIC` at `dynamicOffset` holding a
    /// `DT_FLAGS_1` entry per value of `flags1`, then `DT_NULL`.
    ///
    /// - Parameters:
    ///   - flags1: the `DT_FLAGS_1` values in order (the loader keeps the last); `0x0800_0000` is `DF_1_PIE`.
    ///   - interpreter: whether to add a `PT_INTERP` segment naming the dynamic linker.
    ///   - dynamicOffset: where the dynamic section starts; past 4 KiB or 1 MiB it streams in a later chunk.
    ///   - dynamicAddress: the address `PT_DYNAMIC` gives (`dynamicOffset` unless a test points it elsewhere).
    public static func elfImage(
        flags1: [UInt64], interpreter: Bool = true, dynamicOffset: Int = 0x200, dynamicAddress: Int? = nil
    ) -> [UInt8] {
        let interpreterPath = Array("/lib64/ld-linux-x86-64.so.2\0".utf8)
        let interpreterOffset = 0x180
        let dynamic = flags1.flatMap { le64(0x6FFF_FFFB) + le64($0) } + le64(0) + le64(0)
        let size = dynamicOffset + dynamic.count
        func segment(_ type: UInt32, flags: UInt32, offset: Int, size: Int, address: Int? = nil) -> [UInt8] {
            let address = UInt64(address ?? offset)
            return le32(type) + le32(flags) + le64(UInt64(offset)) + le64(address) + le64(address) + le64(UInt64(size))
                + le64(UInt64(size)) + le64(8)
        }
        var segments = [segment(6, flags: 4, offset: 64, size: 56 * (interpreter ? 4 : 3))]
        if interpreter { segments.append(segment(3, flags: 4, offset: interpreterOffset, size: interpreterPath.count)) }
        segments.append(segment(1, flags: 6, offset: 0, size: size))
        segments.append(segment(2, flags: 6, offset: dynamicOffset, size: dynamic.count, address: dynamicAddress))
        var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        bytes += le16(3) + le16(0x3E) + le32(1) + le64(0) + le64(64) + le64(0) + le32(0)
        bytes += le16(64) + le16(56) + le16(UInt16(segments.count)) + le16(64) + le16(0) + le16(0)
        bytes += segments.flatMap { $0 }
        bytes += [UInt8](repeating: 0, count: interpreterOffset - bytes.count) + interpreterPath
        bytes += [UInt8](repeating: 0, count: dynamicOffset - bytes.count) + dynamic
        return bytes
    }

    /// `MZ` stub, `PE\0\0` at 0x40, then a COFF header whose Characteristics (offset 22 from the signature) are given.
    static func peFile(characteristics: UInt16) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 128)
        bytes[0] = 0x4D
        bytes[1] = 0x5A
        bytes[0x3C] = 0x40
        bytes[0x40] = 0x50
        bytes[0x41] = 0x45
        bytes[0x40 + 22] = UInt8(characteristics & 0xFF)
        bytes[0x40 + 23] = UInt8(characteristics >> 8)
        return bytes
    }

    /// A 64-bit little-endian ELF header of `type` with a program header table at 64 of the given segment types
    /// (56-byte entries, only `p_type` filled in).
    static func elfFile(type: UInt16, segments: [UInt32]) -> [UInt8] {
        var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 56)
        bytes[16] = UInt8(type & 0xFF)
        bytes[18] = 0x3E  // EM_X86_64
        bytes[32] = 64  // e_phoff
        bytes[54] = 56  // e_phentsize
        bytes[56] = UInt8(segments.count)  // e_phnum
        for segment in segments { bytes += le32(segment) + [UInt8](repeating: 0, count: 52) }
        return bytes
    }
}
