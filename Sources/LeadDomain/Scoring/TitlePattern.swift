/// Whole-word, case-insensitive title matching without regular expressions or per-call
/// allocation: the scorer's hot path runs it for every persona and every excluded title.
///
/// A pattern is a sequence of words ("vp marketing"); it matches when the same words
/// appear next to each other in the title ("Senior VP, Marketing & Growth"). Words are
/// runs of letters and digits. A trailing `*` on a pattern word matches any word with that
/// prefix. Matching on words keeps "cto" from matching "director".
enum TitlePattern {
    /// Lower case, words separated by single spaces, `*` kept at word ends.
    static func normalize(_ pattern: String) -> String {
        var words: [String] = []
        var current = ""
        for character in pattern.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if character == "*" && !current.isEmpty {
                current.append("*")
                words.append(current)
                current = ""
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.joined(separator: " ")
    }
}

/// Title patterns compiled into flat arrays: every pattern is a range of words, every word
/// a range of bytes. Plain values only, so matching copies no references.
struct TitlePatternTable: Sendable {
    struct Word: Sendable {
        let offset: Int
        let length: Int
        let prefix: Bool
    }

    private(set) var bytes: [UInt8] = []
    private(set) var words: [Word] = []
    /// Ranges into `words`, one per pattern.
    private(set) var patterns: [Range<Int>] = []
    /// Per pattern, the `TitleWords.firstByteBit` of each of its words: a title lacking
    /// one of them cannot match, which rules out most patterns with one test.
    private(set) var firstByteBits: [UInt64] = []

    /// Adds a pattern and returns its index.
    mutating func add(_ pattern: String) -> Int {
        let start = words.count
        var bits: UInt64 = 0
        for part in TitlePattern.normalize(pattern).split(separator: " ") {
            let isPrefix = part.hasSuffix("*")
            let text = Array((isPrefix ? part.dropLast() : part).utf8)
            words.append(Word(offset: bytes.count, length: text.count, prefix: isPrefix))
            bytes += text
            if let first = text.first { bits |= TitleWords.firstByteBit(first) }
        }
        patterns.append(start..<words.count)
        firstByteBits.append(bits)
        return patterns.count - 1
    }

    /// The table in storage of its own, so that a matcher is only pointers.
    final class Frozen: Sendable {
        private let bytes: FrozenArray<UInt8>
        private let words: FrozenArray<Word>
        private let patterns: FrozenArray<Range<Int>>
        private let firstByteBits: FrozenArray<UInt64>

        init(_ table: TitlePatternTable) {
            bytes = FrozenArray(table.bytes)
            words = FrozenArray(table.words)
            patterns = FrozenArray(table.patterns)
            firstByteBits = FrozenArray(table.firstByteBits)
        }

        /// Valid while this object is alive.
        var matcher: Matcher {
            Matcher(bytes: bytes.buffer, words: words.buffer, patterns: patterns.buffer, firstByteBits: firstByteBits.buffer)
        }
    }

    struct Matcher {
        let bytes: UnsafeBufferPointer<UInt8>
        let words: UnsafeBufferPointer<Word>
        let patterns: UnsafeBufferPointer<Range<Int>>
        let firstByteBits: UnsafeBufferPointer<UInt64>

        /// Whether pattern `index` occurs in `title`.
        func matches(_ index: Int, in title: TitleWords) -> Bool {
            guard firstByteBits[index] & ~title.firstByteBits == 0 else { return false }
            let range = patterns[index]
            let length = range.count
            guard length > 0, title.count >= length else { return false }
            var start = 0
            while start + length <= title.count {
                var all = true
                for offset in 0..<length {
                    let word = words[range.lowerBound + offset]
                    if !title.word(start + offset, equals: bytes, word.offset, word.length, prefix: word.prefix) {
                        all = false
                        break
                    }
                }
                if all { return true }
                start += 1
            }
            return false
        }
    }
}

/// A title split into words over a lower-cased byte buffer, set up once per lead.
struct TitleWords {
    let bytes: UnsafeBufferPointer<UInt8>
    let starts: UnsafeMutableBufferPointer<Int>
    let ends: UnsafeMutableBufferPointer<Int>
    private(set) var count = 0
    /// The `firstByteBit` of every word.
    private(set) var firstByteBits: UInt64 = 0

    /// Splits `bytes` (already lower case) into words; `starts`/`ends` need room for
    /// `bytes.count / 2 + 1` words.
    init(bytes: UnsafeBufferPointer<UInt8>, starts: UnsafeMutableBufferPointer<Int>, ends: UnsafeMutableBufferPointer<Int>) {
        self.bytes = bytes
        self.starts = starts
        self.ends = ends
        var index = 0
        while index < bytes.count {
            while index < bytes.count && !TitleWords.isWordByte(bytes[index]) { index += 1 }
            guard index < bytes.count else { break }
            let start = index
            while index < bytes.count && TitleWords.isWordByte(bytes[index]) { index += 1 }
            starts[count] = start
            ends[count] = index
            count += 1
            firstByteBits |= Self.firstByteBit(bytes[start])
        }
    }

    /// A word's first byte as one of 64 bits (some bytes share a bit; that only lets a
    /// pattern through to the full comparison).
    @inline(__always)
    static func firstByteBit(_ byte: UInt8) -> UInt64 {
        1 << UInt64(byte & 63)
    }

    /// Letters, digits, and every byte of a non-ASCII character (treated as a letter).
    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte >= 0x80
    }

    @inline(__always)
    func word(_ index: Int, equals pattern: UnsafeBufferPointer<UInt8>, _ offset: Int, _ length: Int, prefix: Bool) -> Bool {
        let start = starts[index], wordLength = ends[index] - start
        guard prefix ? wordLength >= length : wordLength == length else { return false }
        for position in 0..<length where bytes[start + position] != pattern[offset + position] { return false }
        return true
    }

    /// Runs `body` with the words of `title`, lower-casing ASCII into a stack buffer.
    /// Titles with non-ASCII letters are lower-cased by `String` first (rare, allocates).
    static func with<R>(_ title: String, _ body: (TitleWords) -> R) -> R {
        if title.utf8.withContiguousStorageIfAvailable({ !$0.contains { $0 >= 0x80 } }) == true {
            return title.utf8.withContiguousStorageIfAvailable { with(bytes: $0, body) }!
        }
        var lowered = title.lowercased()
        lowered.makeContiguousUTF8()
        return lowered.utf8.withContiguousStorageIfAvailable { with(bytes: $0, body) }!
    }

    private static func with<R>(bytes title: UnsafeBufferPointer<UInt8>, _ body: (TitleWords) -> R) -> R {
        let count = title.count
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { buffer in
            for index in 0..<count {
                let byte = title[index]
                buffer[index] = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
            }
            let wordCapacity = count / 2 + 1
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: wordCapacity * 2) { spans in
                let starts = UnsafeMutableBufferPointer(rebasing: spans[0..<wordCapacity])
                let ends = UnsafeMutableBufferPointer(rebasing: spans[wordCapacity...])
                return body(TitleWords(bytes: UnsafeBufferPointer(buffer), starts: starts, ends: ends))
            }
        }
    }
}
