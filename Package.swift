// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "CityGrid",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "citygrid", targets: ["ConsoleApp"]),
        .library(name: "Workflow", targets: ["Workflow"]),
        .library(name: "Curses", targets: ["Curses"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // SHA-256 for the history's hash chain, import file identities and Open311 key hashes.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // The console over SSH (citygrid serve-ssh): swift-nio-ssh on swift-nio.
        .package(url: "https://github.com/apple/swift-nio-ssh", from: "0.15.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
    ],
    targets: [
        // The system's ncursesw, with the macros and globals Swift cannot import wrapped in a shim.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        // A thin terminal layer: screen buffer, diffing flush, keys, themes. Knows nothing of cities.
        .target(name: "Curses", dependencies: ["CNcursesw", .product(name: "Yams", package: "Yams")]),
        // Domain and persistence: regions, roles, tiers, lifecycle, deadlines, evaluation. No terminal code.
        .target(
            name: "Workflow",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                // scrypt for operators' passwords (Access/PasswordHash.swift).
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // The demo city and its simulator (seed-demo, the console's simulator, bench): a generated geography,
        // days of history played through the real lifecycle, and the CPU clocks the seeding figures use.
        .target(
            name: "CityGridDemo",
            dependencies: ["Workflow", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The Open311 GeoReport v2 service over the Workflow core (HTTP with Hummingbird).
        .target(
            name: "Open311",
            dependencies: ["Workflow", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        // openpty-like calls and posix_spawn's setsid/closefrom, which Swift's Glibc module does not import.
        .systemLibrary(name: "CPty", path: "Sources/CPty"),
        // The SSH server of `citygrid serve-ssh`: host key, sign-in against the operator table, limits, audit, and
        // each session's console or command run as a child process (on a pty or pipes). No terminal code.
        .target(
            name: "SSHServer",
            dependencies: [
                "Workflow", "CPty",
                .product(name: "NIOSSH", package: "swift-nio-ssh"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The `citygrid` executable: command line and console.
        .executableTarget(
            name: "ConsoleApp",
            dependencies: [
                "Workflow", "CityGridDemo", "Curses", "Open311", "SSHServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "WorkflowTests",
            dependencies: [
                "Workflow", "CityGridDemo",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "CursesTests", dependencies: ["Curses"]),
        .testTarget(
            name: "SSHServerTests",
            dependencies: [
                "SSHServer", "Workflow",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOSSH", package: "swift-nio-ssh"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ConsoleAppTests",
            dependencies: ["ConsoleApp", "Workflow", "CityGridDemo", "Curses", .product(name: "GRDB", package: "GRDB.swift")],
            // The CLI contract's flags, read by CLIFlagsTests from beside its source file, not a bundled resource.
            exclude: ["CLIFlags.txt"]
        ),
        .testTarget(
            name: "Open311Tests",
            dependencies: [
                "Open311", "Workflow", "CityGridDemo",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
