extension Calibration {
    /// What a threshold should achieve.
    public enum ThresholdTarget: Sendable, Hashable {
        /// Share of MQLs that reach SQL (0…1). Too few MQLs reaching SQL means the
        /// threshold is too low.
        case conversionRate(Double)
        /// At least this many MQLs out of the history. Sales starving means the threshold
        /// is too high.
        case mqlVolume(Int)
    }

    /// Replays a candidate rule set over past leads: who would have been an MQL (score
    /// at or above the threshold, or a fast-track action), and how those ended.
    public static func backtest(_ history: [HistoricalLead], rules: RuleSet) -> Backtest {
        let scored = score(history, rules: rules)
        return Backtest(scored, threshold: rules.thresholds.mql)
    }

    /// The threshold that meets `target` on this history, or nil when none does.
    ///
    /// - For a conversion rate: the lowest threshold (the most MQLs) whose MQLs reach SQL
    ///   at least at that rate, with at least `minimumMQLs` of them.
    /// - For a volume: the highest threshold that still gives at least that many MQLs.
    ///
    /// The thresholds tried are the totals seen in the history (and 1), clamped to the
    /// allowed range 1…1000: a threshold between two seen totals selects the same leads
    /// as the next seen total up. Leads with a fast-track
    /// action count as MQLs at every threshold, as they do in `backtest`.
    public static func suggestMQLThreshold(_ history: [HistoricalLead], rules: RuleSet, target: ThresholdTarget,
                                           minimumMQLs: Int = 1) -> Backtest? {
        let scored = score(history, rules: rules)
        let range = Thresholds.mqlRange
        var candidates = Set(scored.map { min(max($0.total, range.lowerBound), range.upperBound) })
        candidates.insert(range.lowerBound)
        let ordered = candidates.sorted()
        switch target {
        case .conversionRate(let rate):
            for threshold in ordered {
                let result = Backtest(scored, threshold: threshold)
                if result.mqls >= max(minimumMQLs, 1) && result.conversionRate >= rate { return result }
            }
            return nil
        case .mqlVolume(let volume):
            for threshold in ordered.reversed() {
                let result = Backtest(scored, threshold: threshold)
                if result.mqls >= volume { return result }
            }
            return nil
        }
    }

    struct ScoredOutcome {
        let total: Int
        let fastTracked: Bool
        let outcome: Outcome
    }

    static func score(_ history: [HistoricalLead], rules: RuleSet) -> [ScoredOutcome] {
        let scorer = Scorer(rules: rules)
        return history.map { past in
            let score = scorer.score(lead: past.lead, activities: past.activities, now: past.evaluatedAt)
            return ScoredOutcome(total: score.total, fastTracked: score.fastTrack != nil, outcome: past.outcome)
        }
    }
}

/// What a threshold would have done on past leads.
public struct Backtest: Sendable, Hashable {
    public let threshold: Int
    public let leads: Int
    public let mqls: Int
    public let mqlsReachedSQL: Int
    public let mqlsWon: Int
    public let won: Int
    /// Won leads that would not have been MQLs.
    public var missedWon: Int { won - mqlsWon }
    /// MQL → SQL; 0 without MQLs.
    public var conversionRate: Double { mqls == 0 ? 0 : Double(mqlsReachedSQL) / Double(mqls) }
    /// MQL → won; 0 without MQLs.
    public var winRate: Double { mqls == 0 ? 0 : Double(mqlsWon) / Double(mqls) }

    init(_ scored: [Calibration.ScoredOutcome], threshold: Int) {
        self.threshold = threshold
        var mqls = 0, reached = 0, mqlWon = 0, won = 0
        for lead in scored {
            if lead.outcome.won { won += 1 }
            guard lead.total >= threshold || lead.fastTracked else { continue }
            mqls += 1
            if lead.outcome.reachedSQL { reached += 1 }
            if lead.outcome.won { mqlWon += 1 }
        }
        self.leads = scored.count
        self.mqls = mqls
        self.mqlsReachedSQL = reached
        self.mqlsWon = mqlWon
        self.won = won
    }
}
