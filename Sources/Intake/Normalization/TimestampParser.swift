public import Foundation

/// Parses ISO 8601 timestamps as senders actually write them.
///
/// Accepted: `2026-03-01T09:30:00Z`, with fractional seconds (`.5`, `.123456`), with an offset
/// (`+01:00`, `+0100`, `+01`, `-05:00`), with a space instead of `T`, without seconds, and a
/// bare date (midnight). Without an offset the time is read as UTC, the only zone a machine
/// sender can be assumed to mean. Written by hand rather than with a date formatter: it is
/// faster, needs no shared formatter state, and rejects impossible dates (February 30).
public enum TimestampParser {
    public static func date(from text: String) -> Date? {
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.digits(4), scanner.skip("-"),
              let month = scanner.digits(2), scanner.skip("-"),
              let day = scanner.digits(2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        var seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
        if scanner.isAtEnd { return Date(timeIntervalSince1970: seconds) }
        guard scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
              let hour = scanner.digits(2), scanner.skip(":"), let minute = scanner.digits(2),
              hour < 24, minute < 60 else { return nil }
        seconds += Double(hour * 3600 + minute * 60)
        if scanner.skip(":") {
            guard let second = scanner.digits(2), second <= 60 else { return nil }
            seconds += Double(min(second, 59))
            if scanner.skip(".") || scanner.skip(",") {
                guard let fraction = scanner.fraction() else { return nil }
                seconds += fraction
            }
        }
        if scanner.isAtEnd || scanner.skip("Z") || scanner.skip("z") {
            return scanner.isAtEnd ? Date(timeIntervalSince1970: seconds) : nil
        }
        let sign: Double
        if scanner.skip("+") { sign = 1 } else if scanner.skip("-") { sign = -1 } else { return nil }
        guard let offsetHours = scanner.digits(2), offsetHours <= 18 else { return nil }
        var offsetMinutes = 0
        if scanner.skip(":") {
            guard let minutes = scanner.digits(2) else { return nil }
            offsetMinutes = minutes
        } else if !scanner.isAtEnd {
            guard let minutes = scanner.digits(2) else { return nil }
            offsetMinutes = minutes
        }
        guard scanner.isAtEnd, offsetMinutes < 60 else { return nil }
        seconds -= sign * Double(offsetHours * 3600 + offsetMinutes * 60)
        return Date(timeIntervalSince1970: seconds)
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var isAtEnd: Bool { position == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard position < bytes.count, bytes[position] == UInt8(character.value) else { return false }
            position += 1
            return true
        }

        mutating func digits(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[position..<position + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            position += count
            return value
        }

        /// Fractional seconds: one or more digits, precision beyond nanoseconds ignored.
        mutating func fraction() -> Double? {
            var numerator = 0
            var denominator = 1
            let start = position
            while position < bytes.count, (48...57).contains(bytes[position]) {
                if denominator < 1_000_000_000 {
                    numerator = numerator * 10 + Int(bytes[position] - 48)
                    denominator *= 10
                }
                position += 1
            }
            let value = Double(numerator) / Double(denominator)
            return position > start ? value : nil
        }
    }
}
