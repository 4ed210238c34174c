import Foundation

extension CompiledRules {
    /// Behaviour points, aggregated per rule, and the latest fast-track action.
    func interestContributions(for activities: [Activity], now: Date) -> ([Contribution], FastTrack?) {
        if activities.isEmpty { return ([], nil) }
        var sorted = true
        for index in 1..<activities.count where activities[index].occurredAt < activities[index - 1].occurredAt {
            sorted = false
            break
        }
        if sorted { return interestContributions(sorted: activities, now: now) }
        // A stable sort keeps same-instant activities in their given order.
        let ordered = activities.enumerated().sorted { ($0.element.occurredAt, $0.offset) < ($1.element.occurredAt, $1.offset) }
        return interestContributions(sorted: ordered.map(\.element), now: now)
    }

    /// The hot loop. It reads the compiled tables (storage that `self` owns, so alive for
    /// the whole call) and the activities through unsafe buffers, so matching and counting
    /// copy no references, and it keeps its per-rule counters in stack allocations. The
    /// activities are matched to rules first, type by type, then counted in time order.
    ///
    /// A cap of `max` counts an occurrence unless `max` earlier counted occurrences of its
    /// rule fall within the window before it. As activities come oldest first, that is
    /// exactly when the `max`-th latest counted occurrence does, so each capped rule keeps
    /// only the instants of its last `max` counted occurrences, in a ring: one load and one
    /// compare per activity, with no loop whose length depends on the data. A cap larger
    /// than the number of activities cannot be reached, and needs no ring.
    private func interestContributions(sorted activities: [Activity], now: Date) -> ([Contribution], FastTrack?) {
        let compiled = self
        let ruleCount = compiled.behaviours.buffer.count
        let count = activities.count
        let nowSeconds = now.timeIntervalSinceReferenceDate
        var fastTrackRule = -1
        var fastTrackIndex = -1
        var result: [Contribution] = []
        let rules = compiled.behaviours.buffer, decayValues = compiled.decayValues.buffer, names = compiled.behaviourRuleNames.buffer
        let matcher = compiled.behaviourPatterns.matcher

        activities.withUnsafeBufferPointer { activities in
            let typeCount = ActivityType.allCases.count
            withUnsafeTemporaryAllocation(of: Int.self, capacity: ruleCount * 6 + count * 2 + typeCount + 1) { scratch in
                scratch.initialize(repeating: 0)
                func slice(_ number: Int) -> UnsafeMutableBufferPointer<Int> {
                    UnsafeMutableBufferPointer(rebasing: scratch[(ruleCount * number)..<(ruleCount * (number + 1))])
                }
                let points = slice(0), occurrences = slice(1), counted = slice(2), decayed = slice(3)
                // Per capped rule: where its ring starts, and where its oldest instant is.
                let ringStart = slice(4), ringNext = slice(5)
                let ruleOf = UnsafeMutableBufferPointer(rebasing: scratch[(ruleCount * 6)..<(ruleCount * 6 + count)])
                let byType = UnsafeMutableBufferPointer(rebasing: scratch[(ruleCount * 6 + count)..<(ruleCount * 6 + count * 2)])
                let typeStart = UnsafeMutableBufferPointer(rebasing: scratch[(ruleCount * 6 + count * 2)...])
                var ringSize = 0
                for index in 0..<ruleCount where rules[index].capMax <= count {
                    ringStart[index] = ringSize
                    ringSize += rules[index].capMax
                }
                // Oldest first: from the first activity after `now`, the rest are after it too.
                var limit = 0
                while limit < count && activities[limit].occurredAt.timeIntervalSinceReferenceDate <= nowSeconds {
                    typeStart[activities[limit].type.ordinal + 1] += 1
                    limit += 1
                }
                // Activities are matched type by type (a counting sort of their indices), so
                // the branches on a type's patterns go the same way for runs of activities
                // instead of following the random order of types.
                for type in 0..<typeCount { typeStart[type + 1] += typeStart[type] }
                for index in 0..<limit {
                    let type = activities[index].type.ordinal
                    byType[typeStart[type]] = index
                    typeStart[type] += 1
                }
                let base = activities.baseAddress!
                for position in 0..<limit {
                    let index = byType[position]
                    ruleOf[index] = matcher.rule(for: base + index)
                }
                withUnsafeTemporaryAllocation(of: Double.self, capacity: ringSize) { ring in
                    for index in 0..<limit {
                        let ruleIndex = ruleOf[index]
                        guard ruleIndex >= 0 else { continue }
                        let at = activities[index].occurredAt.timeIntervalSinceReferenceDate
                        let rule = rules[ruleIndex]
                        occurrences[ruleIndex] += 1
                        if rule.fastTrack != nil {
                            fastTrackRule = ruleIndex
                            fastTrackIndex = index
                        }
                        let countedSoFar = counted[ruleIndex]
                        if rule.capMax <= count {
                            let next = ringNext[ruleIndex]
                            let slot = ringStart[ruleIndex] + next
                            // Full, and its oldest instant (the `max`-th latest) still in the window.
                            if countedSoFar >= rule.capMax && (rule.capMax == 0 || !(at - ring[slot] >= rule.capWindow)) { continue }
                            ring[slot] = at
                            ringNext[ruleIndex] = next + 1 == rule.capMax ? 0 : next + 1
                        }
                        counted[ruleIndex] = countedSoFar + 1
                        var value = rule.points
                        if rule.halfLife > 0 && rule.points != 0 && nowSeconds > at {
                            value = Self.decayed(rule, age: nowSeconds - at, decayValues)
                            if value != rule.points { decayed[ruleIndex] = 1 }
                        }
                        points[ruleIndex] += value
                    }
                }
                for index in 0..<ruleCount where occurrences[index] > 0 {
                    if result.isEmpty { result.reserveCapacity(ruleCount - index) }
                    result.append(Contribution(behaviour: names[index], points: points[index], occurrences: occurrences[index],
                                               counted: counted[index], decayed: decayed[index] == 1))
                }
            }
        }

        let fastTrack = fastTrackRule < 0 ? nil : FastTrack(
            rule: compiled.behaviourIDs[fastTrackRule], target: rules[fastTrackRule].fastTrack!,
            occurredAt: activities[fastTrackIndex].occurredAt)
        return (result, fastTrack)
    }

    /// The rule's points at `age` seconds (> 0): from its day in the decay table when the
    /// whole day rounds alike, else from the formula.
    @inline(__always)
    private static func decayed(_ rule: CompiledRules.Behaviour, age: Double, _ table: UnsafeBufferPointer<Int32>) -> Int {
        let span = rule.decay
        if age >= span.zeroFrom { return 0 }
        // A multiplication, not a division: an index one off at a day's edge is within the
        // table's margin, and so still exact.
        let day = age * (1 / DecayTable.day)
        if day < Double(span.days) {
            let stored = table[span.start + Int(day)]
            if stored != DecayTable.exact { return Int(stored) }
        }
        return DecayTable.points(rule.points, halfLife: rule.halfLife, age: age)
    }
}
