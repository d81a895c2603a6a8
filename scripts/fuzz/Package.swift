// swift-tools-version: 6.0
// The fuzz target for `purewheel check`, the recipe and lock loader and the patch parser, kept out of the main
// package so `swift build` never needs libFuzzer. The library sources are the main package's own, reached
// through the symlinks in Modules/.
import PackageDescription

let package = Package(
    name: "purewheel-fuzz",
    dependencies: [
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        .systemLibrary(name: "CLibzip", path: "Modules/CLibzip", pkgConfig: "libzip"),
        .systemLibrary(name: "CCrypto", path: "Modules/CCrypto", pkgConfig: "libcrypto"),
        .systemLibrary(name: "CIsal", path: "Modules/CIsal", pkgConfig: "libisal"),
        .target(
            name: "PurewheelBasics", dependencies: ["CCrypto", .product(name: "SystemPackage", package: "swift-system")],
            path: "Modules/PurewheelBasics"
        ),
        .target(name: "ZipIO", dependencies: ["PurewheelBasics", "CLibzip"], path: "Modules/ZipIO"),
        .target(name: "WheelModel", dependencies: ["PurewheelBasics"], path: "Modules/WheelModel"),
        .target(name: "UnifiedDiff", dependencies: ["PurewheelBasics"], path: "Modules/UnifiedDiff"),
        .target(
            name: "TOMLSchema", dependencies: ["PurewheelBasics", .product(name: "TOMLKit", package: "TOMLKit")],
            path: "Modules/TOMLSchema"
        ),
        .target(name: "RecipeFormat", dependencies: ["PurewheelBasics", "WheelModel", "TOMLSchema"], path: "Modules/RecipeFormat"),
        .target(name: "ZipInspection", dependencies: ["PurewheelBasics", "CIsal"], path: "Modules/ZipInspection"),
        .target(
            name: "WheelChecks", dependencies: ["PurewheelBasics", "ZipIO", "ZipInspection", "WheelModel"],
            path: "Modules/WheelChecks"
        ),
        .executableTarget(name: "purewheel-fuzz", dependencies: ["WheelChecks", "WheelModel", "RecipeFormat", "UnifiedDiff"]),
    ]
)
