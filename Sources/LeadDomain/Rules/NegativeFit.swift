/// What makes a lead fit worse: free-mail and disposable addresses, excluded industries,
/// competitors, and titles of students or job seekers. Every penalty is optional and
/// carries its own (zero or negative) points.
public struct NegativeFit: Sendable, Hashable {
    public var freeMail: DomainPenalty?
    public var disposableMail: DomainPenalty?
    public var competitors: DomainPenalty?
    public var excludedIndustries: ListPenalty?
    /// Title patterns, matched on whole words like persona titles.
    public var titles: ListPenalty?

    public init(freeMail: DomainPenalty? = nil, disposableMail: DomainPenalty? = nil, competitors: DomainPenalty? = nil,
                excludedIndustries: ListPenalty? = nil, titles: ListPenalty? = nil) {
        self.freeMail = freeMail
        self.disposableMail = disposableMail
        self.competitors = competitors
        self.excludedIndustries = excludedIndustries
        self.titles = titles
    }

    /// Points for an e-mail domain in a list.
    public struct DomainPenalty: Sendable, Hashable {
        public var points: Int
        /// Lower-case domains, sorted.
        public var domains: [String]
        /// Adds `KnownEmailDomains` (free-mail or disposable) to `domains` when compiled.
        /// Off by default so that a stored rule version scores the same in every release.
        public var includeStandardList: Bool

        public init(points: Int, domains: [String], includeStandardList: Bool = false) {
            self.points = points
            self.domains = domains
            self.includeStandardList = includeStandardList
        }
    }

    /// Points for a value in a list (industries or title patterns).
    public struct ListPenalty: Sendable, Hashable {
        public var points: Int
        public var values: [String]

        public init(points: Int, values: [String]) {
            self.points = points
            self.values = values
        }
    }
}
