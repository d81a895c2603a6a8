/// Native code formats recognised by their magic bytes, whatever the file is called: a pure wheel must hold
/// none of them (binary distribution format spec: `none-any` means no compiled code).
///
/// Loadable code (shared objects, DLLs, Mach-O dylibs and bundles, static archives) is what a Python process
/// can import or link; executables are programs. pip, setuptools and distlib ship Windows script-launcher
/// templates (`t64.exe`, `cli-32.exe`) that they copy out as data and never load, so an executable is told
/// apart from a library: the ELF type and `PT_INTERP` (a PIE executable is `ET_DYN` with an interpreter),
/// the Mach-O file type, and the PE `IMAGE_FILE_DLL` characteristic.
enum NativeFormat: String, Sendable, Hashable {
    case elf = "ELF"
    case machO = "Mach-O"
    case machOUniversal = "Mach-O universal (fat)"
    case pe = "PE (Windows executable or DLL)"
    case staticArchive = "static library (ar archive)"
    case elfExecutable = "ELF executable"
    case machOExecutable = "Mach-O executable"
    case peExecutable = "PE executable (not a DLL)"

    /// How many leading bytes `detect` wants; a PE header may sit further in, so `MZ` files get more.
    static let prefixLength = 4096
    /// Bytes kept for a file that starts with `MZ`, where `e_lfanew` may point further.
    static let extendedPrefixLength = 65536

    /// The first byte of every format `detect` recognises; a file starting otherwise is none of them.
    ///
    /// ELF, the four Mach-O magics in either byte order, the universal magics, `!<arch>`/`!<thin>` and `MZ`.
    static let firstBytes: Set<UInt8> = [0x7F, 0xCE, 0xCF, 0xFE, 0xCA, UInt8(ascii: "!"), UInt8(ascii: "M")]

    /// Whether the format is a program rather than code a process loads.
    var isExecutable: Bool { self == .elfExecutable || self == .machOExecutable || self == .peExecutable }

    /// Recognises the format from a file's first bytes.
    static func detect(_ prefix: [UInt8]) -> NativeFormat? {
        let fields = LittleEndianBytes(prefix)
        guard let magic = fields.u32(0) else { return nil }
        switch magic {
        case 0x464C_457F:
            return ELFHeader.isExecutable(prefix) ? .elfExecutable : .elf
        case 0xFEED_FACE, 0xFEED_FACF, 0xCEFA_EDFE, 0xCFFA_EDFE:
            // mach_header.filetype (offset 12) in the file's byte order; MH_EXECUTE is 2 (<mach-o/loader.h>).
            let bigEndian = magic == 0xCEFA_EDFE || magic == 0xCFFA_EDFE
            let fileType = fields.u32(12).map { bigEndian ? $0.byteSwapped : $0 }
            return fileType == 2 ? .machOExecutable : .machO
        case 0xBEBA_FECA, 0xBFBA_FECA:
            // CAFEBABE is also a Java class; a fat binary's architecture count is small, a class file's
            // version field is at least 45 (the rule file(1) uses). The slices start past the prefix, so a
            // universal binary counts as loadable.
            guard prefix.count >= 8 else { return nil }
            let count = UInt32(prefix[4]) << 24 | UInt32(prefix[5]) << 16 | UInt32(prefix[6]) << 8 | UInt32(prefix[7])
            return count > 0 && count < 20 ? .machOUniversal : nil
        default:
            break
        }
        if prefix.starts(with: Array("!<arch>\n".utf8)) || prefix.starts(with: Array("!<thin>\n".utf8)) {
            return .staticArchive
        }
        if prefix.starts(with: [0x4D, 0x5A]), let peOffset = fields.u32(0x3C), fields.u32(Int(peOffset)) == 0x0000_4550 {
            // COFF Characteristics follow the signature and five other fields; IMAGE_FILE_DLL is 0x2000 (PE/COFF
            // spec, "Characteristics"). A header cut off by the prefix counts as a DLL.
            guard let characteristics = fields.u16(Int(peOffset) + 22) else { return .pe }
            return characteristics & 0x2000 == 0 ? .peExecutable : .pe
        }
        return nil
    }
}

/// The few ELF header fields that tell an executable from a shared object (System V gABI, "ELF Header" and
/// "Program Header").
enum ELFHeader {
    static let executableType: UInt16 = 2  // ET_EXEC
    static let sharedObjectType: UInt16 = 3  // ET_DYN
    static let interpreterSegment: UInt32 = 3  // PT_INTERP

    /// `ET_EXEC`, or `ET_DYN` with a `PT_INTERP` segment (a position-independent executable).
    ///
    /// Extension modules and libraries are `ET_DYN` without an interpreter; program headers past the prefix count as absent.
    static func isExecutable(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 52 else { return false }
        let is64 = bytes[4] == 2
        let bigEndian = bytes[5] == 2
        let fields = LittleEndianBytes(bytes)
        func u16(_ offset: Int) -> UInt16? { fields.u16(offset).map { bigEndian ? $0.byteSwapped : $0 } }
        func u32(_ offset: Int) -> UInt32? { fields.u32(offset).map { bigEndian ? $0.byteSwapped : $0 } }
        func u64(_ offset: Int) -> UInt64? { fields.u64(offset).map { bigEndian ? $0.byteSwapped : $0 } }
        guard let type = u16(16) else { return false }
        if type == executableType { return true }
        guard type == sharedObjectType else { return false }
        let tableOffset = is64 ? u64(32) : u32(28).map(UInt64.init)
        guard let tableOffset, tableOffset < UInt64(bytes.count), let entrySize = u16(is64 ? 54 : 42), let count = u16(is64 ? 56 : 44),
            entrySize >= 4
        else { return false }
        for index in 0..<Int(count) {
            let offset = Int(tableOffset) + index * Int(entrySize)
            guard let segmentType = u32(offset) else { return false }
            if segmentType == interpreterSegment { return true }
        }
        return false
    }
}
