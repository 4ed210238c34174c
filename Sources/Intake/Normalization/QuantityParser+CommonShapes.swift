extension QuantityParser {
    /// The shapes most real values take, read byte by byte without the general reader's
    /// tokens: "1,000", "5000+", "$120M", "1,000-5,000", "1-5M". Each shape gives the same
    /// value the general reader gives; nil means "not one of these shapes", not "unreadable".
    static func commonShape(_ text: String) -> Int64? {
        var bytes = text.utf8[...]
        guard let lower = quantity(&bytes) else { return nil }
        guard let next = bytes.popFirst() else { return lower.value }
        switch next {
        case UInt8(ascii: "+"):
            return bytes.isEmpty ? lower.value : nil
        case UInt8(ascii: "-"):
            guard let upper = quantity(&bytes), bytes.isEmpty else { return nil }
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

    /// An optional "$", a number (plain digits, or 1–3 digits then ",ddd" groups) and an
    /// optional one-letter multiplier (k, M, B, T).
    private static func quantity(_ bytes: inout Substring.UTF8View.SubSequence) -> (value: Int64, multiplier: Int64)? {
        if bytes.first == UInt8(ascii: "$") { bytes.removeFirst() }
        var value: Int64 = 0
        var digits = 0
        var groupDigits = 0
        var grouped = false
        while let byte = bytes.first {
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
            bytes.removeFirst()
        }
        guard digits > 0, !grouped || groupDigits == 3 else { return nil }
        var multiplier: Int64 = 1
        if let byte = bytes.first, let factor = letterMultiplier(byte) {
            bytes.removeFirst()
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
