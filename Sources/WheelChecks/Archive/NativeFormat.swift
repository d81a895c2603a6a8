/// Native code formats recognised by their magic bytes, whatever the file is called: a pure wheel must hold
/// none of them (binary distribution format spec: `none-any` means no compiled code).
enum NativeFormat: String, Sendable, Hashable {
    case elf = "ELF"
    case machO = "Mach-O"
    case machOUniversal = "Mach-O universal (fat)"
    case pe = "PE (Windows executable or DLL)"
    case staticArchive = "static library (ar archive)"

    /// How many leading bytes `detect` wants; a PE header may sit further in, so `MZ` files get more.
    static let prefixLength = 4096
    /// Bytes kept for a file that starts with `MZ`, where `e_lfanew` may point further.
    static let extendedPrefixLength = 65536

    /// Recognises the format from a file's first bytes.
    static func detect(_ prefix: [UInt8]) -> NativeFormat? {
        let fields = LittleEndianBytes(prefix)
        guard let magic = fields.u32(0) else { return nil }
        switch magic {
        case 0x464C_457F:
            return .elf
        case 0xFEED_FACE, 0xFEED_FACF, 0xCEFA_EDFE, 0xCFFA_EDFE:
            return .machO
        case 0xBEBA_FECA, 0xBFBA_FECA:
            // CAFEBABE is also a Java class; a fat binary's architecture count is small, a class file's
            // version field is at least 45 (the rule file(1) uses).
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
            return .pe
        }
        return nil
    }
}
