import Foundation
import Testing
@testable import Curses

@Suite struct ThemeParsingTests {
    static let good = """
    name: test
    description: For tests
    styles:
      normal: { fg: "#d0d0d0", bg: "#101010" }
      due.red: { fg: red, bold: true }
      heat.9: { fg: "#ff0000", bg: "#400000", mono: [bold, reverse] }
      muted: { fg: 244, dim: true, italic: false }
      title:
        fg: bright-blue
        underline: yes

    """

    @Test func goodFileParses() throws {
        let theme = try Theme.parse(Self.good, source: "good.yaml")
        #expect(theme.name == "test")
        #expect(theme.description == "For tests")
        #expect(theme["normal"] == Style(fg: .rgb(0xd0, 0xd0, 0xd0), bg: .rgb(0x10, 0x10, 0x10)))
        #expect(theme["heat.9"] == Style(fg: .rgb(0xff, 0, 0), bg: .rgb(0x40, 0, 0), mono: [.bold, .reverse]))
        #expect(theme["muted"] == Style(fg: .index(244), bg: .rgb(0x10, 0x10, 0x10), attributes: .dim))
        #expect(theme["title"] == Style(fg: .ansi(12), bg: .rgb(0x10, 0x10, 0x10), attributes: .underline))
    }

    @Test func unsetColoursComeFromNormal() throws {
        let theme = try Theme.parse(Self.good, source: "good.yaml")
        #expect(theme["due.red"] == Style(fg: .ansi(1), bg: .rgb(0x10, 0x10, 0x10), attributes: .bold))
    }

    @Test func missingStyleInheritsNormal() throws {
        let theme = try Theme.parse(Self.good, source: "good.yaml")
        #expect(theme["selection"] == theme["normal"])
        #expect(theme.undefinedStyleNames(among: ["normal", "due.red", "selection"]) == ["selection"])
    }

    @Test func themeWithoutNormalUsesTerminalDefaults() throws {
        let theme = try Theme.parse("styles:\n  error: { bold: true }\n", source: "x.yaml")
        #expect(theme["normal"] == Style())
        #expect(theme["error"] == Style(attributes: .bold))
        #expect(theme.name == "x")
    }

    static let brokenCases: [(yaml: String, line: Int, style: String?, message: String)] = [
        ("name: x\ncolours: {}\n", 2, nil, "unknown key 'colours'"),
        ("styles:\n  normal: { fg: red, sparkle: true }\n", 2, "normal", "unknown key 'sparkle'"),
        ("name: x\nstyles:\n  normal: {}\n  due.red: { fg: purpel }\n", 4, "due.red", "unknown colour 'purpel'"),
        ("styles:\n  normal:\n    bg: default\n    fg: #ff0000\n", 4, "normal", "missing colour"),
        ("styles:\n  error:\n    bold: maybe\n", 3, "error", "expected true or false"),
        ("styles:\n  heat.1: { mono: [bold, sparkly] }\n", 2, "heat.1", "unknown attribute 'sparkly'"),
        ("styles:\n  normal: red\n", 2, "normal", "expected a mapping"),
        ("styles:\n  normal: {}\n  normal: { bold: true }\n", 2, nil, "duplicate key 'normal'"),
        ("styles:\n  normal: { fg: red\n  muted: {}\n", 3, nil, "not valid YAML"),
        ("styles: [a, b]\n", 1, nil, "expected a mapping"),
        ("- a\n- b\n", 1, nil, "expected keys"),
        ("", 1, nil, "empty"),
        ("styles:\n  \"bad name!\": {}\n", 2, nil, "bad style name"),
    ]

    @Test(arguments: 0..<brokenCases.count)
    func brokenFileNamesLineAndStyle(index: Int) {
        let broken = Self.brokenCases[index]
        #expect {
            _ = try Theme.parse(broken.yaml, source: "themes/broken.yaml")
        } throws: { error in
            guard let error = error as? ThemeError else { return false }
            return error.line == broken.line && error.style == broken.style && error.message.contains(broken.message)
                && error.description.hasPrefix("themes/broken.yaml:\(broken.line): ")
        }
    }

    @Test func errorDescriptionNamesFileLineAndStyle() {
        let error = ThemeError(source: "t.yaml", line: 4, style: "due.red", message: "unknown colour 'purpel'")
        #expect(error.description == "t.yaml:4: style 'due.red': unknown colour 'purpel'")
    }

    @Test func noInputCrashesTheParser() {
        let fragments = ["styles:", "  normal:", " { fg: ", "red", "}", "[", "]", "- ", "#", "\"", "\n", ":", "mono: [",
                         "bold", ",", "&a", "*a", "!!int", "\u{1B}", "\u{0}", "  ", "true", "999999999999999999999"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in fragments.randomElement(using: &generator)! }.joined()
            _ = try? Theme.parse(text, source: "fuzz.yaml")
        }
    }
}

@Suite struct ThemeLoadingTests {
    /// A program's built-in themes; the first is the fallback.
    static let catalog = ThemeCatalog(builtins: [
        ("plain", "name: plain\nstyles:\n  normal: { fg: white }\n"),
        ("light", "name: light\nstyles:\n  normal: { fg: black, bg: white }\n"),
        ("high-contrast", "name: high-contrast\nstyles:\n  normal: { fg: bright-white, bg: black }\n"),
    ])

    func temporaryDirectory() throws -> URL {
        let url = TestFolder.root.appendingPathComponent("curses-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func nameIsFoundInSearchDirectoriesFirst() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "name: my-light\nstyles:\n  normal: { fg: black }\n".write(to: dir.appendingPathComponent("light.yaml"), atomically: true, encoding: .utf8)
        let result = Self.catalog.load(nameOrPath: "light", searchDirectories: ["/nonexistent", dir.path])
        #expect(result.problem == nil)
        #expect(result.theme.name == "my-light")
        #expect(result.origin.hasSuffix("light.yaml"))
    }

    @Test func builtinThemeIsUsedWhenNoFileExists() {
        let result = Self.catalog.load(nameOrPath: "high-contrast", searchDirectories: ["/nonexistent"])
        #expect(result.problem == nil)
        #expect(result.theme.name == "high-contrast")
        #expect(result.origin == "built-in")
    }

    @Test func brokenFileFallsBackToDefaultWithFileAndLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("broken.yaml").path
        try "name: broken\nstyles:\n  due.red: { fg: purpel }\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = Self.catalog.load(nameOrPath: path)
        #expect(result.theme == Self.catalog.fallback)
        let problem = try #require(result.problem)
        #expect(problem.contains("broken.yaml:3: style 'due.red': fg: unknown colour 'purpel'"))
    }

    @Test func missingFileAndUnknownNameFallBackToDefault() {
        let missing = Self.catalog.load(nameOrPath: "/nonexistent/theme.yaml")
        #expect(missing.theme == Self.catalog.fallback)
        #expect(missing.problem?.contains("/nonexistent/theme.yaml") == true)
        let unknown = Self.catalog.load(nameOrPath: "sparkles")
        #expect(unknown.theme == Self.catalog.fallback)
        #expect(unknown.problem == "unknown theme 'sparkles' (built-in: plain, light, high-contrast); using plain")
    }

    @Test func fallbackIsTheFirstBuiltinTheme() throws {
        #expect(Self.catalog.fallback.name == "plain")
        #expect(Self.catalog.fallback == Self.catalog.builtin(named: "plain"))
        #expect(Self.catalog.names == ["plain", "light", "high-contrast"])
        #expect(ThemeCatalog(builtins: []).fallback == Theme(name: "default", styles: [:]))
    }
}
