/// Writing JSON text by hand, for the few hot or tiny documents where an encoder costs more
/// than the document: the one rule that matters is escaping strings exactly.
public enum JSONText {
    /// Appends `text` as a JSON string literal, quotes included.
    public static func appendQuoted(_ text: String, to json: inout String) {
        json += "\""
        if text.utf8.allSatisfy(isPlain) {
            json += text
        } else {
            appendEscaped(text, to: &json)
        }
        json += "\""
    }

    /// Bytes that stand for themselves inside a JSON string (most text is only these).
    private static func isPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    private static func appendEscaped(_ text: String, to json: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            case "\n": json += "\\n"
            case "\r": json += "\\r"
            case "\t": json += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                json += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: json.unicodeScalars.append(scalar)
            }
        }
    }
}
