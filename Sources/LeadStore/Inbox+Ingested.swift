public import Foundation
public import Postgres

/// A CSV record whose caller ingested it in the same transaction as it is stored (a bulk
/// import normalizes its rows itself): it lands in the inbox already ingested, linked to
/// the lead it became, or, if `leadID` is nil, to its reject by batch and line.
public struct IngestedCSVRecord: Sendable {
    /// Line in the original file; unique within the batch.
    public var line: Int
    /// The record's fields, one for each column of the batch's header.
    public var fields: [String]
    public var leadID: Int64?

    public init(line: Int, fields: [String], leadID: Int64?) {
        self.line = line
        self.fields = fields
        self.leadID = leadID
    }
}

extension Connection {
    /// A new intake batch id and the transaction's start time, which stands for the time
    /// every record of the batch was received.
    public func beginIntakeBatch() throws -> (id: Int64, receivedAt: Date) {
        let row = try query("SELECT nextval('intake_batch_ids'), now()")[0]
        return (try row.decode(0), try row.decode(1))
    }

    /// Keeps an already ingested CSV batch in the inbox, as one `inbox_csv_batches` row, and
    /// records its outcome, in the caller's transaction. No ingest job is enqueued: there
    /// is nothing left to do for one. Every record must have one field per header column.
    public func storeIngestedCSV(
        _ records: [IngestedCSVRecord], header: [String], batch: (id: Int64, receivedAt: Date), source: String,
        outcome: BatchOutcome
    ) throws {
        try copyFrom("""
            COPY inbox_csv_batches (batch_id, source, header, lines, fields, lead_ids, received_at)
            FROM STDIN WITH (FORMAT binary)
            """, format: .binary) { writer in
            try writer.beginBinaryRow(fieldCount: 7)
            writer.binaryField(batch.id)
            writer.binaryField(source)
            writer.binaryField(header)
            writer.binaryField(records.map { Int32(clamping: $0.line) })
            writer.binaryField(rows: records.map(\.fields), columns: header.count)
            writer.binaryField(records.map(\.leadID))
            writer.binaryField(batch.receivedAt)
        }
        try query("""
            INSERT INTO intake_batches (id, source, received, created, merged, activities, rejected, received_at, ingested_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
            """, [batch.id, source, records.count, outcome.created, outcome.merged, outcome.activities, outcome.rejected, batch.receivedAt])
    }
}
