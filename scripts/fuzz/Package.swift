// swift-tools-version: 6.0
// The fuzz target for `purewheel check`, kept out of the main package so `swift build` never needs
// libFuzzer. The library sources are the main package's own, reached through the symlinks in Modules/.
import PackageDescription

let package = Package(
    name: "purewheel-fuzz",
    targets: [
        .systemLibrary(name: "CLibzip", path: "Modules/CLibzip", pkgConfig: "libzip"),
        .systemLibrary(name: "CCrypto", path: "Modules/CCrypto", pkgConfig: "libcrypto"),
        .target(name: "PurewheelBasics", dependencies: ["CCrypto"], path: "Modules/PurewheelBasics"),
        .target(name: "ZipIO", dependencies: ["PurewheelBasics", "CLibzip"], path: "Modules/ZipIO"),
        .target(name: "WheelModel", dependencies: ["PurewheelBasics"], path: "Modules/WheelModel"),
        .target(name: "WheelChecks", dependencies: ["PurewheelBasics", "ZipIO", "WheelModel"], path: "Modules/WheelChecks"),
        .executableTarget(name: "purewheel-fuzz", dependencies: ["WheelChecks", "WheelModel"]),
    ]
)
