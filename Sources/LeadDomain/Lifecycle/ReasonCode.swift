/// Why a lead changed stage: an open, extensible code stored with every transition.
public struct ReasonCode: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    // Marketing and the system
    public static let scoreThreshold: ReasonCode = "score_threshold"
    public static let fastTrack: ReasonCode = "fast_track"
    public static let manualQualification: ReasonCode = "manual_qualification"
    public static let backToNurture: ReasonCode = "back_to_nurture"
    public static let restored: ReasonCode = "restored"
    public static let slaWindowExpired: ReasonCode = "sla_window_expired"
    // Sales feedback
    public static let salesAccepted: ReasonCode = "sales_accepted"
    public static let salesQualified: ReasonCode = "sales_qualified"
    public static let opportunityCreated: ReasonCode = "opportunity_created"
    public static let closedWon: ReasonCode = "closed_won"
    public static let closedLost: ReasonCode = "closed_lost"
    public static let notReady: ReasonCode = "not_ready"
    public static let noResponse: ReasonCode = "no_response"
    public static let badTiming: ReasonCode = "bad_timing"
    public static let rejectedBySales: ReasonCode = "rejected_by_sales"
    public static let contactFailed: ReasonCode = "contact_failed"
    // Disqualification
    public static let junk: ReasonCode = "junk"
    public static let duplicate: ReasonCode = "duplicate"
}
