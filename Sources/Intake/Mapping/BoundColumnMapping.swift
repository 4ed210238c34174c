/// A ``ColumnMapping`` matched to one header: field positions resolved once, so each row is
/// mapped by index.
public struct BoundColumnMapping: Sendable, Hashable {
    /// The header row as read.
    public let header: [String]
    private let columns: [Column]
    private let defaults: [LeadField: String]

    private struct Column: Sendable, Hashable {
        var field: LeadField
        var index: Int
    }

    init(header: [String], columns: [(field: LeadField, index: Int)], defaults: [LeadField: String]) {
        self.header = header
        self.columns = columns.map { Column(field: $0.field, index: $0.index) }
        self.defaults = defaults
    }

    /// The lead a row describes. Fields beyond the row's end are absent; empty values are
    /// replaced by the mapping's defaults.
    public func lead(from fields: [String]) -> IncomingLead {
        var lead = IncomingLead()
        for column in columns where column.index < fields.count {
            lead[column.field] = fields[column.index]
        }
        for (field, value) in defaults where FieldText.cleaned(lead[field]) == nil {
            lead[field] = value
        }
        return lead
    }
}
