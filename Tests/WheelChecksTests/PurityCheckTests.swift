import PurewheelTestSupport
import Testing
import WheelModel

@testable import WheelChecks
@testable import ZipInspection

@Suite struct PurityCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var path: String
        var bytes: [UInt8]
        var expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "ELF named .so", path: "demo/_ext.so", bytes: NativeMagic.elf, expected: "PW701"),
        Case(name: "ELF hidden as .txt", path: "demo/data.txt", bytes: NativeMagic.elf, expected: "PW701"),
        Case(name: "Mach-O", path: "demo/_ext.cpython-311-darwin.so", bytes: NativeMagic.machO, expected: "PW702"),
        Case(
            name: "Mach-O universal", path: "demo/lib", bytes: [0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 2] + [UInt8](repeating: 0, count: 40),
            expected: "PW702"),
        Case(name: "PE", path: "demo/_ext.pyd", bytes: NativeMagic.pe, expected: "PW703"),
        Case(
            name: "static archive", path: "demo/libx.a", bytes: Array("!<arch>\n".utf8) + [UInt8](repeating: 0x20, count: 60),
            expected: "PW704"),
        Case(name: "extension-module name without magic", path: "demo/_ext.so", bytes: Array("not really".utf8), expected: "PW701"),
        Case(name: ".pyd name without magic", path: "demo/_ext.cp311-win_amd64.PYD", bytes: Array("MZ?".utf8), expected: "PW701"),
        Case(name: "library name without magic", path: "demo/libx.dylib", bytes: Array("not really".utf8), expected: "PW706"),
        Case(name: "versioned library name without magic", path: "demo/libx.so.1", bytes: [], expected: "PW706"),
        Case(
            name: "ELF shared object (ET_DYN, no interpreter)", path: "demo/_ext.so", bytes: NativeMagic.elfSharedObject, expected: "PW701"),
        Case(name: "Mach-O bundle (an extension module)", path: "demo/_ext.so", bytes: NativeMagic.machOBundle, expected: "PW702"),
        Case(name: "PE DLL named .exe", path: "demo/helper.exe", bytes: NativeMagic.pe, expected: "PW703"),
        Case(name: "PE executable (launcher template)", path: "demo/t64.exe", bytes: NativeMagic.peExecutable, expected: "PW707"),
        Case(name: "PE executable named .pyd", path: "demo/_ext.pyd", bytes: NativeMagic.peExecutable, expected: "PW703"),
        Case(name: "PE executable named .dll", path: "demo/x.dll", bytes: NativeMagic.peExecutable, expected: "PW703"),
        Case(name: "ELF ET_EXEC", path: "demo/bin/tool", bytes: NativeMagic.elfExecutable, expected: "PW707"),
        Case(name: "ELF PIE (ET_DYN with DF_1_PIE)", path: "demo/bin/tool", bytes: NativeMagic.elfPIE, expected: "PW707"),
        Case(
            name: "extension with PT_INTERP", path: "demo/_ext.cpython-311-x86_64-linux-gnu.so",
            bytes: NativeMagic.elfInterpretedSharedObject, expected: "PW701"),
        Case(
            name: "ET_DYN with PT_INTERP, oddly named", path: "demo/bin/tool", bytes: NativeMagic.elfInterpretedSharedObject,
            expected: "PW701"),
        Case(name: "PIE named like an extension module", path: "demo/_ext.abi3.so", bytes: NativeMagic.elfPIE, expected: "PW701"),
        Case(name: "ET_EXEC named like a library", path: "demo/libtool.so.2", bytes: NativeMagic.elfExecutable, expected: "PW701"),
        Case(
            name: "PIE without DT_FLAGS_1 (old linker)", path: "demo/bin/tool", bytes: NativeMagic.elfImage(flags1: []), expected: "PW701"),
        Case(
            name: "DF_1_PIE cleared by a later DT_FLAGS_1", path: "demo/bin/tool",
            bytes: NativeMagic.elfImage(flags1: [0x0800_0000, 0]), expected: "PW701"),
        Case(
            name: "DF_1_PIE set by the last DT_FLAGS_1", path: "demo/bin/tool",
            bytes: NativeMagic.elfImage(flags1: [0, 0x0800_0001]), expected: "PW707"),
        Case(
            name: "PIE without PT_INTERP", path: "demo/bin/tool", bytes: NativeMagic.elfImage(flags1: [0x0800_0000], interpreter: false),
            expected: "PW707"),
        Case(
            name: "dynamic section past the 4 KiB prefix", path: "demo/bin/tool",
            bytes: NativeMagic.elfImage(flags1: [0x0800_0000], dynamicOffset: 0x5000), expected: "PW707"),
        Case(
            name: "dynamic section across a 1 MiB chunk boundary", path: "demo/bin/tool",
            bytes: NativeMagic.elfImage(flags1: [0, 0, 0x0800_0000], dynamicOffset: (1 << 20) - 24), expected: "PW707"),
        Case(
            name: "interpreted shared object, dynamic section far in", path: "demo/bin/tool",
            bytes: NativeMagic.elfImage(flags1: [1], dynamicOffset: 3 << 20), expected: "PW701"),
        Case(
            name: "dynamic address no segment loads", path: "demo/bin/tool",
            bytes: NativeMagic.elfImage(flags1: [0x0800_0000], dynamicAddress: 1 << 40), expected: "PW701"),
        Case(
            name: "program headers past the prefix", path: "demo/bin/tool",
            bytes: elfWithFarProgramHeaders(), expected: "PW701"),
        Case(name: "Mach-O MH_EXECUTE", path: "demo/bin/tool", bytes: NativeMagic.machOExecutable, expected: "PW707"),
        Case(name: "Mach-O MH_EXECUTE named .so", path: "demo/_ext.so", bytes: NativeMagic.machOExecutable, expected: "PW702"),
        Case(
            name: "Mach-O MH_DYLIB", path: "demo/bin/tool",
            bytes: [0xCF, 0xFA, 0xED, 0xFE, 7, 0, 0, 1, 3, 0, 0, 0, 6, 0, 0, 0] + [UInt8](repeating: 0, count: 16), expected: "PW702"),
        Case(name: "PE header past 64 KiB", path: "demo/t64.exe", bytes: peWithFarHeader(), expected: "PW703"),
        Case(
            name: "big-endian 32-bit Mach-O MH_EXECUTE", path: "demo/bin/ppc",
            bytes: [0xFE, 0xED, 0xFA, 0xCE, 0, 0, 0, 18, 0, 0, 0, 0, 0, 0, 0, 2] + [UInt8](repeating: 0, count: 16), expected: "PW707"),
        Case(
            name: "big-endian 32-bit ELF ET_EXEC", path: "demo/bin/mips",
            bytes: [0x7F, 0x45, 0x4C, 0x46, 1, 2, 1, 0] + [UInt8](repeating: 0, count: 8) + [0, 2] + [UInt8](repeating: 0, count: 34),
            expected: "PW707"),
        Case(
            name: "big-endian 32-bit ELF ET_DYN without program headers", path: "demo/_ext.so",
            bytes: [0x7F, 0x45, 0x4C, 0x46, 1, 2, 1, 0] + [UInt8](repeating: 0, count: 8) + [0, 3] + [UInt8](repeating: 0, count: 34),
            expected: "PW701"),
    ]

    /// An ELF PIE whose program header table starts past the 4 KiB the checker reads first.
    static func elfWithFarProgramHeaders() -> [UInt8] {
        var bytes = NativeMagic.elfPIE
        let table = Array(bytes[64..<(64 + 4 * 56)])
        bytes += [UInt8](repeating: 0, count: 0x2000 - bytes.count) + table
        bytes[32] = 0x00
        bytes[33] = 0x20  // e_phoff = 0x2000
        return bytes
    }

    /// A PE program whose `e_lfanew` points past the 64 KiB kept of a file starting with `MZ`.
    static func peWithFarHeader() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 0x20100)
        let program = NativeMagic.peExecutable
        bytes.replaceSubrange(0..<0x40, with: program[0..<0x40])
        bytes.replaceSubrange(0x20000..<(0x20000 + 64), with: program[0x40..<0x80])
        bytes[0x3C] = 0
        bytes[0x3E] = 2  // e_lfanew = 0x20000
        return bytes
    }

    /// Hostile header values (offsets and sizes near 2^64) must neither trap nor pass as a program.
    @Test func everyHeaderByteSetHighStillReadsAsELF() {
        let pie = NativeMagic.elfPIE
        for position in 16..<0x120 {
            for value: UInt8 in [0x80, 0xFF] {
                var bytes = pie
                bytes[position] = value
                #expect(NativeFormat.detect(bytes) != nil, "byte \(position) = \(value)")
            }
        }
        var farTable = pie
        farTable.replaceSubrange(32..<40, with: [0xF0] + [UInt8](repeating: 0xFF, count: 7))
        #expect(NativeFormat.detect(farTable) == .elf)
    }

    @Test func loadableCodeFailsEveryProfile() throws {
        // The bytes of a CPython extension linked with an interpreter: `dlopen` loads it, whatever PT_INTERP suggests.
        for profile in CheckProfile.allCases {
            let builder = WheelBuilder(files: [WheelBuilder.File("demo/_ext.so", bytes: NativeMagic.elfInterpretedSharedObject)])
            let report = try check(builder, options: CheckOptions(profile: profile))
            #expect(report.codes == ["PW701"])
            #expect(report.hasErrors)
        }
    }

    @Test func executableIsOnlyAWarning() throws {
        let builder = WheelBuilder(files: [WheelBuilder.File("demo/_vendor/t64.exe", bytes: NativeMagic.peExecutable)])
        let report = try check(builder)
        #expect(report.findings.map(\.severity) == [.warning])
        #expect(!report.hasErrors)
    }

    @Test func executableHeaderCutShortCountsAsLoadable() throws {
        // A PE header whose characteristics lie past the end of the file cannot prove it is a program.
        var bytes = NativeMagic.pe
        bytes.removeLast(128 - 0x50)
        let report = try check(WheelBuilder(files: [WheelBuilder.File("demo/x.exe", bytes: bytes)]))
        #expect(report.codes == ["PW703"])
    }

    @Test(arguments: cases) func nativeContent(_ testCase: Case) throws {
        let builder = WheelBuilder(files: [WheelBuilder.File(testCase.path, bytes: testCase.bytes)])
        let report = try check(builder)
        #expect(report.hits == [Hit(code: testCase.expected, entry: testCase.path)])
    }

    @Test func javaClassIsNotMachO() throws {
        let java: [UInt8] = [0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 52] + [UInt8](repeating: 0, count: 40)
        #expect(try check(WheelBuilder(files: [WheelBuilder.File("demo/A.class", bytes: java)])).findings == [])
    }

    @Test func platlibInPureWheel() throws {
        let path = "demo-1.0.data/platlib/demo/x.py"
        let report = try check(WheelBuilder(files: [WheelBuilder.File(path, "X = 1\n")]))
        #expect(report.hits == [Hit(code: "PW705", entry: path)])
    }

    @Test func binaryWheelMayHoldNativeCode() throws {
        var builder = WheelBuilder(
            tag: WheelTag(python: "cp311", abi: "cp311", platform: "manylinux_2_17_x86_64"),
            files: [WheelBuilder.File("demo/_ext.so", bytes: NativeMagic.elf)], rootIsPurelib: false)
        builder.defects = []
        #expect(try check(builder).findings == [])
    }
}
