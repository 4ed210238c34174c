import Foundation
@testable import LeadDomain

/// Interest scoring written the plain way, from the rules' documentation alone: no compiled
/// tables, no byte-level scanning, no decay table, no sliding-window bookkeeping. The
/// scorer's fast path must agree with it exactly, contribution by contribution.
enum ReferenceInterest {
    static func score(_ activities: [Activity], rules: [BehaviourRule], now: Date) -> (interest: [Contribution], fastTrack: FastTrack?) {
        let ordered = activities.enumerated()
            .sorted { ($0.element.occurredAt, $0.offset) < ($1.element.occurredAt, $1.offset) }
            .map(\.element)
        var occurrences = [Int](repeating: 0, count: rules.count)
        var points = [Int](repeating: 0, count: rules.count)
        var decayed = [Bool](repeating: false, count: rules.count)
        var countedAt = [[Date]](repeating: [], count: rules.count)
        var fastTrack: FastTrack?
        for activity in ordered where activity.occurredAt <= now {
            guard let index = ruleIndex(for: activity, in: rules) else { continue }
            let rule = rules[index]
            occurrences[index] += 1
            if let target = rule.fastTrack {
                fastTrack = FastTrack(rule: rule.id, target: target, occurredAt: activity.occurredAt)
            }
            if let cap = rule.cap {
                let window = cap.windowDays.map { Double($0) * 86_400 } ?? .infinity
                let inWindow = countedAt[index].filter { activity.occurredAt.timeIntervalSince($0) < window }.count
                if inWindow >= cap.max { continue }
            }
            countedAt[index].append(activity.occurredAt)
            var value = rule.points
            if let halfLifeDays = rule.halfLifeDays, halfLifeDays > 0, rule.points != 0, now > activity.occurredAt {
                let age = now.timeIntervalSince(activity.occurredAt)
                value = Int((Double(rule.points) * exp2(-age / (halfLifeDays * 86_400))).rounded(.toNearestOrAwayFromZero))
                if value != rule.points { decayed[index] = true }
            }
            points[index] += value
        }
        let interest = rules.indices.filter { occurrences[$0] > 0 }.map { index in
            Contribution(rule: "behaviour.\(rules[index].id)", points: points[index],
                         reason: .behaviour(occurrences: occurrences[index], counted: countedAt[index].count, decayed: decayed[index]))
        }
        return (interest, fastTrack)
    }

    /// The rule of the activity's type with the longest pattern found in its URL or content
    /// (the first rule on a tie), else its type's first rule without patterns.
    static func ruleIndex(for activity: Activity, in rules: [BehaviourRule]) -> Int? {
        var best: (length: Int, index: Int)?
        for (index, rule) in rules.enumerated() where rule.activity == activity.type {
            for (patterns, text) in [(rule.urlContains, activity.url), (rule.contentContains, activity.content)] {
                guard let text else { continue }
                let haystack = text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
                for pattern in patterns {
                    let needle = Array(pattern.lowercased().utf8)
                    if !needle.isEmpty && contains(haystack, needle) && needle.count > (best?.length ?? 0) {
                        best = (needle.count, index)
                    }
                }
            }
        }
        if let best { return best.index }
        return rules.indices.first { index in
            rules[index].activity == activity.type && rules[index].urlContains.isEmpty && rules[index].contentContains.isEmpty
        }
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in haystack[start..<(start + needle.count)].elementsEqual(needle) }
    }
}
