/// Points from one rule, and why. A score's contributions sum exactly to its total.
///
/// The scorer builds these from a rule set's names kept in `InternedStrings`, so a
/// breakdown is built, copied and freed with no reference counting; `rule` and `reason`
/// are plain `String`s and enum values when read.
public struct Contribution: Sendable, Hashable, CustomStringConvertible {
    /// Path of the rule in the rule set: `icp.industries.software`, `behaviour.pricing_page_view`.
    public var rule: String { name.string }
    public let points: Int
    public var reason: Reason { detail.reason }

    let name: Text
    let detail: Detail

    public init(rule: String, points: Int, reason: Reason) {
        self.name = .string(rule)
        self.points = points
        detail = Detail(reason)
    }

    /// A contribution of a compiled rule set: its strings are interned.
    init(interning rule: String, points: Int, reason: Reason) {
        self.name = Text(interning: rule)
        self.points = points
        let (kind, text) = Kind.split(reason)
        if let kind, let number = InternedStrings.shared.number(for: text ?? "") {
            detail = .interned(kind, number)
        } else {
            detail = Detail(reason)
        }
    }

    /// A behaviour rule's contribution, in the scorer's hot loop.
    init(behaviour name: Text, points: Int, occurrences: Int, counted: Int, decayed: Bool) {
        self.name = name
        self.points = points
        detail = .behaviour(occurrences: occurrences, counted: counted, decayed: decayed)
    }

    public var description: String { "\(rule) \(points >= 0 ? "+" : "")\(points): \(reason)" }

    public static func == (lhs: Contribution, rhs: Contribution) -> Bool {
        guard lhs.points == rhs.points, lhs.name == rhs.name else { return false }
        switch (lhs.detail, rhs.detail) {
        case (.interned(let kind, let number), .interned(let otherKind, let otherNumber)):
            return kind == otherKind && number == otherNumber
        default:
            return lhs.reason == rhs.reason
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rule)
        hasher.combine(points)
        hasher.combine(reason)
    }

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

extension Contribution {
    /// A string that is interned when it can be: equal strings have equal numbers, so two
    /// interned texts are equal exactly when their numbers are.
    enum Text: Sendable, Equatable {
        case interned(UInt32)
        case string(String)

        init(interning text: String) {
            self = InternedStrings.shared.number(for: text).map(Text.interned) ?? .string(text)
        }

        var string: String {
            switch self {
            case .interned(let number): InternedStrings.shared.string(number)
            case .string(let text): text
            }
        }

        static func == (lhs: Text, rhs: Text) -> Bool {
            if case .interned(let left) = lhs, case .interned(let right) = rhs { return left == right }
            return lhs.string == rhs.string
        }
    }

    /// The reason, stored without references where it can be.
    enum Detail: Sendable {
        case behaviour(occurrences: Int, counted: Int, decayed: Bool)
        /// A reason of `kind` whose string (empty when it has none) is interned.
        case interned(Kind, UInt32)
        case other(Reason)

        /// `reason` as it is, but a behaviour reason without the enum around it.
        init(_ reason: Reason) {
            if case .behaviour(let occurrences, let counted, let decayed) = reason {
                self = .behaviour(occurrences: occurrences, counted: counted, decayed: decayed)
            } else {
                self = .other(reason)
            }
        }

        var reason: Reason {
            switch self {
            case .behaviour(let occurrences, let counted, let decayed):
                .behaviour(occurrences: occurrences, counted: counted, decayed: decayed)
            case .interned(let kind, let number): kind.reason(InternedStrings.shared.string(number))
            case .other(let reason): reason
            }
        }
    }

    /// The cases of `Reason` other than `behaviour`, without their strings.
    enum Kind: UInt8, Sendable {
        case industry, excludedIndustry, employeeBand, revenueBand, country, region
        case freeMailDomain, disposableMailDomain, competitorDomain, excludedTitle, persona

        /// The kind and string of `reason`; no kind for `behaviour`.
        static func split(_ reason: Reason) -> (Kind?, String?) {
            switch reason {
            case .industry(let text): (.industry, text)
            case .excludedIndustry(let text): (.excludedIndustry, text)
            case .employeeBand(let text): (.employeeBand, text)
            case .revenueBand(let text): (.revenueBand, text)
            case .country(let text): (.country, text)
            case .region(let text): (.region, text)
            case .freeMailDomain: (.freeMailDomain, nil)
            case .disposableMailDomain: (.disposableMailDomain, nil)
            case .competitorDomain: (.competitorDomain, nil)
            case .excludedTitle(let text): (.excludedTitle, text)
            case .persona(let text): (.persona, text)
            case .behaviour: (nil, nil)
            }
        }

        func reason(_ text: String) -> Reason {
            switch self {
            case .industry: .industry(text)
            case .excludedIndustry: .excludedIndustry(text)
            case .employeeBand: .employeeBand(text)
            case .revenueBand: .revenueBand(text)
            case .country: .country(text)
            case .region: .region(text)
            case .freeMailDomain: .freeMailDomain
            case .disposableMailDomain: .disposableMailDomain
            case .competitorDomain: .competitorDomain
            case .excludedTitle: .excludedTitle(text)
            case .persona: .persona(text)
            }
        }
    }
}
