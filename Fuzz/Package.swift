// swift-tools-version: 6.1
// libFuzzer harnesses for CityGrid's parsers. Build and run them with scripts/reliability/fuzz.sh, which passes
// -sanitize=fuzzer to every module (so the parsers are instrumented, not just the harness). The entry points are
// the FuzzEntries files of the test targets (symlinked here), so `swift test` replays the corpus through the same
// code. Parsers that live in an executable target or next to the HTTP server are compiled in from their files.
import PackageDescription

let fuzz: [SwiftSetting] = [.define("CITYGRID_FUZZ")]

let package = Package(
    name: "CityGridFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "CityGrid", path: "..")],
    targets: [
        // Hands `main` to libFuzzer's driver (see the comment in the file).
        .target(name: "CFuzzMain"),
        // csv, jsonl, geojson (Sources/Workflow/Intake), calendar (Deadlines), time (FastInstant, InstantFormat).
        .executableTarget(name: "FuzzWorkflow", dependencies: ["CFuzzMain", .product(name: "Workflow", package: "CityGrid")], swiftSettings: fuzz),
        // theme (Sources/Curses/Theme.swift).
        .executableTarget(name: "FuzzTheme", dependencies: ["CFuzzMain", .product(name: "Curses", package: "CityGrid")], swiftSettings: fuzz),
        // open311: Sources/Open311/Open311Input.swift and Open311Format.swift, compiled in (Foundation only).
        .executableTarget(name: "FuzzOpen311", dependencies: ["CFuzzMain"], swiftSettings: fuzz),
        // command: the console's `:` parser and the ConsoleApp files its types need, compiled in.
        .executableTarget(
            name: "FuzzCommand",
            dependencies: ["CFuzzMain", .product(name: "Workflow", package: "CityGrid"), .product(name: "Curses", package: "CityGrid")],
            swiftSettings: fuzz),
    ]
)
