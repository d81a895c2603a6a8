/// Tells an ELF program from an ELF object a process loads, as glibc's loader does (System V gABI, "ELF Header",
/// "Program Header", "Dynamic Section"; glibc `elf/dl-load.c`).
///
/// `dlopen` refuses an `ET_EXEC` file, and an `ET_DYN` file whose `DT_FLAGS_1` carries `DF_1_PIE` ("cannot dynamically
/// load position-independent executable"). Any other `ET_DYN` file loads, `PT_INTERP` or not: `libc.so.6` has an
/// interpreter, and so does a CPython extension linked with one. The flag lives in the dynamic section, which may sit
/// anywhere in the file, so `dynamicRange` names the bytes to keep while the entry streams past.
///
/// Whatever cannot be followed to a `DT_NULL` (headers past the prefix, a dynamic section outside every loaded
/// segment or cut short) counts as loadable.
enum ELFImage {
    static let executableType: UInt16 = 2  // ET_EXEC
    static let sharedObjectType: UInt16 = 3  // ET_DYN
    static let loadSegment: UInt32 = 1  // PT_LOAD
    static let dynamicSegment: UInt32 = 2  // PT_DYNAMIC
    static let flags1Tag: UInt64 = 0x6FFF_FFFB  // DT_FLAGS_1
    static let pieFlag: UInt64 = 0x0800_0000  // DF_1_PIE
    /// The most dynamic-section bytes kept; real sections hold a few dozen 16-byte entries.
    static let dynamicLimit: UInt64 = 65536
    /// The page size segments are mapped with; a segment's mapping reaches to its page boundaries.
    static let pageSize: UInt64 = 4096

    /// The header fields the decision needs, in the file's class and byte order.
    private struct Header {
        let bytes: [UInt8]
        let is64: Bool
        let bigEndian: Bool

        init?(_ bytes: [UInt8]) {
            guard bytes.count >= 52, bytes[4] == 1 || bytes[4] == 2, bytes[5] == 1 || bytes[5] == 2 else { return nil }
            self.bytes = bytes
            is64 = bytes[4] == 2
            bigEndian = bytes[5] == 2
        }

        /// Other bytes, read in the class and byte order of `header`.
        init(bytes: [UInt8], like header: Header) {
            self.bytes = bytes
            is64 = header.is64
            bigEndian = header.bigEndian
        }

        func u16(_ offset: UInt64) -> UInt16? {
            guard offset <= UInt64(bytes.count) else { return nil }
            return LittleEndianBytes(bytes).u16(Int(offset)).map { bigEndian ? $0.byteSwapped : $0 }
        }
        func u32(_ offset: UInt64) -> UInt32? {
            guard offset <= UInt64(bytes.count) else { return nil }
            return LittleEndianBytes(bytes).u32(Int(offset)).map { bigEndian ? $0.byteSwapped : $0 }
        }
        func u64(_ offset: UInt64) -> UInt64? {
            guard offset <= UInt64(bytes.count) else { return nil }
            return LittleEndianBytes(bytes).u64(Int(offset)).map { bigEndian ? $0.byteSwapped : $0 }
        }
        /// A word of the file's class: 8 bytes in ELFCLASS64, 4 in ELFCLASS32.
        func word(_ offset: UInt64) -> UInt64? { is64 ? u64(offset) : u32(offset).map(UInt64.init) }

        var type: UInt16? { u16(16) }
    }

    /// One program header's fields that locate bytes.
    private struct Segment {
        let type: UInt32
        let offset: UInt64
        let address: UInt64
        let fileSize: UInt64
        let memorySize: UInt64
    }

    /// Whether the file is a program `dlopen` refuses: `ET_EXEC`, or `ET_DYN` with `DF_1_PIE` in its last `DT_FLAGS_1`.
    ///
    /// - Parameters:
    ///   - prefix: the file's first bytes.
    ///   - dynamic: the bytes `dynamicRange(prefix)` names; `nil` takes them from `prefix`.
    static func isExecutable(_ prefix: [UInt8], dynamic: [UInt8]?) -> Bool {
        guard let header = Header(prefix), let type = header.type else { return false }
        if type == executableType { return true }
        guard type == sharedObjectType, let range = dynamicRange(prefix) else { return false }
        let bytes: [UInt8]
        if let dynamic {
            bytes = dynamic
        } else {
            let end = min(range.upperBound, UInt64(prefix.count))
            guard range.lowerBound < end else { return false }
            bytes = Array(prefix[Int(range.lowerBound)..<Int(end)])
        }
        return hasPIEFlag(bytes, header: header)
    }

    /// The file offsets of the dynamic section as the loader finds it: the last `PT_DYNAMIC` segment's address, read
    /// through the last `PT_LOAD` segment holding it, up to that segment's end in the file (or `dynamicLimit` bytes).
    ///
    /// `nil` for an `ET_DYN` file whose program headers lie past `prefix`, that has no `PT_DYNAMIC`, whose dynamic
    /// section no segment loads from the file, or whose bytes there another segment's pages could cover too.
    static func dynamicRange(_ prefix: [UInt8]) -> Range<UInt64>? {
        guard let header = Header(prefix), header.type == sharedObjectType, let segments = segments(header) else { return nil }
        guard let dynamic = segments.last(where: { $0.type == dynamicSegment }) else { return nil }
        let loads = segments.filter { $0.type == loadSegment }
        guard
            let holderIndex = loads.lastIndex(where: {
                dynamic.address >= $0.address && dynamic.address - $0.address < $0.fileSize
            })
        else { return nil }
        let holder = loads[holderIndex]
        let (start, startOverflow) = holder.offset.addingReportingOverflow(dynamic.address - holder.address)
        let (segmentEnd, endOverflow) = holder.offset.addingReportingOverflow(holder.fileSize)
        guard !startOverflow, !endOverflow else { return nil }
        let end = min(segmentEnd, start + min(dynamicLimit, segmentEnd - start))
        // Another segment mapped over the same pages would decide what the loader reads there.
        let (addressEnd, addressOverflow) = dynamic.address.addingReportingOverflow(end - start)
        guard !addressOverflow else { return nil }
        for (index, other) in loads.enumerated() where index != holderIndex {
            let (last, overflow) = other.address.addingReportingOverflow(other.memorySize)
            let (high, roundingOverflow) = last.addingReportingOverflow(pageSize - 1)
            guard !overflow, !roundingOverflow else { return nil }
            if other.address / pageSize * pageSize < addressEnd && dynamic.address < high / pageSize * pageSize { return nil }
        }
        return start..<end
    }

    /// The program headers, when the whole table lies in `header.bytes` and each entry has its class's size.
    private static func segments(_ header: Header) -> [Segment]? {
        let entrySize: UInt64 = header.is64 ? 56 : 32
        guard let tableOffset = header.word(header.is64 ? 32 : 28), let size = header.u16(header.is64 ? 54 : 42),
            let count = header.u16(header.is64 ? 56 : 44), UInt64(size) == entrySize
        else { return nil }
        var segments = [Segment]()
        for index in 0..<UInt64(count) {
            let (base, overflow) = tableOffset.addingReportingOverflow(index * entrySize)
            guard !overflow, UInt64(header.bytes.count) >= entrySize, base <= UInt64(header.bytes.count) - entrySize,
                let type = header.u32(base)
            else { return nil }
            // Elf64_Phdr: type, flags, offset, vaddr, paddr, filesz, memsz; Elf32_Phdr: type, offset, vaddr, paddr, filesz, memsz.
            let at: [UInt64] = header.is64 ? [8, 16, 32, 40] : [4, 8, 16, 20]
            var fields = [UInt64]()
            for field in at {
                guard let value = header.is64 ? header.u64(base + field) : header.u32(base + field).map(UInt64.init) else { return nil }
                fields.append(value)
            }
            segments.append(Segment(type: type, offset: fields[0], address: fields[1], fileSize: fields[2], memorySize: fields[3]))
        }
        return segments
    }

    /// Whether the entries up to the first `DT_NULL` set `DF_1_PIE` in their last `DT_FLAGS_1` (the loader keeps the
    /// last entry of each tag); `false` when no `DT_NULL` comes before the bytes end.
    private static func hasPIEFlag(_ bytes: [UInt8], header: Header) -> Bool {
        let table = Header(bytes: bytes, like: header)
        let entrySize: UInt64 = header.is64 ? 16 : 8
        var flags: UInt64 = 0
        var offset: UInt64 = 0
        while offset + entrySize <= UInt64(bytes.count) {
            guard let tag = table.word(offset), let value = table.word(offset + entrySize / 2) else { return false }
            if tag == 0 { return flags & pieFlag != 0 }
            if tag == flags1Tag { flags = value }
            offset += entrySize
        }
        return false
    }
}
