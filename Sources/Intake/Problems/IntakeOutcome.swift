/// The result of normalizing one record: the clean record with any warnings, or every problem
/// that keeps it from being used.
///
/// Warnings are kept on rejections too, so a reject table can show the whole picture.
public enum IntakeOutcome<Record: Sendable>: Sendable {
    case accepted(Record, warnings: [IntakeProblem])
    case rejected(problems: [IntakeProblem], warnings: [IntakeProblem])

    /// The normalized record, or nil when rejected.
    public var record: Record? {
        if case .accepted(let record, _) = self { return record }
        return nil
    }

    /// The problems that reject the record; empty when accepted.
    public var problems: [IntakeProblem] {
        if case .rejected(let problems, _) = self { return problems }
        return []
    }

    public var warnings: [IntakeProblem] {
        switch self {
        case .accepted(_, let warnings), .rejected(_, let warnings): warnings
        }
    }

    public var isAccepted: Bool { record != nil }

    /// Builds the outcome from what a normalizer collected: any problem rejects the record.
    init(record: () -> Record, problems: [IntakeProblem], warnings: [IntakeProblem]) {
        self = problems.isEmpty ? .accepted(record(), warnings: warnings)
                                : .rejected(problems: problems, warnings: warnings)
    }

    /// Transforms the accepted record, keeping warnings and problems.
    public func map<Other: Sendable>(_ transform: (Record) -> Other) -> IntakeOutcome<Other> {
        switch self {
        case .accepted(let record, let warnings): .accepted(transform(record), warnings: warnings)
        case .rejected(let problems, let warnings): .rejected(problems: problems, warnings: warnings)
        }
    }
}

extension IntakeOutcome: Equatable where Record: Equatable {}
