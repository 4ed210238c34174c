/// A sales rep as the rule file knows them: where their working hours come from, whom to
/// escalate to, and planned time away. Live state (active, load) comes in `RepState`.
public struct Rep: Sendable, Hashable {
    public var id: RepID
    /// Id of a calendar in the rule set; nil means the rule set's default calendar.
    public var calendar: String?
    /// Who is notified when this rep breaches an SLA.
    public var manager: RepID?
    /// Local days (in the rep's calendar) on which the rep is away, inclusive.
    public var outOfOffice: [LocalDateRange]

    public init(id: RepID, calendar: String? = nil, manager: RepID? = nil, outOfOffice: [LocalDateRange] = []) {
        self.id = id
        self.calendar = calendar
        self.manager = manager
        self.outOfOffice = outOfOffice
    }
}

/// A group of reps that shares leads by weighted round robin.
public struct Team: Sendable, Hashable {
    public var id: String
    /// Never empty; in file order (which is also the tie-break order of the round robin).
    public var members: [Member]

    public init(id: String, members: [Member]) {
        self.id = id
        self.members = members
    }

    public struct Member: Sendable, Hashable {
        public var rep: RepID
        /// Relative share of the team's leads. Allowed: 1…1000.
        public var weight: Int
        /// Most open leads at once; nil means no cap.
        public var capacity: Int?

        public init(rep: RepID, weight: Int = 1, capacity: Int? = nil) {
            self.rep = rep
            self.weight = weight
            self.capacity = capacity
        }
    }
}
