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
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
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
        .target(
            name: "PurewheelBasics",
            dependencies: ["CCrypto", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .target(name: "ZipIO", dependencies: ["PurewheelBasics", "CLibzip"]),
        .target(name: "WheelModel", dependencies: ["PurewheelBasics"]),
        .target(name: "UnifiedDiff", dependencies: ["PurewheelBasics"]),
        .target(name: "TOMLSchema", dependencies: ["PurewheelBasics", .product(name: "TOMLKit", package: "TOMLKit")]),
        .target(name: "RecipeFormat", dependencies: ["PurewheelBasics", "WheelModel", "TOMLSchema"]),
        // purewheel's own zip reader for `check`: layout, anomalies and content reads, independent of libzip.
        .target(name: "ZipInspection", dependencies: ["PurewheelBasics", "CIsal"]),
        .target(name: "WheelChecks", dependencies: ["PurewheelBasics", "ZipIO", "ZipInspection", "WheelModel"]),
        .target(name: "EnvironmentVerification", dependencies: ["PurewheelBasics", "WheelModel", "WheelChecks"]),
        .target(
            name: "WheelBuild",
            dependencies: ["PurewheelBasics", "ZipIO", "WheelModel", "UnifiedDiff", "RecipeFormat", "WheelChecks"]
        ),
        .target(name: "Provenance", dependencies: ["PurewheelBasics", "WheelModel", "RecipeFormat", "WheelBuild"]),
        .target(
            name: "Publishing",
            dependencies: ["PurewheelBasics", "ZipIO", "WheelModel", "WheelChecks", "WheelBuild", "Provenance"]
        ),
        .target(
            name: "UpstreamIndex",
            dependencies: ["PurewheelBasics", "ZipIO", "WheelModel", "RecipeFormat", "WheelBuild"]
        ),
        .target(
            name: "PurewheelCommands",
            dependencies: [
                "WheelBuild", "Provenance", "Publishing", "UpstreamIndex", "WheelChecks", "RecipeFormat", "ZipIO",
                "EnvironmentVerification", "TOMLSchema",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "purewheel", dependencies: ["PurewheelCommands"]),
        .executableTarget(name: "purewheel-docs", dependencies: ["WheelChecks"]),
        .target(name: "PurewheelTestSupport", dependencies: ["PurewheelBasics", "ZipIO", "WheelModel", "PurewheelCommands"]),
        .target(
            name: "WheelBuildTestSupport",
            dependencies: ["WheelBuild", "PurewheelTestSupport", "PurewheelBasics", "RecipeFormat", "WheelModel"]
        ),
        .testTarget(name: "PurewheelBasicsTests", dependencies: ["PurewheelBasics", "PurewheelTestSupport"]),
        .testTarget(name: "ZipIOTests", dependencies: ["ZipIO", "PurewheelTestSupport"]),
        .testTarget(name: "WheelModelTests", dependencies: ["WheelModel", "PurewheelTestSupport"]),
        .testTarget(name: "UnifiedDiffTests", dependencies: ["UnifiedDiff"]),
        .testTarget(name: "RecipeFormatTests", dependencies: ["RecipeFormat", "TOMLSchema", "PurewheelTestSupport"]),
        .testTarget(name: "ZipInspectionTests", dependencies: ["ZipInspection", "PurewheelTestSupport"]),
        .testTarget(name: "WheelChecksTests", dependencies: ["WheelChecks", "ZipInspection", "PurewheelTestSupport"]),
        .testTarget(
            name: "EnvironmentVerificationTests",
            dependencies: ["EnvironmentVerification", "WheelChecks", "WheelModel", "PurewheelBasics", "PurewheelTestSupport"]
        ),
        .testTarget(
            name: "WheelBuildTests",
            dependencies: [
                "WheelBuild", "Provenance", "WheelBuildTestSupport", "PurewheelTestSupport", "UnifiedDiff", "RecipeFormat", "ZipIO",
                "WheelModel", "WheelChecks",
            ],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "ProvenanceTests",
            dependencies: ["Provenance", "WheelBuild", "WheelBuildTestSupport", "PurewheelTestSupport"],
            exclude: ["Golden"]
        ),
        .testTarget(name: "PublishingTests", dependencies: ["Publishing", "WheelBuild", "PurewheelTestSupport"]),
        .testTarget(
            name: "UpstreamIndexTests",
            dependencies: ["UpstreamIndex", "WheelBuild", "PurewheelTestSupport", "RecipeFormat", "WheelModel"]
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

// The executable's modules see only the members of the modules each file imports, so a Foundation API that a
// dependency's import makes visible (TOMLKit imports Foundation's `Data` and `Date`) cannot link full Foundation
// and its ICU data into the binary unnoticed.
for target in package.targets where target.type == .regular || target.type == .executable {
    guard !target.name.hasSuffix("TestSupport") else { continue }
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}
