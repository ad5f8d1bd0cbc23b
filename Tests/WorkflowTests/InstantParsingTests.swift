import Foundation
import PropertyBased
import Testing
@testable import Workflow

/// The one time parser (issue 13, defect 2): `InstantFormat` (`--at`, `CITYGRID_NOW`, Open311) and the import's
/// `FastInstant` accept and refuse the same texts, never crash, and refuse what does not exist.
@Suite struct InstantParsingTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// What a parser answers: the instant's seconds and nanoseconds, or the refusal's message.
    static func outcome(_ parse: (String) throws(WorkflowError) -> Date, _ text: String) -> String {
        do {
            let date = try parse(text)
            return "ok \(date.timeIntervalSince1970)"
        } catch {
            return "refused \(error.description)"
        }
    }

    static func agree(_ text: String, zone: TimeZone) -> Bool {
        let slow = InstantFormat(timeZone: zone), fast = FastInstant(timeZone: zone)
        return outcome(slow.parse, text) == outcome(fast.parse, text)
    }

    /// Characters a time is made of, and the ones that sneak in: other digits, other dashes, other blanks.
    static let alphabet: [Character] = Array("0123456789-:T Z+.t\t") + ["٣", "２", "۷", "−", "\u{3000}", "\u{00A0}", "\u{0}", "x", "é"]

    @Test func bothParsersAgreeOnRandomTextsAndNeverCrash() async {
        await propertyCheck(count: 3000, input: Gen.element(of: Self.alphabet).compactMap { $0 }.array(of: 0...32)) { chars in
            let text = String(chars)
            #expect(Self.agree(text, zone: Self.shanghai), "\(text.debugDescription)")
            #expect(Self.agree(text, zone: Self.berlin), "\(text.debugDescription)")
        }
    }

    /// Valid texts with one character replaced: mostly near misses (2026-02-3x, hour 2x, +1x:00 …).
    @Test func bothParsersAgreeOnMutatedTimesAndNeverCrash() async {
        let templates = ["2026-11-25T10:30:00+08:00", "2024-02-29T23:59:59Z", "2026-03-29T02:30", "2026-11-25 09:30:15",
                         "2026-11-25", "1999-12-31T16:00:00.123456-05:30", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"]
        await propertyCheck(count: 3000, input: Gen.element(of: templates).compactMap { $0 }, Gen.int(in: 0...40),
                            Gen.element(of: Self.alphabet).compactMap { $0 }) { template, position, replacement in
            var chars = Array(template)
            if position < chars.count { chars[position] = replacement } else { chars.append(replacement) }
            let text = String(chars)
            #expect(Self.agree(text, zone: Self.shanghai), "\(text.debugDescription)")
            #expect(Self.agree(text, zone: Self.berlin), "\(text.debugDescription)")
        }
    }

    /// Every valid combination means the instant Foundation's Gregorian calendar gives it (from 1583 on, where
    /// Foundation no longer switches to the Julian calendar), and prints back to itself.
    @Test func validTimesMeanWhatTheySayAndRoundTrip() async {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "UTC")!
        await propertyCheck(count: 2000, input: Gen.int(in: 1583...9999), Gen.int(in: 1...12), Gen.int(in: 1...31),
                            Gen.int(in: 0...86_399), Gen.int(in: -56...56)) { year, month, day, second, quarterHours in
            let day = min(day, LocalDate.daysInMonth(year: year, month: month))
            let offset = quarterHours * 15 * 60
            let fields = InstantText(year: year, month: month, day: day, hour: second / 3600, minute: second % 3600 / 60,
                                     second: second % 60, offset: offset)
            let text = InstantText.string(seconds: fields.localSeconds - Int64(offset), offset: offset)
            let parsed = try InstantFormat(timeZone: Self.shanghai).parse(text)
            var parts = DateComponents(year: year, month: month, day: day, hour: second / 3600, minute: second % 3600 / 60, second: second % 60)
            parts.timeZone = TimeZone(secondsFromGMT: offset)
            let expected = gregorian.date(from: parts)!
            #expect(parsed == expected, "\(text)")
            #expect(InstantText.string(seconds: parsed.saturatedSeconds, offset: offset) == text)
        }
    }

    @Test(arguments: [
        "2026-02-30T10:00:00+08:00", "2026-02-29T10:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-04-31",
        "2026-11-25T24:00:00Z", "2026-11-25T23:60:00Z", "2026-11-25T23:59:60Z", "2026-11-25T23:59:61Z",
        "2026-11-25T10:00:00+15:00", "2026-11-25T10:00:00-14:01", "2026-11-25T10:00:00+08:60", "0000-01-01T00:00:00Z",
        "-100000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "２０２６-11-25T10:00:00Z", "٢٠٢٦-11-25T10:00:00Z",
        "2026-11-25T10:00:00.1234567890Z", "2026-11-25T10:00:00.Z", "2026-11-25T10", "2026-11-25T10:00:00+0800",
        "2026-11-25T10:00:00 +08:00", "2026-11-25T10:00:00Z ", "2026-11-25t10:00:00z", "", " ",
    ])
    func impossibleOrMalformedTimesAreRefusedByBoth(_ text: String) {
        let slow = InstantFormat(timeZone: Self.shanghai), fast = FastInstant(timeZone: Self.shanghai)
        if text == "2026-11-25T10:00:00Z " {
            // Blanks around a valid time are ignored, by both.
            #expect(Self.outcome(slow.parse, text).hasPrefix("ok"))
        } else {
            #expect(throws: WorkflowError.self, "\(text)") { try slow.parse(text) }
            #expect(throws: WorkflowError.self, "\(text)") { try fast.parse(text) }
        }
        #expect(Self.agree(text, zone: Self.shanghai))
    }

    @Test func refusalsSayWhatIsWrong() {
        let format = InstantFormat(timeZone: Self.shanghai)
        func message(_ text: String) -> String { Self.outcome(format.parse, text) }
        #expect(message("2026-02-30T10:00:00+08:00").contains("February 2026 has 28 days"))
        #expect(message("2026-11-25T10:00:00+15:00").contains("beyond ±14:00"))
        #expect(message("2026-11-25T23:59:60Z").contains("leap second"))
        #expect(message("2026-11-25T24:00:00Z").contains("hour 24"))
        #expect(message("0000-06-01").contains("outside 0001–9999"))
        #expect(message("yesterday").contains("is not a time; use ISO-8601"))
    }

    @Test func theFormsThatWereAcceptedStillAre() throws {
        let format = InstantFormat(timeZone: Self.shanghai)
        let at = try format.parse("2026-11-25T10:30:00+08:00")
        #expect(at.timeIntervalSince1970 == 1_795_573_800)
        #expect(try format.parse("2026-11-25T02:30:00Z") == at)
        #expect(try format.parse("2026-11-25T02:30:00.000Z") == at)
        #expect(try format.parse("2026-11-25T10:30") == at)
        #expect(try format.parse("2026-11-25 10:30:00") == at)
        #expect(try format.parse("2026-11-25 10:30") == at)
        #expect(try format.parse(" 2026-11-25T10:30:00+08:00\u{3000}") == at)
        #expect(try format.parse("2026-11-25") == at.addingTimeInterval(-(10 * 3600 + 1800)))
        #expect(try format.parse("2026-11-25T10:30:00.5+08:00") == at.addingTimeInterval(0.5))
        #expect(try format.parse("2026-11-25T10:30:00+14:00") == at.addingTimeInterval(-6 * 3600))
        #expect(try format.parse("2026-11-25T10:30:00-14:00").timeIntervalSince1970 == 1_795_573_800 + 22 * 3600)
        #expect(try format.parse("2024-02-29T23:59:59Z").timeIntervalSince1970 == 1_709_251_199)
        // The proleptic Gregorian calendar, like LocalDate (Foundation reads this in the Julian calendar).
        #expect(try format.parse("0001-01-01T00:00:00Z").timeIntervalSince1970 == -62_135_596_800)
    }

    @Test func localTimesFollowTheZoneAndRefuseTheSkippedHour() throws {
        let berlin = InstantFormat(timeZone: Self.berlin)
        #expect(throws: WorkflowError.self) { try berlin.parse("2026-03-29T02:30") }
        #expect(throws: WorkflowError.self) { try FastInstant(timeZone: Self.berlin).parse("2026-03-29T02:30") }
        #expect(try berlin.parse("2026-03-29T03:00") == berlin.parse("2026-03-29T01:00:00Z"))
        // 02:30 on 2026-10-25 happens twice: the first time (still summer time, +02:00) is meant.
        #expect(try berlin.parse("2026-10-25T02:30") == berlin.parse("2026-10-25T00:30:00Z"))
    }

    @Test func anyInstantPrintsWithoutCrashing() {
        let format = InstantFormat(timeZone: Self.shanghai), fast = FastInstant(timeZone: Self.shanghai)
        for seconds: Int64 in [.min, .min + 1, -3_217_862_419_200_000, -62_135_596_801, 253_402_300_800, .max - 1, .max] {
            let date = Date(timeIntervalSince1970: Double(seconds))
            #expect(!format.string(date).isEmpty)
            #expect(!format.short(date).isEmpty)
            #expect(!fast.string(date).isEmpty)
        }
        #expect(format.string(Date(timeIntervalSince1970: 253_402_300_799)) == "10000-01-01T07:59:59+08:00")
        #expect(format.string(Date(timeIntervalSince1970: 1_795_573_800)) == "2026-11-25T10:30:00+08:00")
        #expect(InstantFormat(timeZone: TimeZone(identifier: "UTC")!).string(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(format.short(Date(timeIntervalSince1970: 1_795_573_800)) == "11-25 10:30")
        #expect(Date(timeIntervalSince1970: Double(Int64.max)).saturatedSeconds == .max)
        #expect(Date(timeIntervalSince1970: -1e300).saturatedSeconds == .min)
    }
}
