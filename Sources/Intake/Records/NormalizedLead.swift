/// A lead that passed intake: trimmed, with empty fields as nil, a valid lower-case e-mail,
/// an ISO country code and numbers read from free-form text.
public struct NormalizedLead: Sendable, Hashable, Codable {
    /// Lower case and validated; the lead's identity.
    public var email: String
    /// The part after the `@`, lower case (`example.com`).
    public var emailDomain: String
    /// True when ``emailDomain`` is in the free-mail list the normalizer was given.
    public var isFreeMail: Bool
    public var firstName: String?
    public var lastName: String?
    public var title: String?
    public var company: String?
    public var industry: String?
    /// Lower bound of the employee count as given ("1,000-5,000" → 1000).
    public var employees: Int?
    /// Lower bound of annual revenue in whole currency units ("$2.5M" → 2,500,000). The currency
    /// itself is not converted.
    public var annualRevenue: Int64?
    /// ISO 3166-1 alpha-2, upper case (`DE`); nil when absent or unknown.
    public var countryCode: String?
    public var phone: String?
    public var source: String?
    public var campaign: String?
    public var status: String?
    public var seniority: String?
    public var department: String?
    public var idempotencyKey: String?

    public init(
        email: String, emailDomain: String, isFreeMail: Bool, firstName: String? = nil, lastName: String? = nil,
        title: String? = nil, company: String? = nil, industry: String? = nil, employees: Int? = nil,
        annualRevenue: Int64? = nil, countryCode: String? = nil, phone: String? = nil, source: String? = nil,
        campaign: String? = nil, status: String? = nil, seniority: String? = nil, department: String? = nil,
        idempotencyKey: String? = nil
    ) {
        self.email = email
        self.emailDomain = emailDomain
        self.isFreeMail = isFreeMail
        self.firstName = firstName
        self.lastName = lastName
        self.title = title
        self.company = company
        self.industry = industry
        self.employees = employees
        self.annualRevenue = annualRevenue
        self.countryCode = countryCode
        self.phone = phone
        self.source = source
        self.campaign = campaign
        self.status = status
        self.seniority = seniority
        self.department = department
        self.idempotencyKey = idempotencyKey
    }
}
