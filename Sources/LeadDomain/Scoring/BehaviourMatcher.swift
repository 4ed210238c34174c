/// Finds the behaviour rule of an activity over the compiled `BehaviourPatterns`.
///
/// An activity goes to the rule with the longest pattern found in its URL or content
/// (a tie goes to the rule whose id sorts first), else to its type's plain rule. The
/// text is lower-cased (ASCII) into a zero-padded stack buffer of words; all of a type's
/// patterns are then found in one pass over it, eight bytes at a time: each word yields
/// the positions where some pattern starts, and only those are compared, a word at a time,
/// with the patterns that start with that byte.
struct BehaviourMatcher {
    typealias Patterns = BehaviourPatterns
    let types: UnsafeBufferPointer<Patterns.TypeMatcher>
    let patterns: UnsafeBufferPointer<Patterns.Pattern>
    let tails: UnsafeBufferPointer<UInt64>
    let bucketStarts: UnsafeBufferPointer<Int>
    let groups: UnsafeBufferPointer<Patterns.Group>

    static func with<R>(_ tables: BehaviourPatterns, _ body: (BehaviourMatcher) -> R) -> R {
        tables.types.withUnsafeBufferPointer { types in
            tables.patterns.withUnsafeBufferPointer { patterns in
                tables.tails.withUnsafeBufferPointer { tails in
                    tables.bucketStarts.withUnsafeBufferPointer { bucketStarts in
                        tables.groups.withUnsafeBufferPointer { groups in
                            body(BehaviourMatcher(types: types, patterns: patterns, tails: tails, bucketStarts: bucketStarts, groups: groups))
                        }
                    }
                }
            }
        }
    }

    /// The longest pattern found so far, and its rule.
    struct Best {
        var length = 0
        var rule: Int
    }

    /// The rule index for `activity`, or -1.
    @inline(__always)
    func rule(for activity: UnsafePointer<Activity>) -> Int {
        let type = types.baseAddress! + activity.pointee.type.ordinal
        guard type.pointee.hasRules else { return -1 }
        var best = Best(rule: type.pointee.fallbackRule)
        let url = type.pointee.url, content = type.pointee.content
        if url >= 0 {
            _ = activity.pointee.url?.utf8.withContiguousStorageIfAvailable { scan($0, groups.baseAddress! + url, &best) }
        }
        if content >= 0 {
            _ = activity.pointee.content?.utf8.withContiguousStorageIfAvailable { scan($0, groups.baseAddress! + content, &best) }
        }
        return best.rule
    }

    private func scan(_ text: UnsafeBufferPointer<UInt8>, _ group: UnsafePointer<Patterns.Group>, _ best: inout Best) {
        let count = text.count
        guard count > 0 else { return }
        let wordCount = (count + 7) / 8
        // One spare word: a compare at the last byte reads up to seven bytes past the text.
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: wordCount + 1) { words in
            // Whole words straight from the text (a copy through memory and back would stall
            // store forwarding); a last partial word from the text's last eight bytes.
            let source = UnsafeRawPointer(text.baseAddress!)
            for index in 0..<(count / 8) {
                words[index] = Self.lowerASCII(source.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
            }
            let rest = count % 8
            if rest > 0 {
                var last: UInt64 = 0
                if count >= 8 {
                    last = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)) >> UInt64(64 - rest * 8)
                } else {
                    for offset in 0..<rest { last |= UInt64(text[offset]) << UInt64(offset * 8) }
                }
                words[wordCount - 1] = Self.lowerASCII(UInt64(littleEndian: last))
            }
            words[wordCount] = 0
            let lowered = UnsafeRawPointer(words.baseAddress!)
            for index in 0..<wordCount {
                let word = UInt64(littleEndian: words[index])
                // Most words hold no first byte of a pattern: the second-byte test is skipped.
                var starts = group.pointee.firstKeys.matches(word)
                if starts == 0 { continue }
                let next = word >> 8 | UInt64(littleEndian: words[index + 1]) << 56
                starts &= group.pointee.secondKeys.matches(next)
                while starts != 0 {
                    let position = index * 8 + starts.trailingZeroBitCount >> 3
                    starts &= starts &- 1
                    if position < count { check(lowered, count: count, at: position, group, &best) }
                }
            }
        }
    }

    /// Tries the patterns that start at `position` of the lower-cased, padded `text`.
    @inline(__always)
    private func check(_ text: UnsafeRawPointer, count: Int, at position: Int, _ group: UnsafePointer<Patterns.Group>,
                       _ best: inout Best) {
        let first = text.load(fromByteOffset: position, as: UInt8.self)
        guard !group.pointee.firstKeys.any || group.pointee.firstBytes.contains(first) else { return }
        let head = UInt64(littleEndian: text.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        let bucket = group.pointee.bucketBase + Int(first)
        let remaining = count - position
        for patternIndex in bucketStarts[bucket]..<bucketStarts[bucket + 1] {
            let pattern = patterns[patternIndex]
            guard pattern.length <= remaining, head & pattern.headMask == pattern.head,
                  pattern.length > best.length || (pattern.length == best.length && pattern.rule < best.rule) else { continue }
            if pattern.length > 8 && !tailMatches(pattern, text, at: position) { continue }
            best = Best(length: pattern.length, rule: pattern.rule)
        }
    }

    /// Whether the pattern's words after its first match the text after `position + 8`.
    private func tailMatches(_ pattern: Patterns.Pattern, _ text: UnsafeRawPointer, at position: Int) -> Bool {
        var offset = 8
        var tail = pattern.tail
        while offset < pattern.length {
            let word = UInt64(littleEndian: text.loadUnaligned(fromByteOffset: position + offset, as: UInt64.self))
            if word & Patterns.mask(bytes: pattern.length - offset) != tails[tail] { return false }
            offset += 8
            tail += 1
        }
        return true
    }

    /// `word` with its ASCII capitals (bytes 0x41…0x5A) lower-cased; other bytes unchanged.
    @inline(__always)
    static func lowerASCII(_ word: UInt64) -> UInt64 {
        let low = word & Patterns.Keys.lowBits
        let atLeastA = low &+ 0x3F3F_3F3F_3F3F_3F3F // high bit set where the byte's low 7 bits are ≥ 0x41
        let aboveZ = low &+ 0x2525_2525_2525_2525 // high bit set where they are ≥ 0x5B
        let capitals = atLeastA & ~aboveZ & ~word & Patterns.Keys.highBits
        return word | (capitals >> 2)
    }
}
