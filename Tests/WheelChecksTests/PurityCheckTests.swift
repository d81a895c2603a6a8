import PurewheelTestSupport
import Testing
import WheelChecks
import WheelModel

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
        Case(name: "library name without magic", path: "demo/_ext.so", bytes: Array("not really".utf8), expected: "PW706"),
        Case(
            name: "ELF shared object (ET_DYN, no interpreter)", path: "demo/_ext.so", bytes: NativeMagic.elfSharedObject, expected: "PW701"),
        Case(name: "Mach-O bundle (an extension module)", path: "demo/_ext.so", bytes: NativeMagic.machOBundle, expected: "PW702"),
        Case(name: "PE DLL named .exe", path: "demo/helper.exe", bytes: NativeMagic.pe, expected: "PW703"),
        Case(name: "PE executable (launcher template)", path: "demo/t64.exe", bytes: NativeMagic.peExecutable, expected: "PW707"),
        Case(name: "PE executable named .pyd", path: "demo/_ext.pyd", bytes: NativeMagic.peExecutable, expected: "PW707"),
        Case(name: "ELF ET_EXEC", path: "demo/bin/tool", bytes: NativeMagic.elfExecutable, expected: "PW707"),
        Case(name: "ELF PIE (ET_DYN with PT_INTERP)", path: "demo/bin/tool", bytes: NativeMagic.elfPIE, expected: "PW707"),
        Case(name: "Mach-O MH_EXECUTE", path: "demo/bin/tool", bytes: NativeMagic.machOExecutable, expected: "PW707"),
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
