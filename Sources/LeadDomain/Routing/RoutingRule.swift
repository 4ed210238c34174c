/// One step of the routing order. Rules are tried in order and the first that yields an
/// eligible rep wins; the rule set's default owner is the last resort.
public struct RoutingRule: Sendable, Hashable {
    public var id: String
    /// Which leads the rule applies to; an empty criterion matches every lead.
    public var when: Territory
    public var assign: Assignment

    public init(id: String, when: Territory = Territory(), assign: Assignment) {
        self.id = id
        self.when = when
        self.assign = assign
    }

    public enum Assignment: Sendable, Hashable {
        /// The owner of the lead's account, when it has one.
        case accountOwner
        case rep(RepID)
        /// The team's weighted round robin.
        case team(String)
    }

    /// Match criteria. Every non-empty list must contain the lead's value.
    public struct Territory: Sendable, Hashable {
        /// ISO country codes, upper case.
        public var countries: [String]
        public var regions: [String]
        public var industries: [String]
        /// Employee-band labels (`enterprise`) or the company's own segment.
        public var segments: [String]

        public init(countries: [String] = [], regions: [String] = [], industries: [String] = [], segments: [String] = []) {
            self.countries = countries
            self.regions = regions
            self.industries = industries
            self.segments = segments
        }

        public var isEmpty: Bool { countries.isEmpty && regions.isEmpty && industries.isEmpty && segments.isEmpty }
    }
}
