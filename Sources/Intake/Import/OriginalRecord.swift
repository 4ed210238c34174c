/// A record as it was received, kept so a rejected record can be stored with its payload.
///
/// Rendering is deferred to ``text``: a CSV row keeps its already decoded fields, and only
/// rejected rows, which are few, pay for turning them into text.
public struct OriginalRecord: Sendable, Hashable {
    private enum Storage: Sendable, Hashable {
        case csv(header: [String], fields: [String])
        case line(String)
    }

    private let storage: Storage

    /// A CSV row, with the header that names its fields.
    public static func csv(header: [String], fields: [String]) -> OriginalRecord {
        OriginalRecord(storage: .csv(header: header, fields: fields))
    }

    /// A line of text (a JSONL line), exactly as received.
    public static func line(_ text: String) -> OriginalRecord {
        OriginalRecord(storage: .line(text))
    }

    /// A JSONL line verbatim; a CSV row as a JSON object from header to value, in column order
    /// (extra fields without a header are named `column N`, 1-based).
    public var text: String {
        switch storage {
        case .line(let text):
            return text
        case .csv(let header, let fields):
            var json = "{"
            for (index, value) in fields.enumerated() {
                if index > 0 { json += "," }
                let name = index < header.count ? header[index] : "column \(index + 1)"
                JSONText.appendQuoted(name, to: &json)
                json += ":"
                JSONText.appendQuoted(value, to: &json)
            }
            return json + "}"
        }
    }
}
