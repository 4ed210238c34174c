public import Foundation

/// A closed lead from the closed loop: what it was and did, and how it ended.
public struct HistoricalLead: Sendable, Hashable {
    public var lead: Lead
    public var activities: [Activity]
    /// The instant to score it at, typically when it was handed to sales (or created).
    public var evaluatedAt: Date
    public var outcome: Outcome

    public init(lead: Lead, activities: [Activity], evaluatedAt: Date, outcome: Outcome) {
        self.lead = lead
        self.activities = activities
        self.evaluatedAt = evaluatedAt
        self.outcome = outcome
    }
}

/// How a closed lead ended. Every lead given to calibration counts as closed; a won
/// lead has also reached SQL.
public struct Outcome: Sendable, Hashable {
    public let reachedSQL: Bool
    public let won: Bool

    public init(reachedSQL: Bool, won: Bool) {
        self.reachedSQL = reachedSQL || won
        self.won = won
    }

    public static let won = Outcome(reachedSQL: true, won: true)
    public static let lostAfterSQL = Outcome(reachedSQL: true, won: false)
    public static let lostBeforeSQL = Outcome(reachedSQL: false, won: false)
}
