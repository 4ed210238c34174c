/// The URL and content patterns of a rule set's behaviour rules, compiled for
/// `BehaviourMatcher`: plain values in flat arrays, so matching copies no references.
///
/// Patterns are lower case and kept as little-endian 64-bit words, zero padded, so a
/// pattern is compared with a text eight bytes at a time under a mask. Each activity
/// type has a group of URL patterns and one of content patterns; a group's patterns are
/// sorted into 256 buckets by their first two bytes (by the first alone when a pattern is
/// one byte long), and `bucketStarts` (257 entries from the group's `bucketBase`) gives
/// the ones of a bucket: URL patterns mostly start with `/`, so one byte alone would put
/// them all in one bucket.
struct BehaviourPatterns: Sendable {
    struct Pattern: Sendable {
        /// The first eight bytes (fewer for a shorter pattern), and the mask of those in use.
        let head: UInt64
        let headMask: UInt64
        let length: Int
        let rule: Int
        /// Where the words after the first are in `tails`.
        let tail: Int
    }

    /// The patterns of one activity type for one field (URL or content).
    struct Group: Sendable {
        var bucketBase = 0
        /// The distinct first bytes of the patterns, each repeated in all eight bytes of a
        /// word, and the same for second bytes: a text position where some pattern may
        /// start has one of `firstKeys`, and one of `secondKeys` after it. Eight positions
        /// are tested at once.
        var firstKeys = Keys()
        var secondKeys = Keys()
        var firstBytes = ByteSet()
        /// A text position's bucket is `first &* bucketFactor &+ second & bucketMask`:
        /// 31 and 0xFF when buckets go by two bytes (31 is odd, so one first byte never
        /// puts two second bytes in one bucket), 1 and 0 when by the first byte alone.
        var bucketFactor: UInt8 = 1
        var bucketMask: UInt8 = 0

        @inline(__always)
        func bucket(first: UInt8, second: UInt8) -> Int {
            bucketBase + Int(first &* bucketFactor &+ second & bucketMask)
        }
    }

    /// Up to four byte values to look for in a word at once; more, or none to look for
    /// (`any`), match every byte.
    struct Keys: Sendable {
        /// Unused places repeat the last key, so all four are always compared: a group's
        /// number of keys changes from one activity to the next, and a branch on it would
        /// be mispredicted about as often as it is taken.
        private var keys: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        /// `highBits` when every byte matches, else 0.
        private var always = Self.highBits
        var any: Bool { always != 0 }

        init() {}

        init(_ bytes: Set<UInt8>) {
            guard !bytes.isEmpty, bytes.count <= 4 else { return }
            let words = bytes.sorted().map { UInt64($0) &* 0x0101_0101_0101_0101 }
            keys = (words[0], words[min(1, words.count - 1)], words[min(2, words.count - 1)], words[min(3, words.count - 1)])
            always = 0
        }

        /// Whether there is exactly one key (a URL group's `/`): then `matches(single:)`
        /// needs one comparison instead of four.
        var isSingle: Bool { always == 0 && keys.0 == keys.3 }

        /// `matches`, knowing whether `isSingle` holds: the caller branches once per text,
        /// not once per word.
        @inline(__always)
        func matches(_ word: UInt64, single: Bool) -> UInt64 {
            single ? Self.zeroBytes(word ^ keys.0) : matches(word)
        }

        /// The high bit of each byte of `word` that is one of the keys.
        @inline(__always)
        func matches(_ word: UInt64) -> UInt64 {
            Self.zeroBytes(word ^ keys.0) | Self.zeroBytes(word ^ keys.1) | Self.zeroBytes(word ^ keys.2) | Self.zeroBytes(word ^ keys.3)
                | always
        }

        static let highBits: UInt64 = 0x8080_8080_8080_8080
        static let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

        /// The high bit of exactly the zero bytes of `word`.
        @inline(__always)
        static func zeroBytes(_ word: UInt64) -> UInt64 {
            ~(((word & lowBits) &+ lowBits) | word) & highBits
        }
    }

    /// Everything needed to match an activity of one type.
    struct TypeMatcher: Sendable {
        /// Indices into `groups`, or -1 when the type has no such patterns.
        var url = -1
        var content = -1
        /// The rule for activities no pattern matches: the first plain rule by id, or -1.
        var fallbackRule = -1
        var hasRules = false
    }

    private(set) var patterns: [Pattern] = []
    /// The words of every pattern after its first, end to end.
    private(set) var tails: [UInt64] = []
    private(set) var bucketStarts: [Int] = []
    private(set) var groups: [Group] = []
    /// Indexed by `ActivityType.ordinal`.
    private(set) var types: [TypeMatcher] = []

    init(_ rules: [BehaviourRule]) {
        for type in ActivityType.allCases {
            var matcher = TypeMatcher()
            let ofType = rules.indices.filter { rules[$0].activity == type }
            matcher.hasRules = !ofType.isEmpty
            matcher.fallbackRule = ofType.first { rules[$0].urlContains.isEmpty && rules[$0].contentContains.isEmpty } ?? -1
            matcher.url = group(ofType.flatMap { index in rules[index].urlContains.map { ($0, index) } })
            matcher.content = group(ofType.flatMap { index in rules[index].contentContains.map { ($0, index) } })
            types.append(matcher)
        }
    }

    /// Adds a group for `texts` and returns its index, or -1 when there are none.
    private mutating func group(_ texts: [(text: String, rule: Int)]) -> Int {
        let lowered = texts.map { (bytes: Array($0.text.lowercased().utf8), rule: $0.rule) }.filter { !$0.bytes.isEmpty }
        guard !lowered.isEmpty else { return -1 }
        var result = Group(bucketBase: bucketStarts.count)
        // A one-byte pattern may start anywhere its byte is, whatever follows.
        let twoBytes = lowered.allSatisfy { $0.bytes.count >= 2 }
        if twoBytes {
            result.bucketFactor = 31
            result.bucketMask = 0xFF
        }
        func bucket(_ bytes: [UInt8]) -> Int { result.bucket(first: bytes[0], second: twoBytes ? bytes[1] : 0) - result.bucketBase }
        let sorted = lowered.enumerated().sorted { (bucket($0.element.bytes), $0.offset) < (bucket($1.element.bytes), $1.offset) }.map(\.element)
        let firstPattern = patterns.count
        for pattern in sorted {
            let words = Self.words(pattern.bytes)
            patterns.append(Pattern(head: words[0], headMask: Self.mask(bytes: pattern.bytes.count), length: pattern.bytes.count,
                                    rule: pattern.rule, tail: tails.count))
            tails += words.dropFirst()
            result.firstBytes.insert(pattern.bytes[0])
        }
        result.firstKeys = Keys(Set(sorted.map { $0.bytes[0] }))
        if twoBytes { result.secondKeys = Keys(Set(sorted.map { $0.bytes[1] })) }
        for index in 0...256 {
            bucketStarts.append(firstPattern + sorted.count { bucket($0.bytes) < index })
        }
        groups.append(result)
        return groups.count - 1
    }

    /// `bytes` as little-endian words, the last one zero padded.
    static func words(_ bytes: [UInt8]) -> [UInt64] {
        stride(from: 0, to: bytes.count, by: 8).map { start in
            bytes[start..<min(start + 8, bytes.count)].enumerated().reduce(UInt64(0)) { word, byte in
                word | UInt64(byte.element) << UInt64(byte.offset * 8)
            }
        }
    }

    /// The mask of the first `bytes` bytes of a little-endian word (all of it from 8 on).
    @inline(__always)
    static func mask(bytes: Int) -> UInt64 {
        bytes >= 8 ? ~0 : (UInt64(1) << UInt64(bytes * 8)) &- 1
    }
}

/// A set of byte values as 256 bits.
struct ByteSet: Sendable {
    private var low: (UInt64, UInt64) = (0, 0)
    private var high: (UInt64, UInt64) = (0, 0)

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: low.0 |= bit
        case 1: low.1 |= bit
        case 2: high.0 |= bit
        default: high.1 |= bit
        }
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        let word = byte < 128 ? (byte < 64 ? low.0 : low.1) : (byte < 192 ? high.0 : high.1)
        return word & bit != 0
    }
}
