/// Reads the free-form numbers CRM exports and web forms put in employee and revenue fields,
/// and returns the lower bound as a whole number.
///
/// Understood: plain and grouped numbers ("250", "10,000,000", "10.000"), decimals ("1.2K",
/// "2,5M"), multipliers ("k", "M", "MM", "Mio", "B", "bn", "thousand", "million", "billion"),
/// currency symbols and codes, which are dropped ("$", "€", "EUR"), ranges ("1,000-5,000",
/// "1M–5M", "100 to 500": the lower bound, taking the upper's multiplier in "1-5M"), open
/// ranges ("5000+"), hedges ("approx. 300", "about", "~", "over") and unit words
/// ("employees", "per year"). Anything else, including negative numbers and upper bounds
/// alone ("<10"), gives nil.
///
/// Grouping: a comma followed by groups of exactly three digits groups thousands; so does a
/// single dot before exactly three digits when no multiplier follows ("1.200" employees is
/// 1200, since nobody has 1.2 employees); any other single comma or dot is a decimal mark.
enum QuantityParser {
    static func lowerBound(_ text: String) -> Int64? {
        if let plain = Int64(text), plain >= 0 { return plain }
        if let common = commonShape(text) { return common }
        return generalLowerBound(text)
    }

    /// The reader for every shape; ``commonShape(_:)`` only takes a shortcut for a few.
    static func generalLowerBound(_ text: String) -> Int64? {
        guard let tokens = tokenize(text) else { return nil }
        var index = tokens.startIndex
        while index < tokens.endIndex, case .word(let word) = tokens[index], hedges.contains(word) { index += 1 }
        while index < tokens.endIndex, case .symbol(let symbol) = tokens[index], "~>=".contains(symbol) { index += 1 }
        guard let lower = quantity(tokens, &index) else { return nil }
        var result = lower.value
        if index < tokens.endIndex {
            switch tokens[index] {
            case .symbol("+"):
                index += 1
            case .symbol("-"), .word("to"):
                index += 1
                guard let upper = quantity(tokens, &index) else { return nil }
                if lower.multiplier == 1, upper.multiplier != 1,
                   let scaled = scaled(lower.number, by: upper.multiplier), scaled <= upper.value {
                    result = scaled
                }
            default:
                break
            }
        }
        while index < tokens.endIndex {
            switch tokens[index] {
            case .word(let word) where unitWords.contains(word): index += 1
            case .symbol("+"), .symbol("/"): index += 1
            default: return nil
            }
        }
        return result
    }

    private enum Token: Equatable {
        case number(String)
        case word(String)
        case symbol(Character)
    }

    private struct Quantity {
        var number: DecimalText
        var multiplier: Int64
        var value: Int64
    }

    /// Digits before and after the decimal mark.
    private struct DecimalText {
        var whole: String
        var fraction: String
    }

    private static func quantity(_ tokens: [Token], _ index: inout Int) -> Quantity? {
        guard index < tokens.endIndex, case .number(let raw) = tokens[index] else { return nil }
        index += 1
        var multiplier: Int64 = 1
        if index < tokens.endIndex, case .word(let word) = tokens[index], let factor = multipliers[word] {
            multiplier = factor
            index += 1
        }
        guard let number = decimal(raw, hasMultiplier: multiplier != 1),
              let value = scaled(number, by: multiplier) else { return nil }
        return Quantity(number: number, multiplier: multiplier, value: value)
    }

    private static func scaled(_ number: DecimalText, by multiplier: Int64) -> Int64? {
        guard let whole = Int64(number.whole) else { return nil }
        let (product, overflow) = whole.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        var fractionValue: Int64 = 0
        var unit = multiplier
        for digit in number.fraction.utf8 {
            unit /= 10
            if unit == 0 { break }
            fractionValue += Int64(digit - UInt8(ascii: "0")) * unit
        }
        let (sum, sumOverflow) = product.addingReportingOverflow(fractionValue)
        return sumOverflow ? nil : sum
    }

    /// Splits "1,234.5" into whole and fraction digits by the grouping rules above.
    private static func decimal(_ raw: String, hasMultiplier: Bool) -> DecimalText? {
        let commas = raw.filter { $0 == "," }.count
        let dots = raw.filter { $0 == "." }.count
        if commas > 0, dots > 0 {
            let decimalMark: Character = raw.lastIndex(of: ",")! > raw.lastIndex(of: ".")! ? "," : "."
            let parts = raw.split(separator: decimalMark, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            let grouping: Character = decimalMark == "," ? "." : ","
            guard let whole = grouped(String(parts[0]), by: grouping) else { return nil }
            return DecimalText(whole: whole, fraction: String(parts[1]))
        }
        if commas == 0, dots == 0 { return DecimalText(whole: raw, fraction: "") }
        let mark: Character = commas > 0 ? "," : "."
        if let whole = grouped(raw, by: mark), mark == "," || dots > 1 || !hasMultiplier {
            return DecimalText(whole: whole, fraction: "")
        }
        let parts = raw.split(separator: mark, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return DecimalText(whole: String(parts[0]), fraction: String(parts[1]))
    }

    /// The digits without grouping marks, or nil unless every group after the first has three
    /// digits and the first has one to three.
    private static func grouped(_ raw: String, by mark: Character) -> String? {
        let groups = raw.split(separator: mark, omittingEmptySubsequences: false)
        guard groups.count > 1, (1...3).contains(groups[0].count),
              groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        return groups.joined()
    }

    private static func tokenize(_ text: String) -> [Token]? {
        var tokens: [Token] = []
        var characters = Array(text.lowercased())[...]
        while let character = characters.first {
            if character.isASCII, character.isNumber {
                let run = characters.prefix { ($0.isASCII && $0.isNumber) || $0 == "," || $0 == "." }
                var number = String(run)
                while let last = number.last, last == "," || last == "." { number.removeLast() }
                characters = characters.dropFirst(number.count)
                tokens.append(.number(number))
            } else if character.isLetter {
                let word = String(characters.prefix { $0.isLetter })
                characters = characters.dropFirst(word.count)
                if !currencyWords.contains(word) { tokens.append(.word(word)) }
            } else if "+-~>=/".contains(character) {
                tokens.append(.symbol(character))
                characters = characters.dropFirst()
            } else if "\u{2013}\u{2014}".contains(character) {
                tokens.append(.symbol("-"))
                characters = characters.dropFirst()
            } else if character.isWhitespace || ".,:()".contains(character) || currencySymbols.contains(character) {
                characters = characters.dropFirst()
            } else {
                return nil
            }
        }
        return tokens
    }

    private static let multipliers: [String: Int64] = [
        "k": 1_000, "thousand": 1_000, "thousands": 1_000, "tsd": 1_000,
        "m": 1_000_000, "mm": 1_000_000, "mn": 1_000_000, "mio": 1_000_000, "mil": 1_000_000,
        "million": 1_000_000, "millions": 1_000_000,
        "b": 1_000_000_000, "bn": 1_000_000_000, "bil": 1_000_000_000, "mrd": 1_000_000_000,
        "billion": 1_000_000_000, "billions": 1_000_000_000,
        "t": 1_000_000_000_000, "tn": 1_000_000_000_000, "trillion": 1_000_000_000_000,
    ]
    private static let hedges: Set<String> = [
        "approx", "approximately", "appr", "about", "around", "ca", "circa", "roughly", "some",
        "est", "estimated", "over", "more", "than", "at", "least", "min", "minimum",
    ]
    private static let unitWords: Set<String> = [
        "employees", "employee", "people", "persons", "staff", "fte", "ftes", "headcount", "heads",
        "per", "a", "p", "pa", "year", "yr", "annually", "annual", "revenue", "or", "and", "more", "plus", "above",
    ]
    private static let currencyWords: Set<String> = [
        "usd", "eur", "gbp", "chf", "jpy", "cad", "aud", "inr", "cny", "sek", "nok", "dkk", "pln", "us",
    ]
    private static let currencySymbols: Set<Character> = ["$", "€", "£", "¥", "₹", "₩", "₽", "₺"]
}
