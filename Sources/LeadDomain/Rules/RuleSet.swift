/// The scoring, lifecycle, routing and SLA rules that marketing and sales agreed on: data,
/// versioned, read from a YAML file or from the JSON stored in the database.
///
/// Keyed collections (behaviour rules, calendars) are kept sorted by id, so a rule set has
/// one canonical form whatever the order of its source; ordered ones (routing rules,
/// team members) keep file order because their order means something.
public struct RuleSet: Sendable, Hashable {
    /// The rule set's own version label from the file. The database assigns numeric
    /// versions later; `Scorer` records whichever `RuleVersion` it is given.
    public var version: String
    public var name: String?
    public var thresholds: Thresholds
    public var icp: IdealCustomerProfile
    public var negativeFit: NegativeFit
    public var personas: [Persona]
    /// Sorted by id.
    public var behaviour: [BehaviourRule]
    /// Sorted by id.
    public var calendars: [BusinessCalendar]
    /// Id of the calendar for reps without one of their own.
    public var defaultCalendar: String
    public var reps: [Rep]
    public var teams: [Team]
    /// In order of evaluation.
    public var routing: [RoutingRule]
    /// Gets the lead when no routing rule yields an eligible rep.
    public var defaultOwner: RepID
    public var sla: SLAPolicy

    public init(version: String, name: String? = nil, thresholds: Thresholds, icp: IdealCustomerProfile = IdealCustomerProfile(),
                negativeFit: NegativeFit = NegativeFit(), personas: [Persona] = [], behaviour: [BehaviourRule] = [],
                calendars: [BusinessCalendar], defaultCalendar: String, reps: [Rep], teams: [Team] = [],
                routing: [RoutingRule] = [], defaultOwner: RepID, sla: SLAPolicy) {
        self.version = version
        self.name = name
        self.thresholds = thresholds
        self.icp = icp
        self.negativeFit = negativeFit
        self.personas = personas
        self.behaviour = behaviour.sorted { $0.id < $1.id }
        self.calendars = calendars.sorted { $0.id < $1.id }
        self.defaultCalendar = defaultCalendar
        self.reps = reps
        self.teams = teams
        self.routing = routing
        self.defaultOwner = defaultOwner
        self.sla = sla
    }

    public func calendar(id: String) -> BusinessCalendar? { calendars.first { $0.id == id } }
    public func rep(id: RepID) -> Rep? { reps.first { $0.id == id } }
    public func team(id: String) -> Team? { teams.first { $0.id == id } }

    /// The calendar a rep works by: their own, else the default.
    public func calendar(for rep: RepID) -> BusinessCalendar? {
        calendar(id: self.rep(id: rep)?.calendar ?? defaultCalendar)
    }
}
