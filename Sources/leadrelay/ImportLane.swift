import LeadStore
import Postgres
import Workers

/// One database connection of an import and the batch it is filling. A filled batch is
/// written in the background while the next one fills; the lane starts a write only once
/// its previous one has committed, so its batches commit in file order and later rows win
/// a merge, as they should.
struct ImportLane {
    let connection: Connection
    /// JSON lines, for the inbox and the ingest workers.
    var records: [InboxRecord] = []
    /// CSV rows, normalized here (``LeadIntake``).
    private(set) var prepared: [LeadIntake.Prepared] = []
    /// Rows that could not even be parsed.
    var rejects: [Reject] = []
    /// The bytes of the CSV rows in `prepared`: a batch's raw rows are one array value in
    /// `inbox_csv_batches`, and PostgreSQL refuses a value over 1 GB.
    private var preparedBytes = 0
    private var writing: Task<Int64?, any Error>?

    /// A batch ends at this many bytes of raw rows, whatever `--batch-size` says.
    static let maximumBatchBytes = 64 << 20

    init(connection: Connection) {
        self.connection = connection
    }

    mutating func append(_ record: LeadIntake.Prepared) {
        prepared.append(record)
        preparedBytes += record.rawBytes
    }

    func isFull(_ size: Int) -> Bool {
        records.count + prepared.count >= size || rejects.count >= size || preparedBytes >= Self.maximumBatchBytes
    }

    /// Waits for the previous write and starts writing what the lane holds. Returns the
    /// intake batch of the previous write, if it made one.
    mutating func flush(intake: LeadIntake, header: [String], source: String) async throws -> Int64? {
        let previous = try await writing?.value
        writing = nil
        guard !records.isEmpty || !prepared.isEmpty || !rejects.isEmpty else { return previous }
        let (connection, records, prepared, rejects) = (connection, records, prepared, rejects)
        writing = Task {
            try await connection.withTransaction { connection -> Int64? in
                try connection.insertRejects(rejects)
                if !prepared.isEmpty { return try intake.write(prepared, header: header, source: source, on: connection) }
                return records.isEmpty ? nil : try connection.copyInbox(records, source: source)
            }
        }
        self.records.removeAll(keepingCapacity: true)
        self.prepared.removeAll(keepingCapacity: true)
        preparedBytes = 0
        self.rejects.removeAll(keepingCapacity: true)
        return previous
    }
}
