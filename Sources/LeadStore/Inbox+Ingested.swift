public import Foundation
public import Postgres

/// A raw record whose caller ingested it in the same transaction as it is stored (a CSV
/// import normalizes its rows itself): it lands in the inbox already marked ingested,
/// linked to the lead it became, or, with `rejection`, to the reject it produced.
public struct IngestedInboxRecord: Sendable {
    public var type: InboxRecord.RecordType
    /// The record as JSON text.
    public var payload: String
    /// Line in the original file; unique within the batch.
    public var position: Int
    public var leadID: Int64?
    /// Why the record could not be used; nil for a record that became a lead.
    public var rejection: String?

    public init(type: InboxRecord.RecordType, payload: String, position: Int, leadID: Int64?, rejection: String?) {
        self.type = type
        self.payload = payload
        self.position = position
        self.leadID = leadID
        self.rejection = rejection
    }
}

extension Connection {
    /// A new intake batch id and the transaction's start time, which stands for the time
    /// every record of the batch was received.
    public func beginIntakeBatch() throws -> (id: Int64, receivedAt: Date) {
        let row = try query("SELECT nextval('intake_batch_ids'), now()")[0]
        return (try row.decode(0), try row.decode(1))
    }

    /// Streams an already ingested batch into the inbox with binary COPY, records its
    /// rejects (linked to their inbox rows) and its outcome, in the caller's transaction.
    /// No ingest job is enqueued: there is nothing left to do for one.
    public func copyIngestedInbox(
        _ records: [IngestedInboxRecord], batch: (id: Int64, receivedAt: Date), source: String, outcome: BatchOutcome
    ) throws {
        try copyFrom("""
            COPY inbox (batch_id, record_type, source, position, payload, received_at, ingested_at, lead_id)
            FROM STDIN WITH (FORMAT binary)
            """, format: .binary) { writer in
            for record in records {
                try writer.beginBinaryRow(fieldCount: 8)
                writer.binaryField(batch.id)
                writer.binaryField(record.type.rawValue)
                writer.binaryField(source)
                writer.binaryField(Int32(clamping: record.position))
                writer.binaryField(jsonb: record.payload)
                writer.binaryField(batch.receivedAt)
                writer.binaryField(batch.receivedAt)
                writer.binaryField(record.leadID)
            }
        }
        let rejected = records.filter { $0.rejection != nil }
        if !rejected.isEmpty {
            var inboxIDs: [Int: Int64] = [:]
            for row in try query("SELECT position, id FROM inbox WHERE batch_id = $1 AND lead_id IS NULL", [batch.id]) {
                inboxIDs[try row.decode(0)] = try row.decode(1)
            }
            try insertRejects(rejected.map { record in
                Reject(batchID: batch.id, inboxID: inboxIDs[record.position], source: source, position: record.position,
                       reason: record.rejection!, payload: record.payload)
            })
        }
        try query("""
            INSERT INTO intake_batches (id, source, received, created, merged, activities, rejected, received_at, ingested_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
            """, [batch.id, source, records.count, outcome.created, outcome.merged, outcome.activities, outcome.rejected, batch.receivedAt])
    }
}
