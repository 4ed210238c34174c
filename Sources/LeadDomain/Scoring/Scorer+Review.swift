public import Foundation

extension Scorer {
    /// The earliest instant at which decay alone could move `score` across the interest
    /// cut-off of its quadrant or across the MQL threshold; nil when nothing in it decays.
    ///
    /// Rescoring before then cannot change the quadrant or the stage eligibility, so a
    /// periodic decay pass only needs the leads whose instant has come, instead of every
    /// lead every time. The instant is a lower bound: each decaying contribution shrinks
    /// (or, for negative points, grows towards zero) at most at ln 2 / half-life of its
    /// size per day, and only ever more slowly after, so the boundary cannot be reached
    /// sooner. `minimumDelay` keeps a lead sitting right at a boundary from being rescored
    /// over and over.
    public func nextReview(of score: Score, minimumDelay: TimeInterval = 3600) -> Date? {
        let thresholds = compiled.thresholds
        var fallingRate = 0.0, risingRate = 0.0
        // Each activity's points are rounded on their own, so the shown total can move by
        // up to one point per decaying activity without any real decay: that much slack
        // comes off each margin, and half a point per activity goes onto each rate.
        var roundingSlack = 0
        for contribution in score.breakdown.interest {
            guard let index = compiled.behaviourRuleNames.buffer.firstIndex(of: contribution.name) else { continue }
            let halfLife = compiled.behaviours.buffer[index].halfLife
            guard halfLife > 0, case .behaviour(_, let counted, _) = contribution.reason, counted > 0 else { continue }
            roundingSlack += counted
            let rate = (Double(abs(contribution.points)) + 0.5 * Double(counted)) * log(2) / halfLife
            if contribution.points >= 0 { fallingRate += rate }
            if contribution.points <= 0 { risingRate += rate }
        }
        var margins: [(points: Int, rate: Double)] = []
        if score.interest >= thresholds.interestCutoff {
            margins.append((score.interest - thresholds.interestCutoff + 1, fallingRate))
        } else {
            margins.append((thresholds.interestCutoff - score.interest, risingRate))
        }
        if score.total >= thresholds.mql {
            margins.append((score.total - thresholds.mql + 1, fallingRate))
        } else {
            margins.append((thresholds.mql - score.total, risingRate))
        }
        let seconds = margins.compactMap { margin -> Double? in
            margin.rate > 0 ? Double(max(margin.points - roundingSlack, 0)) / margin.rate : nil
        }.min()
        return seconds.map { score.evaluatedAt.addingTimeInterval(max($0, minimumDelay)) }
    }
}
