/// Reads leads from a CSV export: header, column mapping and normalization in one stream.
///
/// The header is read and matched in `init`, so a file with the wrong columns fails before any
/// row. Each data row then becomes an ``IntakeItem``: a normalized lead, or a rejection for
/// a malformed row (unterminated quote, wrong number of fields), or for the lead's own problems.
/// Duplicates are not removed here: deciding which copy wins is the store's business, and it
/// sees every batch.
public struct CSVLeadReader<Source: ByteChunkSource> {
    private var reader: CSVReader<Source>
    public let mapping: BoundColumnMapping
    public let normalizer: LeadNormalizer

    /// - Throws: ``ColumnMappingError`` for a missing header or missing columns, or what the
    ///   source throws.
    public init(source: Source, mapping: ColumnMapping, normalizer: LeadNormalizer,
                options: CSVOptions = CSVOptions()) throws {
        var reader = CSVReader(source: source, options: options)
        guard let header = try reader.next(), header.problem == nil else {
            throw ColumnMappingError(.missingHeader, mapping: mapping.name, message: "the input has no header row")
        }
        self.mapping = try mapping.bind(header: header.fields)
        self.reader = reader
        self.normalizer = normalizer
    }

    public var header: [String] { mapping.header }

    /// The next row's outcome, or nil at the end of the input.
    public mutating func next() throws -> IntakeItem<NormalizedLead>? {
        guard let row = try reader.next() else { return nil }
        let original = OriginalRecord.csv(header: header, fields: row.fields)
        if let problem = row.problem {
            return IntakeItem(line: row.line, outcome: .rejected(problems: [problem], warnings: []), original: original)
        }
        guard row.fields.count == header.count else {
            let problem = IntakeProblem(
                field: nil, code: .wrongFieldCount,
                reason: "has \(row.fields.count) fields, the header has \(header.count)")
            return IntakeItem(line: row.line, outcome: .rejected(problems: [problem], warnings: []), original: original)
        }
        let lead = mapping.lead(from: row.fields)
        return IntakeItem(line: row.line, outcome: normalizer.normalize(lead), original: original)
    }
}
