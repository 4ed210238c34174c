/// Who gets a lead, by which rule, and who was passed over and why (for the audit log).
public struct RoutingDecision: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case accountOwner
        case rep
        case team(String)
        case defaultOwner
    }

    public let rep: RepID
    public let source: Source
    /// The routing rule that matched; nil when the default owner got the lead.
    public let ruleID: String?
    public let skipped: [SkippedRep]
    /// The new round-robin state of the team that assigned the lead, to store; nil when
    /// no team assigned it.
    public let roundRobin: RoundRobinState?
}

public struct SkippedRep: Sendable, Hashable {
    public let rep: RepID
    public let ruleID: String
    public let reason: SkipReason
}

public enum SkipReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// No live state was given for the rep.
    case noState = "no_state"
    case inactive
    case outOfOffice = "out_of_office"
    case outsideWorkingHours = "outside_working_hours"
    case atCapacity = "at_capacity"
    /// The caller ruled the rep out for this lead (see `Router.route(_:reps:roundRobin:at:excluding:)`).
    case excluded
}
