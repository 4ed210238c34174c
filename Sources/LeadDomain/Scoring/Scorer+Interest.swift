import Foundation

extension Scorer {
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

    private func interestContributions(sorted activities: [Activity], now: Date) -> ([Contribution], FastTrack?) {
        let rules = compiled.behaviours
        let count = activities.count
        let nowSeconds = now.timeIntervalSinceReferenceDate
        var fastTrack: FastTrack?
        // Scratch space on the stack: per activity its rule (or -1) and whether it counted;
        // per rule its points, occurrences, counted occurrences and whether decay applied.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: count * 2 + rules.count * 4) { scratch in
            scratch.initialize(repeating: 0)
            let ruleOf = UnsafeMutableBufferPointer(rebasing: scratch[0..<count])
            let countedFlag = UnsafeMutableBufferPointer(rebasing: scratch[count..<(count * 2)])
            let base = count * 2
            let points = UnsafeMutableBufferPointer(rebasing: scratch[base..<(base + rules.count)])
            let occurrences = UnsafeMutableBufferPointer(rebasing: scratch[(base + rules.count)..<(base + rules.count * 2)])
            let counted = UnsafeMutableBufferPointer(rebasing: scratch[(base + rules.count * 2)..<(base + rules.count * 3)])
            let decayed = UnsafeMutableBufferPointer(rebasing: scratch[(base + rules.count * 3)..<(base + rules.count * 4)])

            for index in 0..<count {
                let activity = activities[index]
                let at = activity.occurredAt.timeIntervalSinceReferenceDate
                ruleOf[index] = -1
                guard at <= nowSeconds, let ruleIndex = matchRule(activity) else { continue }
                ruleOf[index] = ruleIndex
                let rule = rules[ruleIndex]
                occurrences[ruleIndex] += 1
                if let target = rule.fastTrack {
                    fastTrack = FastTrack(rule: rule.id, target: target, occurredAt: activity.occurredAt)
                }
                if rule.capMax != Int.max {
                    // Count earlier counted occurrences of this rule inside the sliding window.
                    var inWindow = 0
                    var earlier = index - 1
                    while earlier >= 0 {
                        let earlierAt = activities[earlier].occurredAt.timeIntervalSinceReferenceDate
                        if at - earlierAt >= rule.capWindow { break }
                        if ruleOf[earlier] == ruleIndex && countedFlag[earlier] == 1 { inWindow += 1 }
                        earlier -= 1
                    }
                    if inWindow >= rule.capMax { continue }
                }
                countedFlag[index] = 1
                counted[ruleIndex] += 1
                var value = rule.points
                if rule.halfLife > 0 && rule.points != 0 && nowSeconds > at {
                    let factor = exp2(-(nowSeconds - at) / rule.halfLife)
                    value = Int((Double(rule.points) * factor).rounded(.toNearestOrAwayFromZero))
                    if value != rule.points { decayed[ruleIndex] = 1 }
                }
                points[ruleIndex] += value
            }

            var result: [Contribution] = []
            for index in 0..<rules.count where occurrences[index] > 0 {
                if result.isEmpty { result.reserveCapacity(rules.count) }
                result.append(Contribution(rule: rules[index].ruleName, points: points[index],
                                           reason: .behaviour(occurrences: occurrences[index], counted: counted[index],
                                                              decayed: decayed[index] == 1)))
            }
            return (result, fastTrack)
        }
    }

    /// The behaviour rule for an activity: patterned rules beat plain ones, a longer
    /// matching pattern beats a shorter one, and rules are visited in id order so a tie
    /// goes to the first id.
    @inline(__always)
    private func matchRule(_ activity: Activity) -> Int? {
        let candidates = compiled.behavioursByType[activity.type.ordinal]
        if candidates.isEmpty { return nil }
        var best: Int?
        var bestLength = -1
        for index in candidates {
            let rule = compiled.behaviours[index]
            var length = 0
            if rule.hasPatterns {
                length = max(longestMatch(rule.urlPatterns, in: activity.url), longestMatch(rule.contentPatterns, in: activity.content))
                if length == 0 { continue }
            }
            if length > bestLength {
                best = index
                bestLength = length
            }
        }
        return best
    }

    /// Length of the longest pattern that occurs in `text`, ignoring ASCII case; 0 if none.
    private func longestMatch(_ patterns: [[UInt8]], in text: String?) -> Int {
        guard !patterns.isEmpty, var text else { return 0 }
        if let found = text.utf8.withContiguousStorageIfAvailable({ longestMatch(patterns, in: $0) }) { return found }
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { longestMatch(patterns, in: $0) } ?? 0
    }

    private func longestMatch(_ patterns: [[UInt8]], in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var longest = 0
        for pattern in patterns where pattern.count > longest && pattern.count <= bytes.count {
            if Self.contains(pattern, in: bytes) { longest = pattern.count }
        }
        return longest
    }

    @inline(__always)
    private static func contains(_ pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        pattern.withUnsafeBufferPointer { needle in
            let first = needle[0]
            let last = bytes.count - needle.count
            var start = 0
            while start <= last {
                if lower(bytes[start]) == first {
                    var offset = 1
                    while offset < needle.count && lower(bytes[start + offset]) == needle[offset] { offset += 1 }
                    if offset == needle.count { return true }
                }
                start += 1
            }
            return false
        }
    }

    @inline(__always)
    private static func lower(_ byte: UInt8) -> UInt8 { (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte }
}
