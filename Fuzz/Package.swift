// swift-tools-version: 6.0
// libFuzzer targets for accessrisk. Not part of the normal build: the entry point is libFuzzer's, so this builds
// only with `-sanitize=fuzzer`. Run it with Fuzz/run.sh.
import PackageDescription

let package = Package(
    name: "accessrisk-fuzz",
    dependencies: [.package(name: "accessrisk", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "accessrisk-fuzz",
            dependencies: ["FuzzDriver", .product(name: "AccessRiskKit", package: "accessrisk")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
