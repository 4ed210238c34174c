import Testing
@testable import LeadDomain

@Suite("Title patterns")
struct TitlePatternTests {
    /// Plain whole-word matching on strings, as the patterns are documented.
    private static func referenceMatches(_ pattern: String, _ title: String) -> Bool {
        let patternWords = TitlePattern.normalize(pattern).split(separator: " ").map { Array($0.utf8) }
        var titleWords: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in title.lowercased().utf8 {
            if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte >= 0x80 {
                current.append(byte)
            } else if !current.isEmpty {
                titleWords.append(current)
                current = []
            }
        }
        if !current.isEmpty { titleWords.append(current) }
        guard !patternWords.isEmpty, titleWords.count >= patternWords.count else { return false }
        return (0...(titleWords.count - patternWords.count)).contains { start in
            patternWords.indices.allSatisfy { offset in
                let word = titleWords[start + offset], pattern = patternWords[offset]
                return pattern.last == UInt8(ascii: "*") ? word.starts(with: pattern.dropLast()) : word == pattern
            }
        }
    }

    @Test func matchesLikeThePlainReference() {
        let vocabulary = ["vp", "head", "of", "data", "analytics", "gen", "generation", "demand", "cto", "director", "c", "a1",
                          "intern", "international", "über", "Über", "product", "x"]
        var generator = SplitMix64(seed: 11)
        func pick(_ count: ClosedRange<Int>) -> [String] {
            (0..<Int.random(in: count, using: &generator)).map { _ in vocabulary.randomElement(using: &generator)! }
        }
        for _ in 0..<200 {
            // Random patterns with repeated words, prefixes (also of an exact word's text) and separators.
            let patterns = (0..<Int.random(in: 1...12, using: &generator)).map { _ in
                pick(0...3).map { Bool.random(using: &generator) ? $0 + "*" : $0 }.joined(separator: Bool.random(using: &generator) ? " " : ", ")
            }
            var table = TitlePatternTable()
            let indices = patterns.map { table.add($0) }
            let frozen = TitlePatternTable.Frozen(table)
            for _ in 0..<50 {
                let title = pick(0...6).map { Bool.random(using: &generator) ? $0.uppercased() : $0 }
                    .joined(separator: [" ", "-", " & ", "/", ""].randomElement(using: &generator)!)
                let found = withExtendedLifetime(frozen) { TitleWords.with(title) { words in indices.map { frozen.matcher.matches($0, in: words) } } }
                for (index, pattern) in patterns.enumerated() {
                    #expect(found[index] == Self.referenceMatches(pattern, title), "\(pattern) in \(title)")
                }
            }
        }
    }
}
