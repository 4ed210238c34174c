extension QuantityParser {
    /// The shapes most real values take, read byte by byte without the general reader's
    /// tokens: "1,000", "5000+", "$120M", "1,000-5,000", "1-5M". Each shape gives the same
    /// value the general reader gives; nil means "not one of these shapes", not "unreadable".
    static func commonShape(_ text: String) -> Int64? {
        var text = text
        // Read through the string's own UTF-8 storage: a substring's index checks on every
        // byte cost more than the reading.
        return text.withUTF8 { bytes -> Int64? in
            var position = 0
            guard let lower = quantity(bytes, &position) else { return nil }
            guard position < bytes.count else { return lower.value }
            let next = bytes[position]
            position += 1
            switch next {
            case UInt8(ascii: "+"):
                return position == bytes.count ? lower.value : nil
            case UInt8(ascii: "-"):
                guard let upper = quantity(bytes, &position), position == bytes.count else { return nil }
                // "1-5M": the lower bound takes the upper's multiplier, if that keeps it lower.
                if lower.multiplier == 1, upper.multiplier != 1 {
                    let (scaled, overflow) = lower.value.multipliedReportingOverflow(by: upper.multiplier)
                    if !overflow, scaled <= upper.value { return scaled }
                }
                return lower.value
            default:
                return nil
            }
        }
    }

    /// An optional "$", a number (plain digits, or 1–3 digits then ",ddd" groups) and an
    /// optional one-letter multiplier (k, M, B, T), from `position` on.
    private static func quantity(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> (value: Int64, multiplier: Int64)? {
        if position < bytes.count, bytes[position] == UInt8(ascii: "$") { position += 1 }
        var value: Int64 = 0
        var digits = 0
        var groupDigits = 0
        var grouped = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digits += 1
                guard digits <= 15 else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                groupDigits += 1
            } else if byte == UInt8(ascii: ",") {
                guard groupDigits == 3 || (!grouped && (1...3).contains(groupDigits)) else { return nil }
                grouped = true
                groupDigits = 0
            } else {
                break
            }
            position += 1
        }
        guard digits > 0, !grouped || groupDigits == 3 else { return nil }
        var multiplier: Int64 = 1
        if position < bytes.count, let factor = letterMultiplier(bytes[position]) {
            position += 1
            multiplier = factor
        }
        let (scaled, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : (scaled, multiplier)
    }

    private static func letterMultiplier(_ byte: UInt8) -> Int64? {
        switch byte | 0x20 {
        case UInt8(ascii: "k"): 1_000
        case UInt8(ascii: "m"): 1_000_000
        case UInt8(ascii: "b"): 1_000_000_000
        case UInt8(ascii: "t"): 1_000_000_000_000
        default: nil
        }
    }
}
