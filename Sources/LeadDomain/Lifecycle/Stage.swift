/// The shared funnel stages, plus the three exits beside them.
public enum Stage: String, Sendable, Hashable, CaseIterable, Codable {
    case lead
    case mql
    case sal
    case sql
    case opportunity
    case customer
    /// Back to marketing nurture, with a reason.
    case recycled
    /// Junk: will never qualify.
    case disqualified
    case unreachable

    /// Stages owned by sales: a score never pulls a lead back out of them.
    public var isSalesStage: Bool {
        switch self {
        case .sal, .sql, .opportunity, .customer: true
        default: false
        }
    }

    /// Stages in which marketing still nurtures the lead and the score may move it.
    public var isMarketingStage: Bool {
        switch self {
        case .lead, .mql, .recycled: true
        default: false
        }
    }
}
