import Foundation

/// Text form of `timestamptz` without DateFormatter: the connection pins DateStyle to
/// ISO, so values read as `2026-11-23 09:32:11.123456+00` (offset may carry minutes).
enum PostgresTimestamp {
    private static let microsPerSecond: Int64 = 1_000_000

    static func format(_ date: Date) -> String {
        let totalMicros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = totalMicros / microsPerSecond
        var micros = totalMicros % microsPerSecond
        if micros < 0 {
            micros += microsPerSecond
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) "
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
            + ".\(pad(micros, 6))+00"
    }

    /// Parses `YYYY-MM-DD[ HH:MM:SS[.ffffff]][±HH[:MM[:SS]]]`; a bare date is midnight UTC.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        if bytes.elementsEqual("infinity".utf8) { return .distantFuture }
        if bytes.elementsEqual("-infinity".utf8) { return .distantPast }
        var cursor = Cursor(bytes: bytes)
        guard let year = cursor.number(digits: 4), cursor.skip("-"),
              let month = cursor.number(digits: 2), cursor.skip("-"),
              let day = cursor.number(digits: 2)
        else { return nil }
        var secondOfDay: Int64 = 0
        var micros: Int64 = 0
        var offsetSeconds: Int64 = 0
        if cursor.skip(" ") || cursor.skip("T") {
            guard let hour = cursor.number(digits: 2), cursor.skip(":"),
                  let minute = cursor.number(digits: 2), cursor.skip(":"),
                  let second = cursor.number(digits: 2)
            else { return nil }
            secondOfDay = hour * 3600 + minute * 60 + second
            if cursor.skip(".") {
                var scale: Int64 = 100_000
                while let digit = cursor.digit() {
                    micros += digit * scale
                    scale /= 10
                }
            }
            if let sign = cursor.sign() {
                guard let hours = cursor.number(digits: 2) else { return nil }
                var offset = hours * 3600
                if cursor.skip(":"), let minutes = cursor.number(digits: 2) { offset += minutes * 60 }
                if cursor.skip(":"), let seconds = cursor.number(digits: 2) { offset += seconds }
                offsetSeconds = sign * offset
            }
        }
        guard cursor.atEnd else { return nil }
        let seconds = days(fromYear: year, month: month, day: day) * 86_400 + secondOfDay - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    // Howard Hinnant's days-from-civil and its inverse, on the proleptic Gregorian calendar.
    private static func days(fromYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int64? {
            guard index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 else { return nil }
            defer { index += 1 }
            return Int64(bytes[index] - 48)
        }

        mutating func number(digits: Int) -> Int64? {
            var value: Int64 = 0
            for _ in 0..<digits {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            // Years past 9999 carry more digits.
            while digits == 4, let digit = digit() { value = value * 10 + digit }
            return value
        }

        mutating func sign() -> Int64? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }
    }
}
