public import Foundation

/// Scores leads against one rule set. Build it once per rule version and share it: it is
/// immutable and `Sendable`, and `score` allocates only the breakdown it returns.
public struct Scorer: Sendable {
    public let version: RuleVersion
    /// A reference, so that copying a `Scorer` (into closures on the hot path) is cheap.
    let compiled: CompiledRules

    public var rules: RuleSet { compiled.rules }

    /// - Parameter version: what to record on every score; defaults to the file's label.
    public init(rules: RuleSet, version: RuleVersion? = nil) {
        self.version = version ?? RuleVersion(label: rules.version)
        self.compiled = CompiledRules(rules)
    }

    /// Scores a lead at `now`.
    ///
    /// Fit comes from the lead and its company; interest from `activities` that happened
    /// at or before `now` (later ones are ignored, so a score can be replayed at any past
    /// instant). Each counted activity is worth its rule's points halved every half-life
    /// of age, rounded to a whole point on its own, so the breakdown sums exactly.
    /// Activities are best passed oldest first (as stored); others are sorted first.
    public func score(lead: Lead, activities: [Activity], now: Date) -> Score {
        let fit = compiled.fitContributions(for: lead)
        let (interest, fastTrack) = compiled.interestContributions(for: activities, now: now)
        let fitTotal = Score.sum(fit), interestTotal = Score.sum(interest)
        let thresholds = compiled.thresholds
        return Score(fit: fit, fitTotal: fitTotal, interest: interest, interestTotal: interestTotal,
                     quadrant: Quadrant(fit: fitTotal, interest: interestTotal, thresholds: thresholds),
                     ruleVersion: version, fastTrack: fastTrack, evaluatedAt: now,
                     meetsMQLThreshold: fitTotal + interestTotal >= thresholds.mql)
    }
}

extension Scorer {
    /// What this score proposes for a lead in `state`; see `Lifecycle.evaluate`.
    public func proposeStage(for state: StageState, score: Score, at now: Date) -> StageEvaluation {
        Lifecycle.evaluate(state, score: score, at: now)
    }
}
