/// Points from one rule, and why. A score's contributions sum exactly to its total.
///
/// A contribution keeps its strings as numbers in `InternedStrings`, so it is a plain
/// value: a breakdown is built, copied and freed with no reference counting. `rule` and
/// `reason` read as a plain `String` and enum value.
public struct Contribution: Sendable, Hashable, CustomStringConvertible {
    /// Path of the rule in the rule set: `icp.industries.software`, `behaviour.pricing_page_view`.
    public var rule: String { InternedStrings.shared.string(name) }
    public let points: Int
    public var reason: Reason { detail.reason }

    let name: UInt32
    let detail: Detail

    /// Interns `rule` and the reason's string: meant for the names of rule sets, which
    /// repeat (see `InternedStrings`).
    public init(rule: String, points: Int, reason: Reason) {
        self.name = InternedStrings.shared.number(for: rule)
        self.points = points
        detail = Detail(reason)
    }

    /// A behaviour rule's contribution, in the scorer's hot loop; `name` is interned.
    init(behaviour name: UInt32, points: Int, occurrences: Int, counted: Int, decayed: Bool) {
        self.name = name
        self.points = points
        detail = .behaviour(occurrences: occurrences, counted: counted, decayed: decayed)
    }

    public var description: String { "\(rule) \(points >= 0 ? "+" : "")\(points): \(reason)" }

    // `==` and `hash(into:)` are synthesized: interned numbers are equal exactly when
    // their strings are.

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
    /// The reason without references: a kind and its interned string (empty when the
    /// kind has none), or a behaviour's counts.
    enum Detail: Sendable, Hashable {
        case behaviour(occurrences: Int, counted: Int, decayed: Bool)
        case interned(Kind, UInt32)

        init(_ reason: Reason) {
            if case .behaviour(let occurrences, let counted, let decayed) = reason {
                self = .behaviour(occurrences: occurrences, counted: counted, decayed: decayed)
            } else {
                let (kind, text) = Kind.split(reason)
                // Every reason but `behaviour` has a kind.
                self = .interned(kind!, InternedStrings.shared.number(for: text ?? ""))
            }
        }

        var reason: Reason {
            switch self {
            case .behaviour(let occurrences, let counted, let decayed):
                .behaviour(occurrences: occurrences, counted: counted, decayed: decayed)
            case .interned(let kind, let number): kind.reason(InternedStrings.shared.string(number))
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
