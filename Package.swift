// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "accessrisk",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "accessrisk", targets: ["accessrisk"]),
        // The libraries, for the fuzzing package in Fuzz/ (and anyone embedding the engine).
        .library(
            name: "AccessRiskKit",
            targets: [
                "AccessRiskCSV", "AccessRiskModel", "AccessRiskImport", "AccessRiskRules", "AccessRiskRegister",
                "AccessRiskReports",
            ]
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // The system C library libcsv (Debian/Ubuntu: libcsv-dev). It ships no pkg-config file.
        .systemLibrary(name: "CLibCSV", providers: [.apt(["libcsv-dev"])]),
        // Reading and writing delimited text: encodings, delimiter sniffing, the libcsv stream,
        // spreadsheet-safe output, cell values (booleans, dates), atomic files.
        .target(name: "AccessRiskCSV", dependencies: ["CLibCSV", "CSystemMemory"]),
        // glibc's malloc_trim (memory worker threads freed, handed back before the next large allocation) and
        // Linux's direct I/O (a large output written past the page cache).
        .systemLibrary(name: "CSystemMemory"),
        // The access model: principals, assignments, roles, scopes, groups, assets, findings.
        .target(name: "AccessRiskModel", dependencies: ["CSystemMemory"], resources: [.copy("Resources")]),
        // Recognising every export by its header and turning it into the model.
        .target(name: "AccessRiskImport", dependencies: ["AccessRiskCSV", "AccessRiskModel"]),
        // The rule catalogue, the engine and the policy file.
        .target(
            name: "AccessRiskRules",
            dependencies: ["AccessRiskModel", .product(name: "Yams", package: "Yams")]
        ),
        // Scoring, risk ids, cycle states, decisions and the SQLite workspace.
        .target(
            name: "AccessRiskRegister",
            dependencies: [
                "AccessRiskModel", "AccessRiskCSV",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Synthetic tenants in the real export layouts, with planted findings (`accessrisk generate`).
        .target(name: "AccessRiskGenerate", dependencies: ["AccessRiskModel"]),
        // Everything `review` writes.
        .target(
            name: "AccessRiskReports",
            dependencies: [
                "AccessRiskModel", "AccessRiskCSV", "AccessRiskRegister", "AccessRiskRules",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The commands: options to library calls.
        .target(
            name: "AccessRiskCLI",
            dependencies: [
                "AccessRiskCSV", "AccessRiskModel", "AccessRiskImport", "AccessRiskRules",
                "AccessRiskRegister", "AccessRiskReports", "AccessRiskGenerate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "accessrisk", dependencies: ["AccessRiskCLI", "AccessRiskModel"]),
        // Throughput of the CSV reader (`swift run -c release accessrisk-csvbench`).
        .executableTarget(name: "accessrisk-csvbench", dependencies: ["AccessRiskCSV"]),

        .target(
            name: "AccessRiskTestSupport",
            dependencies: ["AccessRiskModel", "AccessRiskCSV"],
            path: "Tests/AccessRiskTestSupport"
        ),
        .testTarget(name: "AccessRiskCSVTests", dependencies: ["AccessRiskCSV", "AccessRiskTestSupport"]),
        .testTarget(name: "AccessRiskModelTests", dependencies: ["AccessRiskModel", "AccessRiskTestSupport"]),
        .testTarget(
            name: "AccessRiskImportTests",
            dependencies: ["AccessRiskImport", "AccessRiskTestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "AccessRiskRulesTests", dependencies: ["AccessRiskRules", "AccessRiskTestSupport"]),
        .testTarget(
            name: "AccessRiskRegisterTests",
            dependencies: ["AccessRiskRegister", "AccessRiskTestSupport"]
        ),
        .testTarget(
            name: "AccessRiskReportsTests",
            dependencies: ["AccessRiskReports", "AccessRiskRegister", "AccessRiskCSV", "AccessRiskTestSupport"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "AccessRiskGenerateTests",
            dependencies: ["AccessRiskGenerate", "AccessRiskCSV", "AccessRiskTestSupport"]
        ),
        .testTarget(
            name: "AccessRiskCLITests",
            dependencies: ["AccessRiskCLI", "AccessRiskTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
