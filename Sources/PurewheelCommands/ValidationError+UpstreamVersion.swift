import ArgumentParser
import WheelModel

extension ValidationError {
    /// `build` and `lock` take upstream versions as `--upstream-version`, since `--version` is purewheel's own.
    ///
    /// Both commands still declare a hidden `--version` that takes a value, so that `build RECIPE --version 1.0` is
    /// refused with this message: left undeclared, ArgumentParser would answer it with purewheel's version and exit 0.
    static let upstreamVersionUnderTheToolsName = ValidationError(
        "--version shows purewheel's version; give an upstream version with --upstream-version")

    /// Refuses the first value given to `option` that is not a PEP 440 version, naming the option and the value.
    ///
    /// Checked in `validate`, not by ArgumentParser's own value parsing, whose message would echo the value unescaped.
    static func refuseInvalidVersions(_ values: [String], option: String) throws {
        for value in values where PEP440Version(parsing: value) == nil {
            throw ValidationError("\(option): '\(TerminalText.escape(value))' is not a PEP 440 version")
        }
    }
}

extension PEP440Version {
    /// The versions given to an option that `ValidationError.refuseInvalidVersions` accepted, so every one parses.
    static func validated(_ values: [String]) -> [PEP440Version] { values.compactMap(PEP440Version.init(parsing:)) }
}
