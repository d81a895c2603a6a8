/// Native code formats recognised by their magic bytes, whatever the file is called: a pure wheel must hold
/// none of them (binary distribution format spec: `none-any` means no compiled code).
///
/// Loadable code (shared objects, DLLs, Mach-O dylibs and bundles, static archives) is what a Python process
/// can import or link; executables are programs. pip, setuptools and distlib ship Windows script-launcher
/// templates (`t64.exe`, `cli-32.exe`) that they copy out as data and never load, so an executable is told
/// apart from a library as each loader tells them: the ELF type and the `DF_1_PIE` flag (`ELFImage`), the
/// Mach-O file type (`MH_EXECUTE`; `MH_BUNDLE` and `MH_DYLIB` load), and the PE `IMAGE_FILE_DLL` characteristic.
/// Whatever cannot be read far enough to prove it is a program counts as loadable.
package enum NativeFormat: String, Sendable, Hashable {
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
    package static let firstBytes: Set<UInt8> = [0x7F, 0xCE, 0xCF, 0xFE, 0xCA, UInt8(ascii: "!"), UInt8(ascii: "M")]

    /// Whether the format is a program rather than code a process loads.
    package var isExecutable: Bool { self == .elfExecutable || self == .machOExecutable || self == .peExecutable }

    /// Recognises the format from a file's first bytes.
    ///
    /// - Parameters:
    ///   - prefix: the file's first bytes (`prefixLength`, or `extendedPrefixLength` for `MZ`; all of a shorter file).
    ///   - elfDynamic: for an ELF file, the bytes `ELFImage.dynamicRange(prefix)` names, captured while streaming;
    ///     `nil` takes them from `prefix`.
    package static func detect(_ prefix: [UInt8], elfDynamic: [UInt8]? = nil) -> NativeFormat? {
        let fields = LittleEndianBytes(prefix)
        guard let magic = fields.u32(0) else { return nil }
        switch magic {
        case 0x464C_457F:
            return ELFImage.isExecutable(prefix, dynamic: elfDynamic) ? .elfExecutable : .elf
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
        if prefix.starts(with: [0x4D, 0x5A]), let peOffset = fields.u32(0x3C), prefix.count >= extendedPrefixLength,
            UInt64(peOffset) + 4 > UInt64(prefix.count)
        {
            // The PE header lies past the bytes kept, so nothing proves this is not a DLL.
            return .pe
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
