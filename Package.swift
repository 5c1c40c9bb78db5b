// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Thresher",
    products: [
        .library(name: "Thresher", targets: ["Thresher"]),
        .executable(name: "thresher", targets: ["thresher"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "Thresher",
            dependencies: ["CBLAS", "CLibXML2", "CZlib"],
            path: "Sources/Thresher"
        ),
        .executableTarget(
            name: "thresher",
            dependencies: [
                "Thresher",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/thresher"
        ),
        .executableTarget(name: "thresher-bench", dependencies: ["Thresher", "CLibXML2"], path: "Sources/thresher-bench"),
        .testTarget(name: "ThresherTests", dependencies: ["Thresher"], path: "Tests/ThresherTests"),
        .testTarget(name: "CLITests", dependencies: [], path: "Tests/CLITests"),
    ]
)
