import Foundation

/// Reads JSON Lines (one JSON object per line) of leads and activities, in constant memory.
///
/// Each line is decoded by ``IncomingRecord``'s rule (an object with a `type` key is an
/// activity, any other a lead) and normalized. A line that is not valid JSON, not an object,
/// or has unknown keys becomes a rejected item, and reading goes on. Blank lines are skipped.
public struct JSONLReader<Source: ByteChunkSource> {
    private var lines: LineReader<Source>
    public let leadNormalizer: LeadNormalizer
    public let activityNormalizer: ActivityNormalizer

    public init(source: Source, leadNormalizer: LeadNormalizer,
                activityNormalizer: ActivityNormalizer = ActivityNormalizer(), maximumLineBytes: Int = 1 << 20) {
        self.lines = LineReader(source: source, maximumLineBytes: maximumLineBytes)
        self.leadNormalizer = leadNormalizer
        self.activityNormalizer = activityNormalizer
    }

    /// The next line's outcome, or nil at the end of input. Throws only what the source throws.
    public mutating func next() throws -> IntakeItem<NormalizedRecord>? {
        while let line = try lines.next() {
            if line.isTooLong {
                let problem = IntakeProblem(field: nil, code: .recordTooLarge,
                                            reason: "line is longer than \(lines.maximumLineBytes) bytes")
                return IntakeItem(line: line.number, outcome: .rejected(problems: [problem], warnings: []),
                                  original: .line(""))
            }
            let text = String(decoding: line.bytes, as: UTF8.self)
            if FieldText.cleaned(text) == nil { continue }
            return IntakeItem(line: line.number, outcome: normalize(Data(line.bytes)), original: .line(text))
        }
        return nil
    }

    private func normalize(_ json: Data) -> IntakeOutcome<NormalizedRecord> {
        let record: IncomingRecord
        do {
            record = try IncomingRecord.decode(json: json)
        } catch {
            return .rejected(problems: error.problems, warnings: [])
        }
        switch record {
        case .lead(let lead): return leadNormalizer.normalize(lead).map(NormalizedRecord.lead)
        case .activity(let activity): return activityNormalizer.normalize(activity).map(NormalizedRecord.activity)
        }
    }
}
