// swift-tools-version: 6.0
import PackageDescription

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
        // purewheel's own zip reader for `check`: layout, anomalies and content reads, independent of libzip.
        .target(name: "ZipInspection", dependencies: ["PurewheelBasics", "CIsal"]),
        .target(name: "WheelChecks", dependencies: ["PurewheelBasics", "ZipIO", "ZipInspection", "WheelModel"]),
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
        .testTarget(name: "ZipInspectionTests", dependencies: ["ZipInspection", "PurewheelTestSupport"]),
        .testTarget(name: "WheelChecksTests", dependencies: ["WheelChecks", "ZipInspection", "PurewheelTestSupport"]),
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
        // `purewheel check` inflates through ISA-L, about twice as fast as zlib, with the CRC-32 in the same pass.
        .systemLibrary(name: "CIsal", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])]),
    ]
)
