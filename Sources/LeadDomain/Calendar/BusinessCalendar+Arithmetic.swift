public import Foundation

extension BusinessCalendar {
    /// The instant reached after `businessSeconds` of working time from `start`.
    ///
    /// Time outside working windows (nights, weekends, holidays) does not count. When the
    /// sum ends exactly at a closing time the result is that closing time, not the next
    /// opening, so that `businessSeconds(from:to:)` of the result gives the amount back.
    public func adding(businessSeconds: TimeInterval, to start: Date) -> Date {
        guard businessSeconds > 0 else { return start }
        var remaining = businessSeconds
        var date = localDate(of: start)
        // Windows never cross midnight, so walking local days from the start's day is enough;
        // there is always a working day ahead because the calendar has at least one weekday.
        while true {
            if let window = workingWindow(on: date), window.end > start {
                let from = Swift.max(start, window.start)
                let available = window.end.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining) }
                remaining -= available
            }
            date = day(after: date)
        }
    }

    /// Adds whole business hours; see `adding(businessSeconds:to:)`.
    public func adding(businessHours: Int, to start: Date) -> Date {
        adding(businessSeconds: TimeInterval(businessHours) * 3600, to: start)
    }

    /// Working time between two instants, in seconds; negative when `end` is before `start`.
    public func businessSeconds(from start: Date, to end: Date) -> TimeInterval {
        guard start <= end else { return -businessSeconds(from: end, to: start) }
        var total: TimeInterval = 0
        var date = localDate(of: start)
        let last = localDate(of: end)
        while date <= last {
            if let window = workingWindow(on: date) {
                let from = Swift.max(start, window.start)
                let to = Swift.min(end, window.end)
                if from < to { total += to.timeIntervalSince(from) }
            }
            date = day(after: date)
        }
        return total
    }

    /// Closing time of the `workingDays`-th working day after the day of `start` (the day
    /// of `start` itself does not count, so a lead assigned late in the day still gets
    /// whole days). Used for the end of an SLA working window.
    public func closeOfBusiness(workingDaysAfter workingDays: Int, from start: Date) -> Date {
        var date = localDate(of: start)
        var counted = 0
        while true {
            date = day(after: date)
            if let window = workingWindow(on: date) {
                counted += 1
                if counted >= Swift.max(workingDays, 1) { return window.end }
            }
        }
    }
}
