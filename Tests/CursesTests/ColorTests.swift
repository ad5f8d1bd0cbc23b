import Testing
@testable import Curses

@Suite struct ColorDowngradeTests {
    @Test func rgbMapsToTheNearestOf256() {
        #expect(Color.nearest256(r: 255, g: 0, b: 0) == 196)
        #expect(Color.nearest256(r: 0, g: 0, b: 0) == 16)
        #expect(Color.nearest256(r: 255, g: 255, b: 255) == 231)
        #expect(Color.nearest256(r: 128, g: 128, b: 128) == 244)  // grey ramp beats the cube
        #expect(Color.nearest256(r: 0x87, g: 0xaf, b: 0xff) == 111)
        #expect(Color.rgb(0xff, 0x87, 0x00).downgraded(to: .indexed256) == .index(208))
    }

    @Test func rgbAndIndexedMapToSixteenByHue() {
        #expect(Color.rgb(0xff, 0, 0).downgraded(to: .ansi16) == .ansi(9))
        #expect(Color.rgb(0x40, 0, 0).downgraded(to: .ansi16) == .ansi(1))  // dark red stays red
        #expect(Color.rgb(0x00, 0x5f, 0x87).downgraded(to: .ansi16) == .ansi(6))
        #expect(Color.rgb(0xd0, 0xd0, 0xd0).downgraded(to: .ansi16) == .ansi(7))
        #expect(Color.rgb(0x1c, 0x1c, 0x1c).downgraded(to: .ansi16) == .ansi(0))
        #expect(Color.rgb(0x80, 0x80, 0x80).downgraded(to: .ansi16) == .ansi(8))
        #expect(Color.rgb(0xff, 0xff, 0xff).downgraded(to: .ansi16) == .ansi(15))
        #expect(Color.index(196).downgraded(to: .ansi16) == .ansi(9))
        #expect(Color.index(3).downgraded(to: .ansi16) == .ansi(3))
    }

    @Test func sixteenFoldsToEight() {
        #expect(Color.ansi(12).downgraded(to: .ansi8) == .ansi(4))
        #expect(Color.ansi(2).downgraded(to: .ansi8) == .ansi(2))
        #expect(Color.rgb(0xff, 0, 0).downgraded(to: .ansi8) == .ansi(1))
    }

    @Test func noColourLeavesOnlyTheDefault() {
        for color in [Color.rgb(1, 2, 3), .index(200), .ansi(5), .default] {
            #expect(color.downgraded(to: .none) == .default)
        }
    }

    @Test func deeperTerminalsKeepTheColour() {
        #expect(Color.rgb(1, 2, 3).downgraded(to: .trueColor) == .rgb(1, 2, 3))
        #expect(Color.index(200).downgraded(to: .indexed256) == .index(200))
        #expect(Color.ansi(9).downgraded(to: .indexed256) == .ansi(9))
        #expect(Color.default.downgraded(to: .ansi8) == .default)
    }

    @Test func everyIndexedColourHasAnRGBValue() {
        #expect(Color.index(16).rgbComponents! == (0, 0, 0))
        #expect(Color.index(231).rgbComponents! == (255, 255, 255))
        #expect(Color.index(232).rgbComponents! == (8, 8, 8))
        #expect(Color.ansi(9).rgbComponents! == (255, 0, 0))
        #expect(Color.default.rgbComponents == nil)
    }

    @Test func colourNamesParseAndPrintBack() {
        #expect(Color(name: "red") == .ansi(1))
        #expect(Color(name: "bright-red") == .ansi(9))
        #expect(Color(name: "default") == .default)
        #expect(Color(name: "#FF8000") == .rgb(0xff, 0x80, 0x00))
        #expect(Color(name: "208") == .index(208))
        for bad in ["purple", "256", "#12345", "#gggggg", "", "-1", "bright-"] {
            #expect(Color(name: bad) == nil, "\(bad)")
        }
        for color in [Color.default, .ansi(3), .ansi(11), .index(42), .rgb(0x0a, 0xbc, 0xde)] {
            #expect(Color(name: color.description) == color)
        }
    }
}

@Suite struct ColorDepthTests {
    @Test func noColorDisablesColour() {
        #expect(ColorDepth.detect(environment: ["NO_COLOR": "1", "COLORTERM": "truecolor"], terminalColors: 256) == .none)
    }

    @Test func emptyNoColorIsIgnored() {
        #expect(ColorDepth.detect(environment: ["NO_COLOR": ""], terminalColors: 256) == .indexed256)
    }

    @Test func colortermAnnouncesTrueColor() {
        #expect(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], terminalColors: 256) == .trueColor)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "24bit"], terminalColors: 8) == .trueColor)
    }

    @Test func terminalColourCountSetsTheDepth() {
        #expect(ColorDepth.detect(environment: [:], terminalColors: 256) == .indexed256)
        #expect(ColorDepth.detect(environment: [:], terminalColors: 16) == .ansi16)
        #expect(ColorDepth.detect(environment: [:], terminalColors: 8) == .ansi8)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], terminalColors: 0) == .none)
        #expect(ColorDepth(terminalColors: 0x100_0000) == .trueColor)
    }
}

@Suite struct StyleTests {
    @Test func monochromeUsesMonoAttributesOrTheStylesOwn() {
        let due = Style(fg: .rgb(255, 0, 0), attributes: .bold, mono: [.bold, .reverse])
        #expect(due.adapted(to: .none) == Style(attributes: [.bold, .reverse]))
        let plain = Style(fg: .red, attributes: .underline)
        #expect(plain.adapted(to: .none) == Style(attributes: .underline))
    }

    @Test func adaptingDowngradesBothColours() {
        let style = Style(fg: .rgb(255, 0, 0), bg: .rgb(0, 0, 0), attributes: .bold)
        #expect(style.adapted(to: .ansi16) == Style(fg: .ansi(9), bg: .ansi(0), attributes: .bold))
    }

    @Test func attributeNamesRoundTrip() {
        for (name, attribute) in TextAttributes.named {
            #expect(TextAttributes(name: name) == attribute)
        }
        #expect(TextAttributes([.bold, .reverse]).names == ["bold", "reverse"])
        #expect(TextAttributes(name: "sparkle") == nil)
    }
}
