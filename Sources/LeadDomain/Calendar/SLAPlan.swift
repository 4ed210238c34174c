public import Foundation

/// An assignment's SLA: the deadlines computed once at handoff, in the rep's calendar.
public struct SLAPlan: Sendable, Hashable {
    public let assignedAt: Date
    public let firstTouchDeadline: Date
    /// Close of business of the last working day of the window.
    public let windowEnd: Date
    public let minimumCalls: Int
    public let minimumEmails: Int
    public let onBreach: SLAPolicy.BreachAction
    public let recycleWhenWindowEnds: Bool
    public let calendarID: String

    /// Where an open (not yet converted) assignment stands at `now`.
    ///
    /// - First touch is breached when it came after the deadline, or has not come and the
    ///   deadline has passed.
    /// - The touch minimum is judged when the window has ended.
    /// - Each breach asks for the policy's breach action; an ended window also asks for
    ///   recycling when the policy says so.
    public func check(firstTouchAt: Date?, calls: Int, emails: Int, now: Date) -> SLAStatus {
        var breaches: [SLABreach] = []
        let lateTouch = firstTouchAt.map { $0 > firstTouchDeadline } ?? (now > firstTouchDeadline)
        if lateTouch { breaches.append(.firstTouchMissed) }
        let windowEnded = now >= windowEnd
        if windowEnded && (calls < minimumCalls || emails < minimumEmails) {
            breaches.append(.touchMinimumMissed(callsShort: max(0, minimumCalls - calls), emailsShort: max(0, minimumEmails - emails)))
        }
        var actions: [SLAAction] = []
        if !breaches.isEmpty {
            actions.append(onBreach == .notifyManager ? .notifyManager : .reassignToNextRep)
        }
        if windowEnded && recycleWhenWindowEnds { actions.append(.recycle) }
        return SLAStatus(breaches: breaches, actions: actions, windowEnded: windowEnded)
    }
}

public struct SLAStatus: Sendable, Hashable {
    public let breaches: [SLABreach]
    public let actions: [SLAAction]
    public let windowEnded: Bool
}

public enum SLABreach: Sendable, Hashable {
    case firstTouchMissed
    case touchMinimumMissed(callsShort: Int, emailsShort: Int)
}

public enum SLAAction: String, Sendable, Hashable, Codable {
    case notifyManager = "notify_manager"
    case reassignToNextRep = "reassign_next_rep"
    /// Back to nurture with reason `sla_window_expired`.
    case recycle
}

extension SLAPolicy {
    /// The deadlines for an assignment made at `assignedAt` to a rep working by `calendar`.
    public func plan(assignedAt: Date, calendar: BusinessCalendar) -> SLAPlan {
        SLAPlan(assignedAt: assignedAt,
                firstTouchDeadline: calendar.adding(businessHours: firstTouchBusinessHours, to: assignedAt),
                windowEnd: calendar.closeOfBusiness(workingDaysAfter: workingWindowBusinessDays, from: assignedAt),
                minimumCalls: minimumCalls, minimumEmails: minimumEmails, onBreach: onBreach,
                recycleWhenWindowEnds: recycleWhenWindowEnds, calendarID: calendar.id)
    }
}
