import Testing
@testable import Intake

@Suite struct QuantityParserTests {
    @Test(arguments: [
        ("250", 250), ("1,000-5,000", 1_000), ("1000-5000", 1_000), ("5000+", 5_000), ("10,001+", 10_001),
        ("10k", 10_000), ("10K", 10_000), ("1.2K", 1_200), ("approx. 300", 300), ("about 300 employees", 300),
        ("~300", 300), ("ca. 50", 50), ("1.200", 1_200), ("10.000", 10_000), ("1 - 10", 1), ("100 to 500", 100),
        ("1–10", 1), ("1000 or more", 1_000), ("0", 0),
    ] as [(String, Int64)])
    func employees(input: String, expected: Int64) {
        #expect(QuantityParser.lowerBound(input) == expected)
    }

    @Test(arguments: [
        ("$10M", 10_000_000), ("€2.5B", 2_500_000_000), ("10,000,000", 10_000_000), ("1M-5M", 1_000_000),
        ("$500K", 500_000), ("10 million", 10_000_000), ("$100M-$500M", 100_000_000), ("1-5M", 1_000_000),
        ("500-1M", 500), ("USD 2.5 million", 2_500_000), ("2,5 Mio", 2_500_000), ("1.5 bn EUR", 1_500_000_000),
        ("£750k", 750_000), ("12MM", 12_000_000), ("1,234,567.89", 1_234_567), ("1.234.567,89", 1_234_567),
        ("$3.75M per year", 3_750_000), ("9000000000000000000", 9_000_000_000_000_000_000),
    ] as [(String, Int64)])
    func revenue(input: String, expected: Int64) {
        #expect(QuantityParser.lowerBound(input) == expected)
    }

    @Test(arguments: [
        "", "unknown", "n/a", "-5", "<10", "lots", "10 apples", "1,00,000", "99999999999999999999",
        "20B trillion", "10,000,000 trillion", "12 34", "1e6", "$", "abc 10",
    ])
    func unreadable(input: String) {
        #expect(QuantityParser.lowerBound(input) == nil)
    }

    /// The byte-level shortcut for common shapes must agree with the general reader on every
    /// value it takes, and leave every other value to it.
    @Test func theCommonShapeShortcutAgreesWithTheGeneralReader() {
        let numbers = ["0", "7", "042", "250", "1000", "1,000", "10,000", "1,000,000", "12,34", "1000,000", ",100",
                       "1,", "999999999999999", "9999999999999999", "2.5", ""]
        let multipliers = ["", "k", "K", "m", "M", "b", "B", "t", "T", "x", "MM", " M"]
        let joins = ["", "+", "-", "-$", "+1", " - ", "to", "\u{2013}"]
        var taken = 0
        for currency in ["", "$", "€"] {
            for number in numbers {
                for multiplier in multipliers {
                    for join in joins {
                        for upper in ["", "5", "5,000", "5M", "2k", "1,5M"] {
                            let text = currency + number + multiplier + join + upper
                            guard let shortcut = QuantityParser.commonShape(text) else { continue }
                            taken += 1
                            #expect(shortcut == QuantityParser.generalLowerBound(text), "\(text)")
                        }
                    }
                }
            }
        }
        #expect(taken > 500, "the shortcut should take the common shapes, took \(taken)")
    }
}
