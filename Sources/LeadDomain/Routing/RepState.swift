/// A rep's live state at routing time, read by the caller (from the database) and passed in.
public struct RepState: Sendable, Hashable {
    public var rep: RepID
    public var isActive: Bool
    /// Away now, on top of the out-of-office days in the rule file.
    public var isOutOfOffice: Bool
    /// Leads currently assigned and open.
    public var openLoad: Int
    /// Overrides the team member's capacity when set.
    public var capacity: Int?

    public init(rep: RepID, isActive: Bool = true, isOutOfOffice: Bool = false, openLoad: Int = 0, capacity: Int? = nil) {
        self.rep = rep
        self.isActive = isActive
        self.isOutOfOffice = isOutOfOffice
        self.openLoad = openLoad
        self.capacity = capacity
    }
}
