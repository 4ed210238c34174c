import LeadStore
import Postgres
import Synchronization
import Workers

/// One database connection of an import and the batch it is filling. Filled batches are
/// written in the background, each one only once the one before it has committed, so a
/// lane's batches commit in file order and later rows win a merge, as they should. A filled
/// batch may wait behind the one being written: the rows of all lanes are read by one
/// loop, and a lane that had to wait for that loop (itself waiting to hand another lane
/// its batch) left its connection idle between two writes.
struct ImportLane {
    let connection: Connection
    /// The e-mails this lane has stored: its batches look up only those (``StoredEmails``).
    private let storedEmails = StoredEmails()
    /// The company records this lane has written: a repeat is not written again
    /// (``WrittenCompanies``).
    private let writtenCompanies = WrittenCompanies()
    /// JSON lines, for the inbox and the ingest workers.
    var records: [InboxRecord] = []
    /// CSV rows, normalized here (``LeadIntake``).
    private var prepared = LeadIntake.Batch()
    /// Rows that could not even be parsed.
    var rejects: [Reject] = []
    /// Writes started and not yet collected, oldest first; each waits for the one before.
    private var writes: [Task<Int64?, any Error>] = []

    /// Writes a lane may have started and not finished: one being written, two queued.
    static let writesInFlight = 3

    /// A batch ends at this many bytes of raw rows, whatever `--batch-size` says: a batch's
    /// raw rows are one array value in `inbox_csv_batches`, and PostgreSQL refuses a value
    /// over 1 GB.
    static let maximumBatchBytes = 64 << 20

    init(connection: Connection) {
        self.connection = connection
    }

    mutating func append(_ record: consuming LeadIntake.Prepared) {
        prepared.append(record)
    }

    func isFull(_ size: Int) -> Bool {
        records.count + prepared.count >= size || rejects.count >= size || prepared.rawBytes >= Self.maximumBatchBytes
    }

    /// Starts writing what the lane holds, after the lane's earlier writes; then, while more
    /// than `writesInFlight` writes are unfinished, waits for the oldest. Returns the intake
    /// batches of the writes it waited for.
    mutating func flush(intake: LeadIntake, header: [String], source: String) async throws -> [Int64] {
        if !records.isEmpty || !prepared.isEmpty || !rejects.isEmpty {
            let (connection, records, rejects, storedEmails, writtenCompanies) = (connection, records, rejects, storedEmails, writtenCompanies)
            let prepared = MovedValue(self.prepared)
            self.prepared = LeadIntake.Batch()
            let previous = writes.last
            writes.append(Task {
                // A failed earlier write fails this one too, before it writes anything.
                _ = try await previous?.value
                let written = try await connection.withTransaction { connection -> Int64? in
                    // The import is answered only when all of it is in; ImportLoader's
                    // last step waits for the WAL to be flushed (`flushCommits`).
                    try connection.execute("SET LOCAL synchronous_commit = off")
                    try connection.insertRejects(rejects)
                    let batch = prepared.take()
                    if !batch.isEmpty {
                        return try intake.write(
                            batch, header: header, source: source, storedEmails: storedEmails, writtenCompanies: writtenCompanies,
                            on: connection)
                    }
                    return records.isEmpty ? nil : try connection.copyInbox(records, source: source)
                }
                writtenCompanies.confirm()
                return written
            })
            self.records.removeAll(keepingCapacity: true)
            self.rejects.removeAll(keepingCapacity: true)
        }
        var batches: [Int64] = []
        while writes.count > Self.writesInFlight {
            if let batch = try await writes.removeFirst().value { batches.append(batch) }
        }
        return batches
    }

    /// Waits for every write the lane started. Returns their intake batches.
    mutating func finish() async throws -> [Int64] {
        var batches: [Int64] = []
        while !writes.isEmpty {
            if let batch = try await writes.removeFirst().value { batches.append(batch) }
        }
        return batches
    }
}

/// A value handed over to a task, which takes it: a closure's captures are copies, and a
/// batch still held by a capture would have all its leads copied when the upsert sorts
/// them.
private final class MovedValue<Value: Sendable>: Sendable {
    private let value: Mutex<Value?>

    init(_ value: consuming Value) {
        self.value = Mutex(Optional(value))
    }

    func take() -> Value {
        value.withLock { stored in
            guard let taken = stored.take() else { preconditionFailure("a moved value is taken once") }
            return taken
        }
    }
}
