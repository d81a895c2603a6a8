import ArgumentParser

extension ValidationError {
    /// `build` and `lock` take upstream versions as `--upstream-version`, since `--version` is purewheel's own.
    ///
    /// Both commands still declare a hidden `--version` that takes a value, so that `build RECIPE --version 1.0` is
    /// refused with this message: left undeclared, ArgumentParser would answer it with purewheel's version and exit 0.
    static let upstreamVersionUnderTheToolsName = ValidationError(
        "--version shows purewheel's version; give an upstream version with --upstream-version")
}
