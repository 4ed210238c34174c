/// One record from a file or stream, with where it came from and what became of it.
public struct IntakeItem<Record: Sendable>: Sendable {
    /// The 1-based line where the record starts in its input.
    public var line: Int
    public var outcome: IntakeOutcome<Record>
    /// The record as received, for a rejects table.
    public var original: OriginalRecord

    public init(line: Int, outcome: IntakeOutcome<Record>, original: OriginalRecord) {
        self.line = line
        self.outcome = outcome
        self.original = original
    }
}
