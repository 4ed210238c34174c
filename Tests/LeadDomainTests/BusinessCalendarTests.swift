import Foundation
import Testing
@testable import LeadDomain

@Suite("Business calendar and SLA")
struct BusinessCalendarTests {
    static let weekdays: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]

    static func calendar(_ zone: String, opens: String = "09:00", closes: String = "17:00", days: [Weekday] = weekdays,
                         holidays: [String] = []) -> BusinessCalendar {
        BusinessCalendar(id: zone, timeZone: TimeZone(identifier: zone)!, workingDays: days, opens: LocalTime(opens)!,
                         closes: LocalTime(closes)!, holidays: holidays.map { LocalDate($0)! })!
    }

    let newYork = calendar("America/New_York", holidays: ["2026-11-26"])

    @Test func addsAcrossNightAndWeekend() {
        // Friday 2026-11-20 16:00 EST (21:00Z) + 2h → Monday 10:00 EST (15:00Z).
        let start = Fixtures.date("2026-11-20T21:00:00Z")
        #expect(newYork.adding(businessHours: 2, to: start) == Fixtures.date("2026-11-23T15:00:00Z"))
        // Ending exactly at closing time stays there.
        #expect(newYork.adding(businessHours: 1, to: start) == Fixtures.date("2026-11-20T22:00:00Z"))
        // Starting on Saturday begins at Monday's opening.
        #expect(newYork.adding(businessHours: 3, to: Fixtures.date("2026-11-21T15:00:00Z")) == Fixtures.date("2026-11-23T17:00:00Z"))
    }

    @Test func skipsHolidays() {
        // Wednesday 2026-11-25 16:00 EST + 2h: Thanksgiving (26th) is a holiday → Friday 10:00.
        let start = Fixtures.date("2026-11-25T21:00:00Z")
        #expect(newYork.adding(businessHours: 2, to: start) == Fixtures.date("2026-11-27T15:00:00Z"))
        #expect(!newYork.isWorkingDay(LocalDate("2026-11-26")!))
        #expect(newYork.businessSeconds(from: start, to: Fixtures.date("2026-11-27T15:00:00Z")) == 7200)
    }

    @Test func workingHoursFollowLocalTimeAcrossDST() {
        // New York leaves DST on 2026-11-01: 09:00 local is 13:00Z before and 14:00Z after.
        #expect(newYork.isWorkingTime(Fixtures.date("2026-10-30T13:30:00Z")))
        #expect(!newYork.isWorkingTime(Fixtures.date("2026-11-02T13:30:00Z")))
        #expect(newYork.isWorkingTime(Fixtures.date("2026-11-02T14:00:00Z")))
        // Friday 16:00 EDT + 2h → Monday 10:00 EST.
        #expect(newYork.adding(businessHours: 2, to: Fixtures.date("2026-10-30T20:00:00Z")) == Fixtures.date("2026-11-02T15:00:00Z"))
    }

    @Test func windowAcrossTheClockChangeHasItsRealLength() {
        // A 00:00–06:00 desk in Berlin, every day. On 2027-03-28 clocks jump 02:00 → 03:00,
        // so that night has 5 working hours.
        let desk = Self.calendar("Europe/Berlin", opens: "00:00", closes: "06:00", days: Weekday.allCases)
        let saturday = Fixtures.date("2027-03-26T23:00:00Z") // Sat 00:00 CET
        #expect(desk.adding(businessHours: 6, to: saturday) == Fixtures.date("2027-03-27T05:00:00Z"))
        #expect(desk.adding(businessHours: 11, to: saturday) == Fixtures.date("2027-03-28T04:00:00Z")) // Sun 06:00 CEST
        #expect(desk.businessSeconds(from: saturday, to: Fixtures.date("2027-03-29T04:00:00Z")) == 17 * 3600)
        // Autumn: 2026-10-25 03:00 → 02:00, a 7-hour night.
        let autumn = Fixtures.date("2026-10-24T22:00:00Z") // Sun 00:00 CEST
        #expect(desk.businessSeconds(from: autumn, to: Fixtures.date("2026-10-25T05:00:00Z")) == 7 * 3600)
    }

    @Test func addThenMeasureRoundTripsAcrossDST() {
        var generator = SplitMix64(seed: 0xCA1E_DA75)
        let calendars = [
            Self.calendar("America/New_York", holidays: ["2026-11-26", "2026-12-25", "2027-01-01"]),
            Self.calendar("America/New_York", opens: "00:30", closes: "03:30", days: Weekday.allCases),
            Self.calendar("Europe/Berlin", opens: "08:30", closes: "17:00", holidays: ["2026-12-24", "2026-12-25", "2027-03-29"]),
            Self.calendar("Europe/Berlin", opens: "01:00", closes: "04:00", days: Weekday.allCases),
            Self.calendar("Asia/Tokyo", opens: "09:00", closes: "18:00", holidays: ["2027-01-01", "2027-01-11"]),
        ]
        // Around every 2026–2027 clock change of both zones.
        let from = Fixtures.date("2026-09-01T00:00:00Z").timeIntervalSince1970
        let to = Fixtures.date("2027-12-01T00:00:00Z").timeIntervalSince1970
        for calendar in calendars {
            for _ in 0..<300 {
                let start = Date(timeIntervalSince1970: Double(Int.random(in: Int(from)...Int(to), using: &generator)))
                let seconds = Double(Int.random(in: 0...(300 * 3600), using: &generator))
                let end = calendar.adding(businessSeconds: seconds, to: start)
                #expect(end >= start)
                #expect(calendar.businessSeconds(from: start, to: end) == seconds, "\(calendar.id) \(start) +\(seconds)s")
                #expect(calendar.businessSeconds(from: end, to: start) == -seconds)
                let hours = Int.random(in: 1...80, using: &generator)
                let endHours = calendar.adding(businessHours: hours, to: start)
                #expect(calendar.businessSeconds(from: start, to: endHours) == Double(hours * 3600))
                #expect(calendar.isWorkingTime(endHours.addingTimeInterval(-1)))
            }
        }
    }

    @Test func slaPlanGivesDeadlineAndWindowEnd() throws {
        let rules = try Fixtures.exampleRules()
        let calendar = try #require(rules.calendar(for: "priya.raman@northwind.example"))
        // Friday 2026-11-20 16:45 EST; New York hours 09:00–17:30; 2 business hours.
        let assigned = Fixtures.date("2026-11-20T21:45:00Z")
        let plan = rules.sla.plan(assignedAt: assigned, calendar: calendar)
        // 45 minutes on Friday, 75 minutes on Monday → Monday 10:15 EST.
        #expect(plan.firstTouchDeadline == Fixtures.date("2026-11-23T15:15:00Z"))
        // 10 working days after Friday, skipping Thanksgiving and the day after:
        // Nov 23, 24, 25, 30, Dec 1, 2, 3, 4, 7, 8 → close of Dec 8, 17:30 EST.
        #expect(plan.windowEnd == Fixtures.date("2026-12-08T22:30:00Z"))
        #expect(plan.minimumCalls == 3)
        #expect(plan.calendarID == "new_york")
    }

    @Test func slaCheckFindsBreachesAndActions() throws {
        let rules = try Fixtures.exampleRules()
        let calendar = try #require(rules.calendar(id: "new_york"))
        let plan = rules.sla.plan(assignedAt: Fixtures.date("2026-11-20T21:45:00Z"), calendar: calendar)
        let beforeDeadline = plan.firstTouchDeadline.addingTimeInterval(-60)
        #expect(plan.check(firstTouchAt: nil, calls: 0, emails: 0, now: beforeDeadline).breaches.isEmpty)

        let late = plan.check(firstTouchAt: nil, calls: 0, emails: 0, now: plan.firstTouchDeadline.addingTimeInterval(60))
        #expect(late.breaches == [.firstTouchMissed])
        #expect(late.actions == [.notifyManager])

        let onTime = plan.check(firstTouchAt: beforeDeadline, calls: 3, emails: 3, now: plan.windowEnd)
        #expect(onTime.breaches.isEmpty)
        #expect(onTime.actions == [.recycle])
        #expect(onTime.windowEnded)

        let short = plan.check(firstTouchAt: beforeDeadline, calls: 1, emails: 3, now: plan.windowEnd)
        #expect(short.breaches == [.touchMinimumMissed(callsShort: 2, emailsShort: 0)])
        #expect(short.actions == [.notifyManager, .recycle])

        var reassigning = rules.sla
        reassigning.onBreach = .reassignToNextRep
        let plan2 = reassigning.plan(assignedAt: plan.assignedAt, calendar: calendar)
        #expect(plan2.check(firstTouchAt: plan.firstTouchDeadline.addingTimeInterval(1), calls: 0, emails: 0, now: plan.firstTouchDeadline)
            .actions == [.reassignToNextRep])
    }

    @Test func localValuesParseStrictly() {
        #expect(LocalTime("24:00") != nil)
        #expect(LocalTime("24:01") == nil)
        #expect(LocalTime("9:00") == nil)
        #expect(LocalDate("2027-02-29") == nil)
        #expect(LocalDate("2028-02-29") != nil)
        #expect(LocalDate("2026-1-01") == nil)
    }
}
