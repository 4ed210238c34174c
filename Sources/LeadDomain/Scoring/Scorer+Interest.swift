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

    /// The hot loop. It reads the compiled tables and the activities through unsafe
    /// buffers taken once per call, so matching and counting copy no references, and it
    /// keeps its per-activity and per-rule counters in one stack allocation.
    private func interestContributions(sorted activities: [Activity], now: Date) -> ([Contribution], FastTrack?) {
        let compiled = self.compiled
        let ruleCount = compiled.behaviours.count
        let count = activities.count
        let nowSeconds = now.timeIntervalSinceReferenceDate
        var fastTrackRule = -1
        var fastTrackIndex = -1

        let totals: [Int] = activities.withUnsafeBufferPointer { activities in
            compiled.behaviours.withUnsafeBufferPointer { rules in
                BehaviourMatcher.with(compiled) { matcher in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: count * 2 + ruleCount * 4) { scratch in
                        scratch.initialize(repeating: 0)
                        let ruleOf = UnsafeMutableBufferPointer(rebasing: scratch[0..<count])
                        let countedFlag = UnsafeMutableBufferPointer(rebasing: scratch[count..<(count * 2)])
                        let base = count * 2
                        let points = UnsafeMutableBufferPointer(rebasing: scratch[base..<(base + ruleCount)])
                        let occurrences = UnsafeMutableBufferPointer(rebasing: scratch[(base + ruleCount)..<(base + ruleCount * 2)])
                        let counted = UnsafeMutableBufferPointer(rebasing: scratch[(base + ruleCount * 2)..<(base + ruleCount * 3)])
                        let decayed = UnsafeMutableBufferPointer(rebasing: scratch[(base + ruleCount * 3)..<(base + ruleCount * 4)])

                        for index in 0..<count {
                            let at = activities[index].occurredAt.timeIntervalSinceReferenceDate
                            ruleOf[index] = -1
                            guard at <= nowSeconds else { continue }
                            let ruleIndex = matcher.rule(for: activities, at: index)
                            guard ruleIndex >= 0 else { continue }
                            ruleOf[index] = ruleIndex
                            let rule = rules[ruleIndex]
                            occurrences[ruleIndex] += 1
                            if rule.fastTrack != nil {
                                fastTrackRule = ruleIndex
                                fastTrackIndex = index
                            }
                            if rule.capMax != Int.max {
                                // Earlier counted occurrences of this rule inside the sliding window.
                                var inWindow = 0
                                var earlier = index - 1
                                while earlier >= 0 {
                                    if at - activities[earlier].occurredAt.timeIntervalSinceReferenceDate >= rule.capWindow { break }
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
                        // Per rule: points, occurrences, counted, decayed; copied out of the stack buffer.
                        return Array(UnsafeBufferPointer(rebasing: scratch[base..<(base + ruleCount * 4)]))
                    }
                }
            }
        }

        var result: [Contribution] = []
        for index in 0..<ruleCount where totals[ruleCount + index] > 0 {
            if result.isEmpty { result.reserveCapacity(ruleCount - index) }
            result.append(Contribution(rule: compiled.behaviourRuleNames[index], points: totals[index],
                                       reason: .behaviour(occurrences: totals[ruleCount + index], counted: totals[ruleCount * 2 + index],
                                                          decayed: totals[ruleCount * 3 + index] == 1)))
        }
        let fastTrack = fastTrackRule < 0 ? nil : FastTrack(
            rule: compiled.behaviourIDs[fastTrackRule], target: compiled.behaviours[fastTrackRule].fastTrack!,
            occurredAt: activities[fastTrackIndex].occurredAt)
        return (result, fastTrack)
    }
}

/// Finds the behaviour rule of an activity over the compiled pattern tables.
///
/// An activity goes to the rule with the longest pattern found in its URL or content
/// (a tie goes to the rule whose id sorts first), else to its type's plain rule. All of a
/// type's patterns are found in one pass over the text; a position is looked at further
/// only when its byte starts some pattern and the next byte is some pattern's second.
struct BehaviourMatcher {
    let types: UnsafeBufferPointer<CompiledRules.TypeMatcher>
    let patterns: UnsafeBufferPointer<CompiledRules.Pattern>
    let bytes: UnsafeBufferPointer<UInt8>
    let bucketStarts: UnsafeBufferPointer<Int>

    static func with<R>(_ compiled: CompiledRules, _ body: (BehaviourMatcher) -> R) -> R {
        compiled.typeMatchers.withUnsafeBufferPointer { types in
            compiled.patterns.withUnsafeBufferPointer { patterns in
                compiled.patternBytes.withUnsafeBufferPointer { bytes in
                    compiled.bucketStarts.withUnsafeBufferPointer { bucketStarts in
                        body(BehaviourMatcher(types: types, patterns: patterns, bytes: bytes, bucketStarts: bucketStarts))
                    }
                }
            }
        }
    }

    /// The rule index for `activities[index]`, or -1.
    @inline(__always)
    func rule(for activities: UnsafeBufferPointer<Activity>, at index: Int) -> Int {
        let type = types[activities[index].type.ordinal]
        guard type.hasRules else { return -1 }
        var best = (length: 0, rule: type.fallbackRule)
        if !type.url.isEmpty, let url = activities[index].url {
            scan(url, type.url, &best)
        }
        if !type.content.isEmpty, let content = activities[index].content {
            scan(content, type.content, &best)
        }
        return best.rule
    }

    @inline(__always)
    private func scan(_ text: String, _ group: CompiledRules.PatternGroup, _ best: inout (length: Int, rule: Int)) {
        if let _ = text.utf8.withContiguousStorageIfAvailable({ scan($0, group, &best) }) { return }
        var copy = text
        copy.makeContiguousUTF8()
        _ = copy.utf8.withContiguousStorageIfAvailable { scan($0, group, &best) }
    }

    private func scan(_ text: UnsafeBufferPointer<UInt8>, _ group: CompiledRules.PatternGroup, _ best: inout (length: Int, rule: Int)) {
        let count = text.count
        guard count > 0, let base = text.baseAddress else { return }
        let firstBytes = group.firstBytes, secondBytes = group.secondBytes
        var position = 0
        while position < count {
            if group.onlyFirstByte >= 0 {
                // Every pattern starts with the same byte (a '/' for URL paths): let memchr find it.
                guard let found = memchr(base + position, group.onlyFirstByte, count - position) else { return }
                position = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            defer { position += 1 }
            let first = Self.lower(text[position])
            guard firstBytes.contains(first) else { continue }
            guard position + 1 == count || secondBytes.contains(Self.lower(text[position + 1])) else { continue }
            let bucket = group.bucketBase + Int(first)
            for patternIndex in bucketStarts[bucket]..<bucketStarts[bucket + 1] {
                let pattern = patterns[patternIndex]
                guard pattern.length <= count - position else { continue }
                var offset = 1
                while offset < pattern.length && Self.lower(text[position + offset]) == bytes[pattern.offset + offset] { offset += 1 }
                if offset == pattern.length
                    && (pattern.length > best.length || (pattern.length == best.length && pattern.rule < best.rule)) {
                    best = (pattern.length, pattern.rule)
                }
            }
        }
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte }
}
