import Foundation

/// A syntactically usable e-mail address, case-folded to lower case.
///
/// Deliberately stricter than RFC 5322 and looser than a mailbox check: one `@`, a non-empty
/// local part without spaces or the characters that only appear in quoted forms, and a domain
/// of at least two non-empty labels (letters, digits, hyphens; no leading or trailing hyphen)
/// whose last label has two or more characters and is not all digits. Quoted local parts and IP
/// literals are refused: B2B leads never use them, and typos look like them.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The whole address, lower case.
    public let address: String
    public let localPart: String
    /// Lower case, without a trailing dot.
    public let domain: String

    /// Parses trimmed text; nil when it is not a usable address.
    public init?(_ text: String) {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            guard let (local, domain, address) = Self.asciiParts(text) else { return nil }
            (self.localPart, self.domain, self.address) = (local, domain, address)
        } else {
            guard let (local, domain) = Self.parts(text) else { return nil }
            (self.localPart, self.domain, self.address) = (local, domain, local + "@" + domain)
        }
    }

    /// Local part and domain, lower case, of any text, in Unicode's composed form (NFC).
    ///
    /// Composed, because the same address can arrive as different code points ("é" as one,
    /// or as "e" and a combining accent): Swift compares strings by canonical equivalence and
    /// so would fold the two into one lead within a batch, while PostgreSQL compares bytes and
    /// would keep two leads across batches.
    static func parts(_ text: String) -> (String, String)? {
        let lowered = text.lowercased().precomposedStringWithCanonicalMapping
        guard lowered.utf8.count <= 254 else { return nil }
        let parts = lowered.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let local = parts[0]
        var domain = parts[1]
        if domain.hasSuffix(".") { domain = domain.dropLast() }
        guard Self.isValidLocalPart(local), Self.isValidDomain(domain) else { return nil }
        return (String(local), String(domain))
    }

    public var description: String { address }

    private static func isValidLocalPart(_ local: Substring) -> Bool {
        guard !local.isEmpty, local.utf8.count <= 64, local.first != ".", local.last != ".",
              !local.contains("..") else { return false }
        return local.unicodeScalars.allSatisfy { scalar in
            if scalar.isASCII {
                return scalar.value >= 0x21 && scalar.value != 0x7F && !forbiddenInLocalPart.contains(scalar)
            }
            return !scalar.properties.isWhitespace && !scalar.properties.generalCategory.isControlOrFormat
        }
    }

    private static func isValidDomain(_ domain: Substring) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let topLevel = labels.last, topLevel.count >= 2,
              !topLevel.allSatisfy(\.isNumber) else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy(isDomainCharacter)
        }
    }

    /// Letters (any script, for internationalized domains), digits and hyphens.
    private static func isDomainCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "0"..."9", "-": true
        case _ where scalar.isASCII: false
        default: scalar.properties.isAlphabetic
        }
    }

    static let forbiddenInLocalPart: Set<Unicode.Scalar> = ["\"", "(", ")", ",", ":", ";", "<", ">", "[", "\\", "]", "@"]
}

private extension Unicode.GeneralCategory {
    var isControlOrFormat: Bool { self == .control || self == .format }
}
