/// Finds the behaviour rule of an activity over the compiled `BehaviourPatterns`.
///
/// An activity goes to the rule with the longest pattern found in its URL or content
/// (a tie goes to the rule whose id sorts first), else to its type's plain rule. The
/// text is read in place as lower-cased (ASCII), zero-padded words; all of a type's
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

    /// The compiled patterns in storage of their own, so that a matcher is only pointers.
    final class Tables: Sendable {
        private let types: FrozenArray<Patterns.TypeMatcher>
        private let patterns: FrozenArray<Patterns.Pattern>
        private let tails: FrozenArray<UInt64>
        private let bucketStarts: FrozenArray<Int>
        private let groups: FrozenArray<Patterns.Group>

        init(_ tables: BehaviourPatterns) {
            types = FrozenArray(tables.types)
            patterns = FrozenArray(tables.patterns)
            tails = FrozenArray(tables.tails)
            bucketStarts = FrozenArray(tables.bucketStarts)
            groups = FrozenArray(tables.groups)
        }

        /// Valid while these tables are alive.
        var matcher: BehaviourMatcher {
            BehaviourMatcher(types: types.buffer, patterns: patterns.buffer, tails: tails.buffer, bucketStarts: bucketStarts.buffer,
                             groups: groups.buffer)
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

    /// Reads the text in place, lower-casing each word as it is loaded: no buffer is
    /// written, so nothing the caller holds can change under the scan and the text's
    /// storage needs no retain around it.
    @inline(__always)
    private func scan(_ text: UnsafeBufferPointer<UInt8>, _ group: UnsafePointer<Patterns.Group>, _ best: inout Best) {
        guard let base = text.baseAddress, text.count > 0 else { return }
        let text = LoweredText(base: UnsafeRawPointer(base), count: text.count)
        // Two copies of the loop, each with its own first-key test.
        if group.pointee.firstKeys.isSingle {
            scan(text, group, &best, singleFirstKey: true)
        } else {
            scan(text, group, &best, singleFirstKey: false)
        }
    }

    @inline(__always)
    private func scan(_ text: LoweredText, _ group: UnsafePointer<Patterns.Group>, _ best: inout Best, singleFirstKey: Bool) {
        var offset = 0
        while offset < text.count {
            // Most words hold no first byte of a pattern: the second-byte test is skipped.
            var starts = group.pointee.firstKeys.matches(text.word(at: offset), single: singleFirstKey)
            if starts != 0 {
                starts &= group.pointee.secondKeys.matches(text.word(at: offset + 1))
                while starts != 0 {
                    let position = offset + starts.trailingZeroBitCount >> 3
                    starts &= starts &- 1
                    check(text, at: position, group, &best)
                }
            }
            offset += 8
        }
    }

    /// Tries the patterns that start at `position` of `text`.
    @inline(__always)
    private func check(_ text: LoweredText, at position: Int, _ group: UnsafePointer<Patterns.Group>, _ best: inout Best) {
        guard position < text.count else { return }
        let head = text.word(at: position)
        let first = UInt8(truncatingIfNeeded: head)
        guard !group.pointee.firstKeys.any || group.pointee.firstBytes.contains(first) else { return }
        let bucket = group.pointee.bucket(first: first, second: UInt8(truncatingIfNeeded: head >> 8))
        let remaining = text.count - position
        for patternIndex in bucketStarts[bucket]..<bucketStarts[bucket + 1] {
            let pattern = patterns[patternIndex]
            guard pattern.length <= remaining, head & pattern.headMask == pattern.head,
                  pattern.length > best.length || (pattern.length == best.length && pattern.rule < best.rule) else { continue }
            if pattern.length > 8 && !tailMatches(pattern, text, at: position) { continue }
            best = Best(length: pattern.length, rule: pattern.rule)
        }
    }

    /// Whether the pattern's words after its first match the text after `position + 8`.
    private func tailMatches(_ pattern: Patterns.Pattern, _ text: LoweredText, at position: Int) -> Bool {
        var offset = 8
        var tail = pattern.tail
        while offset < pattern.length {
            let word = text.word(at: position + offset)
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

/// A text read as if lower-cased (ASCII) and followed by zero bytes, eight bytes at a
/// time, without copying it.
struct LoweredText {
    let base: UnsafeRawPointer
    let count: Int

    /// The little-endian word of the bytes at `offset`…`offset + 7` (≥ 0), lower-cased,
    /// with 0 for the bytes past the end. Never reads outside the text.
    @inline(__always)
    func word(at offset: Int) -> UInt64 {
        if offset &+ 8 <= count {
            return BehaviourMatcher.lowerASCII(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        }
        return tail(at: offset)
    }

    /// `word(at:)` for a word that runs past the end.
    @inline(__always)
    private func tail(at offset: Int) -> UInt64 {
        let bytes = count - offset
        guard bytes > 0 else { return 0 }
        // The text's last eight bytes, shifted down so that `offset` comes first.
        let word = count >= 8
            ? UInt64(littleEndian: base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)) >> UInt64((8 - bytes) * 8)
            : shortText(from: offset, bytes)
        return BehaviourMatcher.lowerASCII(word)
    }

    /// The bytes of a text shorter than a word (rare: most URLs and names are longer).
    private func shortText(from offset: Int, _ bytes: Int) -> UInt64 {
        var word: UInt64 = 0
        for index in 0..<bytes { word |= UInt64(base.load(fromByteOffset: offset + index, as: UInt8.self)) << UInt64(index * 8) }
        return word
    }
}
