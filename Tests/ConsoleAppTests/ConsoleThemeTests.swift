import Foundation
import Testing
@testable import ConsoleApp
@testable import Curses

@Suite struct ShippedThemeTests {
    static var repositoryRoot: URL {
        // Tests/ConsoleAppTests/ConsoleThemeTests.swift → the repository (through any symlinked folders).
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func embeddedThemesEqualTheFilesInThemes() throws {
        #expect(BuiltinThemes.all.map(\.name) == ["default", "light", "high-contrast", "mono"])
        for (name, yaml) in BuiltinThemes.all {
            let file = Self.repositoryRoot.appendingPathComponent("themes/\(name).yaml")
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text == yaml, "themes/\(name).yaml differs from BuiltinThemes.\(name): copy the file into BuiltinThemes.swift")
        }
    }

    @Test(arguments: ["default", "light", "high-contrast", "mono"])
    func shippedThemeParsesAndDefinesEveryStyle(name: String) throws {
        let theme = try Theme.parse(BuiltinThemes.all.first { $0.name == name }!.yaml, source: name)
        #expect(theme.name == name)
        #expect(theme.missingStyleNames.isEmpty)
        #expect(Theme.builtin(named: name) == theme)
    }

    @Test(arguments: ["default", "light", "high-contrast", "mono"])
    func dueStatesAndHeatLevelsStayDistinctWithoutColour(name: String) throws {
        let theme = try #require(Theme.builtin(named: name))
        let due = ["due.green", "due.yellow", "due.red"].map { theme[$0].adapted(to: .none) }
        #expect(Set(due).count == 3)
        let heat = (0...9).map { theme["heat.\($0)"].adapted(to: .none) }
        #expect(Set(heat).count == 10)
    }

    @Test func defaultThemeIsTheBuiltinDefault() {
        #expect(Theme.default.name == "default")
        #expect(Theme.default.missingStyleNames.isEmpty)
        #expect(Theme.builtinNames == ["default", "light", "high-contrast", "mono"])
    }

    /// The console's fallback and its messages, as before the catalog moved out of Curses.
    @Test func unknownOrBrokenThemeFallsBackToTheDefaultTheme() {
        let unknown = Theme.load(nameOrPath: "sparkles", searchDirectories: ["/nonexistent"])
        #expect(unknown.theme == Theme.default)
        #expect(unknown.problem == "unknown theme 'sparkles' (built-in: default, light, high-contrast, mono); using default")
        let missing = Theme.load(nameOrPath: "/nonexistent/theme.yaml")
        #expect(missing.theme == Theme.default)
        #expect(missing.problem == "/nonexistent/theme.yaml: cannot read theme file; using default")
        #expect(Theme.load(nameOrPath: "mono").theme.name == "mono")
    }
}
