extension IncomingLead {
    /// The lead as a JSON object with its keys in order, the same document the `Codable`
    /// encoding gives, written by hand: a bulk import writes one per row.
    public var jsonText: String {
        var json = "{"
        json.reserveCapacity(256)
        for (field, key) in Self.keysByName {
            guard let value = self[field] else { continue }
            if json.utf8.count > 1 { json += "," }
            json += key
            JSONText.appendQuoted(value, to: &json)
        }
        json += "}"
        return json
    }

    /// Each field with its quoted key and colon, built once: concatenating them per row
    /// allocated a string per field.
    private static let keysByName = LeadField.allCases.sorted { $0.name < $1.name }.map { ($0, "\"\($0.name)\":") }
}
