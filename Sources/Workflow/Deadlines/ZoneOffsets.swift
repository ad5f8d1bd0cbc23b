// Precomputed UTC offsets of a time zone, so that the working-time clock never asks
// Foundation for an offset in its hot path.

import Foundation

/// The offsets of a time zone as a list of segments `[starts[i], starts[i+1])` of constant
/// offset, taken once from the tz database for instants in `window`. Outside the window the
/// `TimeZone` itself is asked (slow, but correct enough).
///
/// Terms: an *instant* is whole seconds since 1970-01-01T00:00:00Z; a *local* value is the
/// wall-clock reading in the zone, as seconds since 1970-01-01T00:00:00 local
/// (`local = instant + offset(instant)`).
extension WorkingCalendar {
    struct ZoneOffsets: Sendable {
        let timeZone: TimeZone
        /// Instants covered by the segments.
        let window: Range<Int>
        /// Segment i covers instants `starts[i] ..< (starts[i+1] or window.upperBound)`.
        let starts: [Int]
        let offsets: [Int]
        /// Local readings of segment i: `localStarts[i] ..< localEnds[i]`.
        let localStarts: [Int]
        let localEnds: [Int]

        init(timeZone: TimeZone, window: Range<Int>) {
            self.timeZone = timeZone
            self.window = window
            var starts = [window.lowerBound]
            var offsets = [timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(window.lowerBound)))]
            var cursor = Date(timeIntervalSince1970: Double(window.lowerBound))
            while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor) {
                let t = Int(next.timeIntervalSince1970.rounded(.down))
                guard t < window.upperBound, t > starts.last! else { break }
                let offset = timeZone.secondsFromGMT(for: next)
                if offset != offsets.last! {
                    starts.append(t)
                    offsets.append(offset)
                }
                cursor = next
            }
            self.starts = starts
            self.offsets = offsets
            var localStarts: [Int] = []
            var localEnds: [Int] = []
            for i in starts.indices {
                localStarts.append(starts[i] + offsets[i])
                let end = i + 1 < starts.count ? starts[i + 1] : window.upperBound
                localEnds.append(end + offsets[i])
            }
            self.localStarts = localStarts
            self.localEnds = localEnds
        }

        /// True when the zone has one offset over the whole window (UTC, Asia/Shanghai after 1991 …).
        var isFixedInWindow: Bool { starts.count == 1 }

        /// UTC offset in seconds at `instant`.
        @inline(__always)
        func offset(atInstant instant: Int) -> Int {
            if starts.count == 1, window.contains(instant) { return offsets[0] }
            guard window.contains(instant) else { return slowOffset(atInstant: instant) }
            // Largest i with starts[i] <= instant.
            var lo = 0, hi = starts.count
            while hi - lo > 1 {
                let mid = (lo + hi) >> 1
                if starts[mid] <= instant { lo = mid } else { hi = mid }
            }
            return offsets[lo]
        }

        private func slowOffset(atInstant instant: Int) -> Int {
            timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))
        }

        /// Index of the segment that decides local reading `local`, and whether `local` lies in that
        /// segment (false: `local` falls in a gap, before the segment's first reading). Nil when
        /// `local` is outside the window.
        func segment(ofLocal local: Int) -> (index: Int, inside: Bool)? {
            guard local >= localStarts[0], local < localEnds[localEnds.count - 1] else { return nil }
            // First i with localEnds[i] > local (localEnds increase).
            var lo = -1, hi = localEnds.count - 1
            while hi - lo > 1 {
                let mid = (lo + hi) >> 1
                if localEnds[mid] > local { hi = mid } else { lo = mid }
            }
            return (hi, local >= localStarts[hi])
        }

        /// The earliest instant whose local reading is at or after `local`:
        /// - a reading that exists once: that instant;
        /// - a reading that exists twice (clocks set back): its first occurrence;
        /// - a reading that never exists (clocks set forward): the instant of the jump.
        func instant(ofLocal local: Int) -> Int {
            if let (i, inside) = segment(ofLocal: local) {
                return inside ? local - offsets[i] : starts[i]
            }
            return slowInstant(ofLocal: local)
        }

        /// Outside the window: ask the zone around `local` for its offsets.
        private func slowInstant(ofLocal local: Int) -> Int {
            let guess = local - slowOffset(atInstant: local)
            let candidates = Set([
                slowOffset(atInstant: guess - 86400), slowOffset(atInstant: guess), slowOffset(atInstant: guess + 86400),
            ]).sorted(by: >)
            // Largest offset first: the earliest instant.
            for o in candidates {
                let t = local - o
                if t + slowOffset(atInstant: t) == local { return t }
            }
            // A gap: the clocks jumped over `local`; answer the instant of the jump.
            let earliest = local - (candidates.first ?? 0)
            if let jump = timeZone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(earliest - 1))) {
                return Int(jump.timeIntervalSince1970.rounded(.down))
            }
            return guess
        }
    }

    /// Integer division rounding towards minus infinity.
    @inline(__always)
    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
