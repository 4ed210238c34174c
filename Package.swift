// swift-tools-version:6.1
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "leadrelay",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "leadrelay", targets: ["leadrelay"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ"],
            swiftSettings: upcoming
        ),
        .target(
            name: "LeadDomain",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: upcoming
        ),
        .target(
            name: "Intake",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: upcoming
        ),
        .target(
            name: "JobQueue",
            dependencies: [
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "LeadStore",
            dependencies: ["Postgres", "JobQueue", "LeadDomain"],
            swiftSettings: upcoming
        ),
        .target(
            name: "Reporting",
            dependencies: ["Postgres", "LeadDomain"],
            swiftSettings: upcoming
        ),
        .target(
            name: "Workers",
            dependencies: [
                "Postgres", "JobQueue", "LeadStore", "LeadDomain", "Intake", "Reporting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "IngestAPI",
            dependencies: [
                "Postgres", "LeadStore", "Intake",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("openapi.yaml")],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "leadrelay",
            dependencies: [
                "Postgres",
                "LeadDomain",
                "JobQueue",
                "LeadStore",
                "Intake",
                "IngestAPI",
                "Workers",
                "Reporting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "leadrelay-bench",
            dependencies: ["Postgres", "LeadDomain", "JobQueue", "LeadStore", "Workers", .product(name: "Logging", package: "swift-log")],
            swiftSettings: upcoming
        ),
        .target(name: "TestSupport", dependencies: ["Postgres"], path: "Tests/TestSupport", swiftSettings: upcoming),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"], swiftSettings: upcoming),
        .testTarget(name: "LeadStoreTests", dependencies: ["LeadStore", "JobQueue", "Postgres", "TestSupport"], swiftSettings: upcoming),
        .testTarget(name: "IngestAPITests", dependencies: [
            "IngestAPI", "LeadStore", "Postgres", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ], swiftSettings: upcoming),
        .testTarget(name: "WorkersTests", dependencies: [
            "Workers", "LeadStore", "JobQueue", "Postgres", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: upcoming),
        .testTarget(name: "ReportingTests", dependencies: [
            "Reporting", "Workers", "JobQueue", "LeadDomain", "Postgres", "TestSupport",
        ], swiftSettings: upcoming),
        .testTarget(name: "IntakeTests", dependencies: ["Intake"], swiftSettings: upcoming),
        .testTarget(name: "LeadDomainTests", dependencies: ["LeadDomain"], swiftSettings: upcoming),
        .executableTarget(
            name: "jobqueue-test-worker",
            dependencies: [
                "JobQueue", "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Tests/JobQueueTestWorker",
            swiftSettings: upcoming
        ),
        .testTarget(name: "JobQueueTests", dependencies: [
            "JobQueue", "Postgres", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ], swiftSettings: upcoming),
    ],
    swiftLanguageModes: [.v6]
)
