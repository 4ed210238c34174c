public import Foundation

/// A lead's score at one instant, with the reasons for every point.
public struct Score: Sendable, Hashable {
    /// Sum of `breakdown.fit`.
    public let fit: Int
    /// Sum of `breakdown.interest`.
    public let interest: Int
    public let quadrant: Quadrant
    public let breakdown: Breakdown
    /// The rule version that produced this score, as given to the `Scorer`.
    public let ruleVersion: RuleVersion
    /// The latest fast-track action at or before `evaluatedAt`, if any.
    public let fastTrack: FastTrack?
    /// The "now" the score was evaluated at (decay depends on it).
    public let evaluatedAt: Date
    /// Whether `total` reached the rule set's MQL threshold.
    public let meetsMQLThreshold: Bool

    public var total: Int { fit + interest }

    /// The points of `contributions`, read in place: iterating would copy each one.
    static func sum(_ contributions: [Contribution]) -> Int {
        var total = 0
        for index in contributions.indices { total += contributions[index].points }
        return total
    }

    public struct Breakdown: Sendable, Hashable {
        public let fit: [Contribution]
        public let interest: [Contribution]
    }

    public init(fit: [Contribution], interest: [Contribution], quadrant: Quadrant, ruleVersion: RuleVersion,
                fastTrack: FastTrack?, evaluatedAt: Date, meetsMQLThreshold: Bool) {
        self.init(fit: fit, fitTotal: Self.sum(fit), interest: interest, interestTotal: Self.sum(interest), quadrant: quadrant,
                  ruleVersion: ruleVersion, fastTrack: fastTrack, evaluatedAt: evaluatedAt, meetsMQLThreshold: meetsMQLThreshold)
    }

    /// For the scorer, which has the totals already.
    init(fit: [Contribution], fitTotal: Int, interest: [Contribution], interestTotal: Int, quadrant: Quadrant,
         ruleVersion: RuleVersion, fastTrack: FastTrack?, evaluatedAt: Date, meetsMQLThreshold: Bool) {
        self.fit = fitTotal
        self.interest = interestTotal
        self.breakdown = Breakdown(fit: fit, interest: interest)
        self.quadrant = quadrant
        self.ruleVersion = ruleVersion
        self.fastTrack = fastTrack
        self.evaluatedAt = evaluatedAt
        self.meetsMQLThreshold = meetsMQLThreshold
    }
}

/// Fit × interest.
public enum Quadrant: String, Sendable, Hashable, CaseIterable, Codable {
    /// High fit, high interest: sales follows up at once.
    case hot
    /// High fit, low interest: stays with marketing.
    case nurture
    /// Low fit, high interest: a cheap touch, watched for surprises.
    case lowCostApproach = "low_cost_approach"
    /// Low fit, low interest.
    case discard

    public init(fit: Int, interest: Int, thresholds: Thresholds) {
        switch (fit >= thresholds.fitCutoff, interest >= thresholds.interestCutoff) {
        case (true, true): self = .hot
        case (true, false): self = .nurture
        case (false, true): self = .lowCostApproach
        case (false, false): self = .discard
        }
    }
}

/// Which rule version scored a lead. The file carries a label; the database adds a number.
public struct RuleVersion: Sendable, Hashable, Codable, CustomStringConvertible {
    public var label: String
    public var number: Int64?

    public init(label: String, number: Int64? = nil) {
        self.label = label
        self.number = number
    }

    public var description: String { number.map { "#\($0) (\(label))" } ?? label }
}

/// A fast-track action found among the activities.
public struct FastTrack: Sendable, Hashable {
    /// The behaviour rule id ("demo_request").
    public let rule: String
    public let target: Stage
    public let occurredAt: Date
}
