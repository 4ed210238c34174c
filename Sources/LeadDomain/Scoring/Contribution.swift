/// Points from one rule, and why. A score's contributions sum exactly to its total.
public struct Contribution: Sendable, Hashable, CustomStringConvertible {
    /// Path of the rule in the rule set: `icp.industries.software`, `behaviour.pricing_page_view`.
    public let rule: String
    public let points: Int
    public let reason: Reason

    public init(rule: String, points: Int, reason: Reason) {
        self.rule = rule
        self.points = points
        self.reason = reason
    }

    public var description: String { "\(rule) \(points >= 0 ? "+" : "")\(points): \(reason)" }

    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        case industry(String)
        case excludedIndustry(String)
        case employeeBand(String)
        case revenueBand(String)
        case country(String)
        case region(String)
        case freeMailDomain
        case disposableMailDomain
        case competitorDomain
        /// A student or job-seeker title; the pattern that matched.
        case excludedTitle(String)
        /// The best-scoring matching persona.
        case persona(String)
        /// `counted` of `occurrences` activities scored (the rest went over the cap);
        /// `decayed` when age reduced any of them.
        case behaviour(occurrences: Int, counted: Int, decayed: Bool)

        public var description: String {
            switch self {
            case .industry(let value): "industry \(value)"
            case .excludedIndustry(let value): "excluded industry \(value)"
            case .employeeBand(let label): "employee count in band \(label)"
            case .revenueBand(let label): "annual revenue in band \(label)"
            case .country(let code): "country \(code)"
            case .region(let region): "region \(region)"
            case .freeMailDomain: "free-mail address"
            case .disposableMailDomain: "disposable address"
            case .competitorDomain: "competitor domain"
            case .excludedTitle(let pattern): "title matches '\(pattern)'"
            case .persona(let id): "persona \(id)"
            case .behaviour(let occurrences, let counted, let decayed):
                "\(counted) of \(occurrences) counted" + (occurrences > counted ? " (cap reached)" : "") + (decayed ? ", decayed" : "")
            }
        }
    }
}
