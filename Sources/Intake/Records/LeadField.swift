/// The fields of an ``IncomingLead``, named as in JSON and in column mapping files.
public enum LeadField: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case email
    case firstName = "first_name"
    case lastName = "last_name"
    case title
    case company
    case industry
    case employees
    case annualRevenue = "annual_revenue"
    case country
    case phone
    case source
    case campaign
    case status
    case seniority
    case department
    case idempotencyKey = "idempotency_key"

    /// The JSON key and mapping-file name.
    public var name: String { rawValue }
    public var description: String { rawValue }

    /// Fields that JSON may send as a number as well as a string (`"employees": 1200`).
    var acceptsNumbers: Bool { self == .employees || self == .annualRevenue }
}
