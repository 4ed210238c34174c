/// A lead exactly as it arrived: every field an optional string, nothing checked yet.
///
/// JSON uses snake_case keys (`first_name`, `annual_revenue`, `idempotency_key`; see
/// ``LeadField``). `employees` and `annual_revenue` may also be JSON numbers, which are kept as
/// their decimal text. Decoding is strict: a key the API does not define is a problem, not
/// silently dropped, because a misspelt key (`emial`) would otherwise lose data without anyone
/// noticing. Use ``IncomingLead/decode(json:)`` to get every problem of a payload at once.
public struct IncomingLead: Sendable, Hashable {
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var title: String?
    public var company: String?
    public var industry: String?
    public var employees: String?
    public var annualRevenue: String?
    public var country: String?
    public var phone: String?
    public var source: String?
    public var campaign: String?
    public var status: String?
    public var seniority: String?
    public var department: String?
    /// Chosen by the sender so that a retried submission is recognised as the same one.
    public var idempotencyKey: String?

    public init(
        email: String? = nil, firstName: String? = nil, lastName: String? = nil, title: String? = nil,
        company: String? = nil, industry: String? = nil, employees: String? = nil, annualRevenue: String? = nil,
        country: String? = nil, phone: String? = nil, source: String? = nil, campaign: String? = nil,
        status: String? = nil, seniority: String? = nil, department: String? = nil, idempotencyKey: String? = nil
    ) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.title = title
        self.company = company
        self.industry = industry
        self.employees = employees
        self.annualRevenue = annualRevenue
        self.country = country
        self.phone = phone
        self.source = source
        self.campaign = campaign
        self.status = status
        self.seniority = seniority
        self.department = department
        self.idempotencyKey = idempotencyKey
    }

    /// Reads or writes a field by name; column mappings fill a lead this way.
    public subscript(field: LeadField) -> String? {
        get {
            switch field {
            case .email: email
            case .firstName: firstName
            case .lastName: lastName
            case .title: title
            case .company: company
            case .industry: industry
            case .employees: employees
            case .annualRevenue: annualRevenue
            case .country: country
            case .phone: phone
            case .source: source
            case .campaign: campaign
            case .status: status
            case .seniority: seniority
            case .department: department
            case .idempotencyKey: idempotencyKey
            }
        }
        set {
            switch field {
            case .email: email = newValue
            case .firstName: firstName = newValue
            case .lastName: lastName = newValue
            case .title: title = newValue
            case .company: company = newValue
            case .industry: industry = newValue
            case .employees: employees = newValue
            case .annualRevenue: annualRevenue = newValue
            case .country: country = newValue
            case .phone: phone = newValue
            case .source: source = newValue
            case .campaign: campaign = newValue
            case .status: status = newValue
            case .seniority: seniority = newValue
            case .department: department = newValue
            case .idempotencyKey: idempotencyKey = newValue
            }
        }
    }
}
