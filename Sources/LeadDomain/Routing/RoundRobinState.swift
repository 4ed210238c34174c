/// A team's smooth weighted round-robin state, stored per team and updated atomically by
/// the caller (lock the row, route, write the returned state in the same transaction).
///
/// Smooth weighted round robin (as in nginx): on each pick every eligible member's
/// current weight grows by its weight, the largest current weight wins (first member on a
/// tie), and the winner's current weight drops by the eligible members' total weight.
/// With a fixed set of eligible members each one's count stays within one of its
/// weighted share at every step, and picks are spread out rather than bunched. Members
/// that are skipped neither gain nor lose, so a rep back from leave gets no burst.
public struct RoundRobinState: Sendable, Hashable, Codable {
    public var team: String
    /// Current weight per rep; a missing rep counts as 0.
    public var currentWeights: [RepID: Int]

    public init(team: String, currentWeights: [RepID: Int] = [:]) {
        self.team = team
        self.currentWeights = currentWeights
    }

    /// Picks among `candidates` (in team order) and updates the state; nil when empty.
    public mutating func pick(from candidates: [(rep: RepID, weight: Int)]) -> RepID? {
        guard !candidates.isEmpty else { return nil }
        var total = 0
        var best = -1
        var bestWeight = Int.min
        for (index, candidate) in candidates.enumerated() {
            let weight = currentWeights[candidate.rep, default: 0] + candidate.weight
            currentWeights[candidate.rep] = weight
            total += candidate.weight
            if weight > bestWeight {
                best = index
                bestWeight = weight
            }
        }
        let chosen = candidates[best].rep
        currentWeights[chosen, default: 0] -= total
        return chosen
    }

    /// Drops reps that are no longer members, so the stored state does not grow.
    public mutating func retain(members: some Sequence<RepID>) {
        let keep = Set(members)
        currentWeights = currentWeights.filter { keep.contains($0.key) }
    }
}
