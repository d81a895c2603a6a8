import WheelModel
import ZipInspection

/// PW7xx: a wheel tagged `none-any` claims to run anywhere, so it must contain no compiled code: no ELF,
/// Mach-O (thin or universal), PE or static archive, recognised by magic bytes whatever the file is called,
/// no file named like an extension module whatever its bytes, and nothing under `.data/platlib` (binary
/// distribution format, "Compatibility tags"; PEP 425).
///
/// Only a program the loader refuses to load, not named like a library, is a warning (PW707).
struct PurityCheck {
    func run(_ wheel: WheelSnapshot) -> [Finding] {
        guard let filename = wheel.filename, filename.isPureTagged else { return [] }
        var findings = [Finding]()
        let tag = "\(filename.pythonTag)-\(filename.abiTag)-\(filename.platformTag)"
        for entry in wheel.entries where !entry.isDirectory {
            let isNamedLikeNative = Self.isNamedLikeNative(entry)
            if let format = wheel.scans[entry.index]?.native, format.isExecutable, !isNamedLikeNative {
                // A program is not imported: pip, setuptools and distlib ship launcher templates they copy out.
                findings.append(
                    Finding(
                        .executableInPureWheel, entry: entry.name, "a native executable in a wheel tagged \(tag)",
                        expected: "no compiled code", actual: format.rawValue,
                        hint: "fine if the package only copies it out (a launcher template); never run it from a pure wheel"))
            } else if let format = wheel.scans[entry.index]?.native {
                // Named like a library, a program is loaded as one: the name is what the importer and ctypes go by.
                findings.append(
                    Finding(
                        Self.code(for: format), entry: entry.name, "native code in a wheel tagged \(tag)",
                        expected: "no compiled code", actual: format.rawValue,
                        hint: "remove the binary, or tag the wheel for its platform"))
            } else if Self.isNamedLikeExtensionModule(entry) {
                // The importer loads any file with an extension-module suffix; bytes purewheel does not recognise are no
                // proof that a loader will not run them.
                findings.append(
                    Finding(
                        .elfInPureWheel, entry: entry.name, "the file is named like an extension module in a wheel tagged \(tag)",
                        expected: "no extension modules", actual: "not a native format purewheel recognises",
                        hint: "remove the file, or tag the wheel for its platform"))
            } else if isNamedLikeNative {
                findings.append(
                    Finding(
                        .extensionNameInPureWheel, entry: entry.name,
                        "the file is named like a native library in a wheel tagged \(tag)", actual: entry.name))
            }
            if Self.isPlatlib(entry) {
                findings.append(
                    Finding(
                        .platlibInPureWheel, entry: entry.name, "a wheel tagged \(tag) installs into platlib",
                        expected: "no .data/platlib/ entries", hint: "move the files to the wheel root or .data/purelib"))
            }
        }
        return findings
    }

    /// The code of loadable code in `format`; an executable's own code (PW707) applies only to one not named like a library.
    static func code(for format: NativeFormat) -> FindingCode {
        switch format {
        case .elf, .elfExecutable: return .elfInPureWheel
        case .machO, .machOUniversal, .machOExecutable: return .machOInPureWheel
        case .pe, .peExecutable: return .peInPureWheel
        case .staticArchive: return .staticArchiveInPureWheel
        }
    }

    /// Named `*.so`, `*.pyd`, `*.dylib`, `*.dll` (any case) or `*.so.*`.
    static func isNamedLikeNative(_ entry: WheelEntry) -> Bool {
        let name = entry.name.utf8
        return NameBytes.hasLowercasedSuffix(name, ".so") || NameBytes.hasLowercasedSuffix(name, ".pyd")
            || NameBytes.hasLowercasedSuffix(name, ".dylib") || NameBytes.hasLowercasedSuffix(name, ".dll")
            || NameBytes.contains(name, ".so.")
    }

    /// Named with a suffix the importer loads as an extension module: every `importlib.machinery.EXTENSION_SUFFIXES`
    /// entry (`.cpython-311-x86_64-linux-gnu.so`, `.abi3.so`, `.cp311-win_amd64.pyd`, ...) ends in `.so` or `.pyd`.
    static func isNamedLikeExtensionModule(_ entry: WheelEntry) -> Bool {
        return NameBytes.hasLowercasedSuffix(entry.name.utf8, ".so") || NameBytes.hasLowercasedSuffix(entry.name.utf8, ".pyd")
    }

    static func isPlatlib(_ entry: WheelEntry) -> Bool {
        // Cheap refusal first: most entries have no `.data/` in them at all.
        guard NameBytes.contains(entry.name.utf8, ".data/") else { return false }
        return isPlatlib(entry.name)
    }

    /// `{name}-{version}.data/platlib/...` at the top level.
    static func isPlatlib(_ name: String) -> Bool {
        let segments = name.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        return segments.count >= 2 && segments[0].hasSuffix(".data") && segments[1] == "platlib"
    }
}
