public import Foundation

/// Working days and hours in one time zone, with holidays: the clock that SLA deadlines
/// and working-hours checks run on.
///
/// Each working day has one window, `opens`…`closes` local time. Windows are turned into
/// instants through a Gregorian `Calendar` in the calendar's own time zone, so a day on
/// which clocks change has the real length of its window (for a 09:00–17:00 window that is
/// still 8 hours; for a window across 02:00 it is one hour shorter or longer).
public struct BusinessCalendar: Sendable, Hashable {
    public let id: String
    public let timeZone: TimeZone
    /// Sorted Monday first.
    public let workingDays: [Weekday]
    public let opens: LocalTime
    public let closes: LocalTime
    /// Sorted.
    public let holidays: [LocalDate]

    let gregorian: Calendar
    private let holidaySet: Set<LocalDate>
    private let workingWeekdays: Set<Int>

    /// Returns nil when `closes` is not after `opens`, or when there is no working day.
    public init?(id: String, timeZone: TimeZone, workingDays: some Sequence<Weekday>, opens: LocalTime, closes: LocalTime,
                 holidays: some Sequence<LocalDate> = []) {
        guard opens < closes, workingDays.contains(where: { _ in true }) else { return nil }
        self.id = id
        self.timeZone = timeZone
        self.workingDays = Array(Set(workingDays)).sorted()
        self.opens = opens
        self.closes = closes
        self.holidays = Array(Set(holidays)).sorted()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.gregorian = calendar
        self.holidaySet = Set(self.holidays)
        self.workingWeekdays = Set(self.workingDays.map(\.gregorianWeekday))
    }

    public static func == (lhs: BusinessCalendar, rhs: BusinessCalendar) -> Bool {
        lhs.id == rhs.id && lhs.timeZone.identifier == rhs.timeZone.identifier && lhs.workingDays == rhs.workingDays
            && lhs.opens == rhs.opens && lhs.closes == rhs.closes && lhs.holidays == rhs.holidays
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(timeZone.identifier)
        hasher.combine(workingDays)
        hasher.combine(opens)
        hasher.combine(closes)
        hasher.combine(holidays)
    }

    /// The local calendar day of an instant.
    public func localDate(of instant: Date) -> LocalDate {
        let parts = gregorian.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year ?? 1, month: parts.month ?? 1, day: parts.day ?? 1)!
    }

    /// Whether a local day is a working day (right weekday and not a holiday).
    public func isWorkingDay(_ date: LocalDate) -> Bool {
        guard !holidaySet.contains(date), let noon = instant(on: date, at: LocalTime(hour: 12, minute: 0)!) else { return false }
        return workingWeekdays.contains(gregorian.component(.weekday, from: noon))
    }

    /// Whether `instant` falls inside a working window (opening inclusive, closing exclusive).
    public func isWorkingTime(_ instant: Date) -> Bool {
        guard let window = workingWindow(on: localDate(of: instant)) else { return false }
        return window.start <= instant && instant < window.end
    }

    /// The working window of a local day as instants, or nil on a non-working day.
    public func workingWindow(on date: LocalDate) -> DateInterval? {
        guard isWorkingDay(date), let start = instant(on: date, at: opens), let end = instant(on: date, at: closes),
              start < end else { return nil }
        return DateInterval(start: start, end: end)
    }

    /// The instant of a local wall-clock time. A time skipped by a clock change resolves to
    /// the instant just after the gap, as Foundation does.
    func instant(on date: LocalDate, at time: LocalTime) -> Date? {
        var parts = DateComponents()
        parts.year = date.year
        parts.month = date.month
        parts.day = date.day
        if time.hour == 24 {
            parts.day = date.day + 1
            parts.hour = 0
        } else {
            parts.hour = time.hour
        }
        parts.minute = time.minute
        return gregorian.date(from: parts)
    }

    /// The next local day.
    func day(after date: LocalDate) -> LocalDate {
        if date.day < LocalDate.days(inMonth: date.month, year: date.year) {
            return LocalDate(year: date.year, month: date.month, day: date.day + 1)!
        }
        if date.month < 12 { return LocalDate(year: date.year, month: date.month + 1, day: 1)! }
        return LocalDate(year: date.year + 1, month: 1, day: 1)!
    }
}
