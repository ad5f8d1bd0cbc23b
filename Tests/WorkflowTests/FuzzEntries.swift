// The entry points the libFuzzer harnesses drive (Fuzz/, built by scripts/reliability/fuzz.sh), shared with the
// corpus replay in `swift test` (FuzzCorpusTests). Each entry feeds arbitrary bytes to one parser and checks what
// must hold for any input; a broken rule stops the process (libFuzzer reports it as a crash and keeps the input).

import Foundation
@testable import Workflow

enum FuzzEntries {
    static let all: [(name: String, run: @Sendable ([UInt8]) -> Void)] = [
        ("csv", csv), ("jsonl", jsonl), ("geojson", geojson), ("calendar", calendar), ("time", time),
    ]

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("fuzz rule broken: \(message)\n".utf8))
        abort()
    }

    // MARK: Import readers

    /// A memory source that hands out at most `step` bytes a read: the readers must not care where reads end.
    struct SteppedSource: ByteSource {
        var inner: MemoryByteSource
        let step: Int
        init(_ bytes: [UInt8], step: Int) { inner = MemoryByteSource(bytes); self.step = step }
        mutating func read(max: Int) throws(WorkflowError) -> [UInt8] { try inner.read(max: Swift.min(max, step)) }
    }

    /// What a reader made of a file, comparable between two readings.
    static func summary(_ source: inout some RecordSource) -> [String] {
        var out: [String] = []
        var lastLine = 0
        while out.count < 10_000 {
            let item: ImportItem?
            do { item = try source.next() } catch { out.append("error \(error)"); break }
            guard let item else { break }
            guard item.line >= max(lastLine, 1) else { fail("line \(item.line) after line \(lastLine)") }
            lastLine = item.line
            switch item {
            case .record(let r):
                guard r.raw.count <= ImportLimits.maxRawBytes else { fail("raw record of \(r.raw.count) bytes") }
                guard r.fields.count <= ImportLimits.maxFields else { fail("\(r.fields.count) fields") }
                for (name, value) in r.fields.sorted(by: { $0.key < $1.key }) {
                    guard value.utf8.count <= ImportLimits.maxFieldBytes else { fail("field \(name) of \(value.utf8.count) bytes") }
                }
                if let p = r.point, !(p.lat.isFinite && p.lon.isFinite && abs(p.lat) <= 90 && abs(p.lon) <= 180) {
                    fail("point \(p) is not a position")
                }
                out.append("record \(r.line) \(r.fields.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }) \(r.point.map { "\($0.lat),\($0.lon)" } ?? "-")")
            case .bad(let reject):
                guard reject.raw.count <= ImportLimits.maxRawBytes else { fail("raw reject of \(reject.raw.count) bytes") }
                guard !reject.reason.isEmpty else { fail("reject without a reason on line \(reject.line)") }
                out.append("bad \(reject.line) \(reject.reason)")
            }
        }
        return out
    }

    /// Reads `bytes` whole and in small steps; both must give the same records.
    static func twice(_ bytes: [UInt8], _ read: (any ByteSource) -> [String]) {
        let whole = read(MemoryByteSource(bytes))
        let step = 1 + bytes.count % 7
        let stepped = read(SteppedSource(bytes, step: step))
        guard whole == stepped else { fail("reading in steps of \(step) bytes differs:\n\(whole)\n\(stepped)") }
    }

    static func csv(_ bytes: [UInt8]) {
        twice(bytes) { source in
            func run<S: ByteSource>(_ s: S) -> [String] {
                do {
                    var reader = try CSVRecordSource(s)
                    return ["header \(reader.header)"] + summary(&reader)
                } catch { return ["refused \(error)"] }
            }
            return run(source)
        }
    }

    static func jsonl(_ bytes: [UInt8]) {
        twice(bytes) { source in
            func run<S: ByteSource>(_ s: S) -> [String] {
                var reader = JSONLinesRecordSource(s)
                return summary(&reader)
            }
            return run(source)
        }
    }

    static func geojson(_ bytes: [UInt8]) {
        twice(bytes) { source in
            func run<S: ByteSource>(_ s: S) -> [String] {
                var reader = GeoJSONFeatureSource(s)
                return summary(&reader)
            }
            return run(source)
        }
    }

    // MARK: Calendar

    /// Holidays CSV, the weekly schedule's text form and dates: whatever parses writes back to the same value.
    static func calendar(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let exceptions = try? CalendarExceptions.parse(csv: text) {
            let again: [LocalDate: DayKind]
            do { again = try CalendarExceptions.parse(csv: CalendarExceptions.csv(exceptions)) } catch { fail("written calendar does not parse: \(error)") }
            guard again == exceptions else { fail("calendar round trip differs") }
        }
        if let schedule = try? WeeklySchedule(parsing: text) {
            guard (try? WeeklySchedule(parsing: schedule.description)) == schedule else { fail("schedule '\(schedule)' does not read back") }
        }
        for line in text.split(separator: "\n").prefix(64) {
            if let date = LocalDate(string: String(line)) {
                guard LocalDate(string: date.description) == date else { fail("date \(date) does not read back") }
            }
        }
    }

    // MARK: Time

    static let zones = [TimeZone(identifier: "UTC")!, TimeZone(identifier: "Asia/Shanghai")!, TimeZone(secondsFromGMT: -34_200)!]

    /// `--at`, `CITYGRID_NOW` and imported times: the export-form writer and the one parser. An instant the parser
    /// reads is written back in the export form and reads to the same instant.
    static func time(_ bytes: [UInt8]) {
        let text = String(decoding: bytes.prefix(256), as: UTF8.self)
        let zone = zones[bytes.count % zones.count]
        let fast = FastInstant(timeZone: zone)
        if let date = try? fast.parse(text) {
            guard date.timeIntervalSince1970.isFinite else { fail("'\(text)' gives a non-finite time") }
            // Written back in the export form (whole seconds), and read to the same instant, whenever the local year
            // is 0001-9999 (the parser's years) and the zone's offset whole minutes. Outside that, two writes lose the
            // instant: 0001-01-01 west of UTC writes year 0000, and Asia/Shanghai before 1901 (+08:05:43, local mean
            // time) writes +08:05.
            // The site's time window (issue 13, defect 2) refuses such times before they are stored.
            let written = fast.string(date)
            let whole = date.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970
            if whole && zone.secondsFromGMT(for: date) % 60 == 0 && written.first != "-" && written.prefix(while: \.isNumber).count == 4
                && !written.hasPrefix("0000") {
                guard (try? fast.parse(written)) == date else {
                    fail("'\(text)' written as '\(written)' does not read back")
                }
            }
        }
        _ = try? InstantFormat(timeZone: zone).parse(text)
    }
}
