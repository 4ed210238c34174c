import Foundation

/// Decayed points by whole day of age, so that scoring an activity mostly skips `exp2`
/// and still gives exactly what `DecayTable.points(_:halfLife:age:)` gives.
///
/// The formula, `points × 2^(−age / half-life)` rounded half away from zero, is monotone
/// in age. A day is stored when the values at its two ends round alike with a margin of
/// `margin` on both sides; every age inside it then rounds alike too, since the
/// formula's floating-point error stays below 1e-12 point (at most ±1,000 points, and
/// `x · 2^−x` is small for every exponent `x`). Days that straddle a half point hold
/// `exact`, as do ages past the table: those take the formula itself.
struct DecayTable: Sendable {
    /// Where one rule's days are.
    struct Span: Sendable {
        let start: Int
        let days: Int
        /// From this age (seconds) on the value is 0 for good; infinity when it never is.
        let zeroFrom: Double

        static let none = Span(start: 0, days: 0, zeroFrom: .infinity)
    }

    /// A day whose value only the formula gives.
    static let exact = Int32.min
    static let day = 86_400.0
    /// Far above the formula's error, far below the gap between two half points.
    static let margin = 1e-6
    /// Ages past this many days take the formula (rules that take years to decay to 0).
    static let maximumDays = 1_024

    private(set) var values: [Int32] = []

    /// The decayed value of `points` at `age` seconds, for a half-life in seconds.
    @inline(__always)
    static func points(_ points: Int, halfLife: Double, age: Double) -> Int {
        Int((Double(points) * exp2(-age / halfLife)).rounded(.toNearestOrAwayFromZero))
    }

    /// Adds the days of one rule; `halfLife` in seconds.
    mutating func add(points: Int, halfLife: Double) -> Span {
        let magnitude = Double(points.magnitude)
        guard halfLife > 0, halfLife.isFinite, points != 0, magnitude <= 1_000_000 else { return .none }
        // |value| at the start of `day`, before rounding.
        func unrounded(_ day: Int) -> Double { magnitude * exp2(-(Double(day) * Self.day) / halfLife) }
        func rounded(_ value: Double) -> Double { (value + 0.5).rounded(.down) }
        var zeroDay = Int(min(1e9, (halfLife * log2(magnitude / (0.5 - Self.margin)) / Self.day).rounded(.up)))
        while rounded(unrounded(zeroDay) + Self.margin) != 0 { zeroDay += 1 }
        while zeroDay > 0 && rounded(unrounded(zeroDay - 1) + Self.margin) == 0 { zeroDay -= 1 }
        let start = values.count
        let days = min(zeroDay, Self.maximumDays)
        var high = unrounded(0)
        for day in 0..<days {
            let low = unrounded(day + 1)
            let value = rounded(high + Self.margin)
            values.append(value == rounded(low - Self.margin) ? Int32(points.signum()) * Int32(value) : Self.exact)
            high = low
        }
        return Span(start: start, days: days, zeroFrom: Double(zeroDay) * Self.day)
    }
}
