/// The person to score, as ingest knows them. Values are normalized on the way in
/// (domains lower case, industries and seniorities as identifiers) so that scoring only
/// compares.
public struct Lead: Sendable, Hashable {
    public let email: String?
    /// Lower case; taken from `email` when not given.
    public let emailDomain: String?
    /// Whether the address is a free-mail one, when the source knows; nil lets the rule
    /// set's free-mail list decide.
    public let isFreeMail: Bool?
    public let title: String?
    public let seniority: String?
    public let department: String?
    public let company: Company

    public init(email: String? = nil, emailDomain: String? = nil, isFreeMail: Bool? = nil, title: String? = nil,
                seniority: String? = nil, department: String? = nil, company: Company = Company()) {
        self.email = email
        let domain = emailDomain ?? email.flatMap { address in address.lastIndex(of: "@").map { String(address[$0...]) } }
        self.emailDomain = domain.map(Identifier.normalizeDomain).flatMap { $0.isEmpty ? nil : $0 }
        self.isFreeMail = isFreeMail
        self.title = title
        self.seniority = seniority.map(Identifier.normalize)
        self.department = department.map(Identifier.normalize)
        self.company = company
    }
}

/// The lead's company (its account).
public struct Company: Sendable, Hashable {
    public let industry: String?
    public let employeeCount: Int?
    /// Whole currency units.
    public let annualRevenue: Int64?
    /// ISO 3166-1 alpha-2, upper case.
    public let country: String?
    public let region: String?
    /// A segment the source already assigned; when nil, the employee band's label is used.
    public let segment: String?
    /// The rep who owns the account, if it already has one.
    public let accountOwner: RepID?

    public init(industry: String? = nil, employeeCount: Int? = nil, annualRevenue: Int64? = nil, country: String? = nil,
                region: String? = nil, segment: String? = nil, accountOwner: RepID? = nil) {
        self.industry = industry.map(Identifier.normalize)
        self.employeeCount = employeeCount
        self.annualRevenue = annualRevenue
        self.country = country.map(Identifier.normalizeCountry)
        self.region = region.map(Identifier.normalize)
        self.segment = segment.map(Identifier.normalize)
        self.accountOwner = accountOwner
    }
}
