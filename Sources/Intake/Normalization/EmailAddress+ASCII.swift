extension EmailAddress {
    /// ``parts(_:)`` for text that is all ASCII, the usual case, read as bytes: the same
    /// rules, without Unicode-aware case folding, splitting and searching.
    static func asciiParts(_ text: String) -> (local: String, domain: String, address: String)? {
        var bytes = Array(text.utf8)
        guard bytes.count <= 254 else { return nil }
        var at: Int?
        for index in bytes.indices {
            if bytes[index] >= UInt8(ascii: "A"), bytes[index] <= UInt8(ascii: "Z") { bytes[index] |= 0x20 }
            if bytes[index] == UInt8(ascii: "@") {
                guard at == nil else { return nil }
                at = index
            }
        }
        guard let at else { return nil }
        let local = bytes[..<at]
        var domain = bytes[(at + 1)...]
        if domain.last == UInt8(ascii: ".") { domain = domain.dropLast() }
        guard isValidASCIILocalPart(local), isValidASCIIDomain(domain) else { return nil }
        return (String(decoding: local, as: UTF8.self), String(decoding: domain, as: UTF8.self),
                String(decoding: bytes[..<domain.endIndex], as: UTF8.self))
    }

    private static func isValidASCIILocalPart(_ local: ArraySlice<UInt8>) -> Bool {
        guard !local.isEmpty, local.count <= 64, local.first != UInt8(ascii: "."), local.last != UInt8(ascii: ".") else {
            return false
        }
        var previous: UInt8 = 0
        for byte in local {
            guard byte >= 0x21, byte != 0x7F, !isForbiddenInLocalPart(byte) else { return false }
            if byte == UInt8(ascii: "."), previous == UInt8(ascii: ".") { return false }
            previous = byte
        }
        return true
    }

    /// ``isValidDomain(_:)`` in one pass over the bytes, label by label.
    private static func isValidASCIIDomain(_ domain: ArraySlice<UInt8>) -> Bool {
        var labels = 0
        var labelStart = domain.startIndex
        var allDigits = true
        for index in domain.indices {
            let byte = domain[index]
            if byte == UInt8(ascii: ".") {
                guard isValidASCIILabel(domain[labelStart..<index]) else { return false }
                labels += 1
                labelStart = index + 1
                allDigits = true
                continue
            }
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard isDigit || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || byte == UInt8(ascii: "-") else { return false }
            allDigits = allDigits && isDigit
        }
        let topLevel = domain[labelStart...]
        return labels >= 1 && isValidASCIILabel(topLevel) && topLevel.count >= 2 && !allDigits
    }

    private static func isValidASCIILabel(_ label: ArraySlice<UInt8>) -> Bool {
        !label.isEmpty && label.count <= 63 && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
    }

    /// `forbiddenInLocalPart` as a switch: a set lookup per byte hashed every address's bytes.
    private static func isForbiddenInLocalPart(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"),
             UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "\\"), UInt8(ascii: "]"), UInt8(ascii: "@"): true
        default: false
        }
    }
}
