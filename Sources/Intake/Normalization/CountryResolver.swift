import Foundation

/// Turns what people type into a country field into an ISO 3166-1 alpha-2 code.
///
/// Accepts English names, the aliases and native names in ``CountryTable`` ("USA", "U.K.",
/// "Deutschland", "España", "Holland", "Korea"), and alpha-2 or alpha-3 codes, in any case,
/// with or without accents, dots, a leading "the", and with "&" for "and". "NA" is Namibia, as
/// ISO says; a placeholder such as "N/A" matches nothing.
public struct CountryResolver: Sendable {
    /// Folded name, alias or code → alpha-2.
    private let codes: [String: String]
    /// The table's and the aliases' own spellings → alpha-2, as `codes` resolves them: most
    /// values arrive spelled exactly so ("United States", "DE"), and skip the folding.
    private let spelledAsListed: [String: String]

    /// The built-in table.
    public static let standard = CountryResolver()

    /// - Parameter additionalAliases: extra names (say, a team's own spellings) mapped to
    ///   alpha-2 codes; they win over the built-in table.
    public init(additionalAliases: [String: String] = [:]) {
        var codes: [String: String] = [:]
        for entry in Self.entries {
            for name in entry.names { codes[Self.key(name)] = entry.alpha2 }
        }
        for (alias, code) in additionalAliases { codes[Self.key(alias)] = code.uppercased() }
        self.codes = codes
        var spelledAsListed: [String: String] = [:]
        for name in Self.entries.flatMap(\.names) + additionalAliases.keys {
            spelledAsListed[name] = codes[Self.key(name)]
        }
        self.spelledAsListed = spelledAsListed
    }

    /// The alpha-2 code for a name, alias or code, or nil when it is not known.
    public func alpha2Code(for text: String) -> String? {
        if let code = spelledAsListed[text] { return code }
        let key = Self.key(text)
        return key.isEmpty ? nil : codes[key]
    }

    /// Every alpha-2 code the built-in table knows.
    public static let alpha2Codes: Set<String> = Set(entries.map(\.alpha2))

    struct Entry {
        let alpha2: String
        let alpha3: String
        /// Both codes, the English name and every alias.
        let names: [String]
    }

    static let entries: [Entry] = CountryTable.text.split(separator: "\n").map { line in
        let parts = line.trimmingCharacters(in: .whitespaces).split(separator: "|").map(String.init)
        return Entry(alpha2: parts[0], alpha3: parts[1], names: parts)
    }

    /// Folds a name to its lookup key: lower case, no accents, no dots or apostrophes, other
    /// punctuation as single spaces, "&" as "and", and no leading "the".
    static func key(_ text: String) -> String {
        var source = text.lowercased()
        if !source.utf8.allSatisfy({ $0 < 0x80 }) {
            source = source.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            for (letter, replacement) in Self.unfoldedLetters { source = source.replacingOccurrences(of: letter, with: replacement) }
        }
        var key = ""
        var pendingSpace = false
        for scalar in source.unicodeScalars {
            switch scalar {
            case ".", "'", "\u{2019}", "`": continue
            case "&":
                key += key.isEmpty ? "and" : " and"
                pendingSpace = true
                continue
            default: break
            }
            if Self.isLetterOrDigit(scalar) {
                if pendingSpace, !key.isEmpty { key.append(" ") }
                pendingSpace = false
                key.unicodeScalars.append(scalar)
            } else {
                pendingSpace = true
            }
        }
        if key.hasPrefix("the ") { key.removeFirst(4) }
        return key
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "0"..."9": true
        case _ where scalar.isASCII: false
        default: scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        }
    }

    /// Letters that diacritic folding leaves alone but people type without.
    private static let unfoldedLetters: [(String, String)] = [("ø", "o"), ("æ", "ae"), ("œ", "oe"), ("ł", "l"), ("đ", "d"), ("þ", "th")]
}
