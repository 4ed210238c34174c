/// One CSV record as read, before any header or mapping is applied.
public struct CSVRow: Sendable, Hashable {
    /// The 1-based physical line where the record starts (a record with an embedded line
    /// break spans several lines).
    public var line: Int
    public var fields: [String]
    /// Set when the record is malformed (``IntakeProblem/Code-swift.struct/unterminatedQuote``,
    /// ``IntakeProblem/Code-swift.struct/recordTooLarge``); its fields are then what could be read.
    public var problem: IntakeProblem?

    public init(line: Int, fields: [String], problem: IntakeProblem? = nil) {
        self.line = line
        self.fields = fields
        self.problem = problem
    }
}
