/// What sales owes a handed-off lead: a first touch within business hours, a minimum
/// number of calls and e-mails within a working window, and what happens otherwise.
public struct SLAPolicy: Sendable, Hashable {
    public enum BreachAction: String, Sendable, Hashable, CaseIterable {
        case notifyManager = "notify_manager"
        case reassignToNextRep = "reassign_next_rep"
    }

    /// Allowed: 1…720.
    public var firstTouchBusinessHours: Int
    /// Working days after the assignment day. Allowed: 1…365.
    public var workingWindowBusinessDays: Int
    public var minimumCalls: Int
    public var minimumEmails: Int
    public var onBreach: BreachAction
    /// Recycle a lead to nurture when its window ends unconverted.
    public var recycleWhenWindowEnds: Bool

    public init(firstTouchBusinessHours: Int, workingWindowBusinessDays: Int, minimumCalls: Int = 0, minimumEmails: Int = 0,
                onBreach: BreachAction = .notifyManager, recycleWhenWindowEnds: Bool = true) {
        self.firstTouchBusinessHours = firstTouchBusinessHours
        self.workingWindowBusinessDays = workingWindowBusinessDays
        self.minimumCalls = minimumCalls
        self.minimumEmails = minimumEmails
        self.onBreach = onBreach
        self.recycleWhenWindowEnds = recycleWhenWindowEnds
    }
}

extension SLAPolicy {
    static func read(_ field: Field) -> SLAPolicy? {
        field.object { reader in
            let firstTouch = reader.required("first_touch_business_hours") { $0.int(in: 1...720) }
            let window = reader.required("working_window_business_days") { $0.int(in: 1...365) }
            let calls = reader.optional("minimum_calls") { $0.int(in: 0...100) } ?? 0
            let emails = reader.optional("minimum_emails") { $0.int(in: 0...100) } ?? 0
            let onBreach = reader.required("on_breach") { $0.choice(BreachAction.allCases.map { ($0.rawValue, $0) }) }
            let recycle = reader.optional("recycle_when_window_ends") { $0.bool() } ?? true
            guard let firstTouch, let window, let onBreach else { return nil }
            return SLAPolicy(firstTouchBusinessHours: firstTouch, workingWindowBusinessDays: window, minimumCalls: calls,
                             minimumEmails: emails, onBreach: onBreach, recycleWhenWindowEnds: recycle)
        }
    }

    var configNode: ConfigNode {
        .mapping([
            ("first_touch_business_hours", .integer(firstTouchBusinessHours)),
            ("working_window_business_days", .integer(workingWindowBusinessDays)),
            ("minimum_calls", .integer(minimumCalls)),
            ("minimum_emails", .integer(minimumEmails)),
            ("on_breach", .string(onBreach.rawValue)),
            ("recycle_when_window_ends", .boolean(recycleWhenWindowEnds)),
        ])
    }
}
