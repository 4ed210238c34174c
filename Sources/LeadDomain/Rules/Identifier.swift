import Foundation

/// The one normalization used on both sides of every comparison between rule values and
/// lead values (industries, regions, seniorities, departments, segments): lower case, runs
/// of anything but letters and digits turned into one underscore. "Financial Services"
/// and `financial_services` then compare equal.
enum Identifier {
    static func normalize(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingUnderscore = false
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingUnderscore && !result.isEmpty { result.append("_") }
                pendingUnderscore = false
                result.append(character)
            } else {
                pendingUnderscore = true
            }
        }
        return result
    }

    /// Country codes are compared upper case (ISO 3166-1 alpha-2, e.g. `DE`).
    static func normalizeCountry(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).uppercased()
    }

    /// E-mail domains are compared lower case, without a leading `@` or trailing dot.
    static func normalizeDomain(_ text: String) -> String {
        var domain = Substring(text.trimmingCharacters(in: .whitespaces).lowercased())
        while domain.first == "@" { domain = domain.dropFirst() }
        while domain.last == "." { domain = domain.dropLast() }
        return String(domain)
    }
}
