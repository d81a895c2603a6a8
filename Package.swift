// swift-tools-version: 6.0
import Foundation
import PackageDescription

// `purewheel check` inflates through ISA-L (libisal-dev), about twice as fast as zlib; where its headers are
// missing it falls back to zlib. PUREWHEEL_NO_ISAL=1 forces the fallback (to test it).
let hasISAL =
    ProcessInfo.processInfo.environment["PUREWHEEL_NO_ISAL"] == nil
    && ["/usr/include/isa-l/igzip_lib.h", "/usr/local/include/isa-l/igzip_lib.h"].contains {
        FileManager.default.fileExists(atPath: $0)
    }
let inflateLibrary: [Target] =
    hasISAL
    ? [.systemLibrary(name: "CIsal", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])])]
    : [.systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])])]

let package = Package(
    name: "purewheel",
    products: [
        .executable(name: "purewheel", targets: ["purewheel"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibzip",
            pkgConfig: "libzip",
            providers: [.apt(["libzip-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "PurewheelBasics", dependencies: ["CCrypto"]),
        .target(name: "ZipIO", dependencies: ["PurewheelBasics", "CLibzip"]),
        .target(name: "WheelModel", dependencies: ["PurewheelBasics"]),
        .target(name: "UnifiedDiff", dependencies: ["PurewheelBasics"]),
        .target(
            name: "RecipeFormat",
            dependencies: ["PurewheelBasics", "WheelModel", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(
            name: "WheelChecks",
            dependencies: ["PurewheelBasics", "ZipIO", "WheelModel", .target(name: hasISAL ? "CIsal" : "CZlib")]
        ),
        .target(name: "EnvironmentVerification", dependencies: ["PurewheelBasics", "WheelModel", "WheelChecks"]),
        .target(
            name: "PurewheelPipeline",
            dependencies: ["PurewheelBasics", "ZipIO", "WheelModel", "UnifiedDiff", "RecipeFormat", "WheelChecks"]
        ),
        .target(
            name: "PurewheelCommands",
            dependencies: [
                "PurewheelPipeline", "WheelChecks", "RecipeFormat", "ZipIO", "EnvironmentVerification",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(name: "purewheel", dependencies: ["PurewheelCommands"]),
        .executableTarget(name: "purewheel-docs", dependencies: ["WheelChecks"]),
        .target(name: "PurewheelTestSupport", dependencies: ["PurewheelBasics", "ZipIO", "WheelModel"]),
        .testTarget(name: "PurewheelBasicsTests", dependencies: ["PurewheelBasics", "PurewheelTestSupport"]),
        .testTarget(name: "ZipIOTests", dependencies: ["ZipIO", "PurewheelTestSupport"]),
        .testTarget(name: "WheelModelTests", dependencies: ["WheelModel", "PurewheelTestSupport"]),
        .testTarget(name: "UnifiedDiffTests", dependencies: ["UnifiedDiff"]),
        .testTarget(name: "RecipeFormatTests", dependencies: ["RecipeFormat", "PurewheelTestSupport"]),
        .testTarget(name: "WheelChecksTests", dependencies: ["WheelChecks", "PurewheelTestSupport"]),
        .testTarget(
            name: "EnvironmentVerificationTests",
            dependencies: ["EnvironmentVerification", "WheelChecks", "WheelModel", "PurewheelBasics", "PurewheelTestSupport"]
        ),
        .testTarget(
            name: "PurewheelPipelineTests",
            dependencies: ["PurewheelPipeline", "PurewheelTestSupport", "UnifiedDiff", "RecipeFormat", "ZipIO", "WheelModel"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "PurewheelCommandsTests",
            dependencies: ["PurewheelCommands", "PurewheelTestSupport"],
            exclude: ["Golden"]
        ),
    ] + inflateLibrary
)
