public import Foundation
public import Postgres

/// A raw record read back from the inbox by an ingest worker.
public struct InboxEntry: Sendable {
    public let id: Int64
    public let batchID: Int64
    public let type: InboxRecord.RecordType
    public let source: String
    public let position: Int?
    public let payload: String
    public let receivedAt: Date
}

/// What an ingest batch became, for `intake_batches`.
public struct BatchOutcome: Sendable {
    public var created = 0
    public var merged = 0
    public var activities = 0
    public var rejected = 0
    public init() {}
}

extension Connection {
    /// The records of the given intake batches, in arrival order.
    public func inboxEntries(batches: [Int64]) throws -> [InboxEntry] {
        try query("""
            SELECT id, batch_id, record_type, source, position, payload::text, received_at
            FROM inbox WHERE batch_id = ANY ($1) AND ingested_at IS NULL ORDER BY id
            """, [batches]).map { row in
                InboxEntry(
                    id: try row.decode(0), batchID: try row.decode(1),
                    type: InboxRecord.RecordType(rawValue: try row.decode(2)) ?? .lead,
                    source: try row.decode(3), position: try row.decode(4), payload: try row.decode(5),
                    receivedAt: try row.decode(6)
                )
            }
    }

    /// Marks the ingested records, each linked to the lead it became (nil for a reject,
    /// which links back through `rejects.inbox_id`), and writes each batch's outcome; both
    /// statements queued on the transaction (`queue(_:)`).
    public func finishIntakeBatches(_ outcomes: [Int64: BatchOutcome], leadOfRecord: [(inboxID: Int64, leadID: Int64?)]) throws {
        guard !outcomes.isEmpty else { return }
        let ids = outcomes.keys.sorted()
        try queue(Statement("""
            UPDATE inbox SET ingested_at = now(), lead_id = r.lead_id
            FROM unnest($1::bigint[], $2::bigint[]) AS r(id, lead_id)
            WHERE inbox.id = r.id
            """, [leadOfRecord.map(\.inboxID), leadOfRecord.map(\.leadID)]))
        try queue(Statement("""
            UPDATE intake_batches b
            SET created = o.created, merged = o.merged, activities = o.activities, rejected = o.rejected, ingested_at = now()
            FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::int[]) AS o(id, created, merged, activities, rejected)
            WHERE b.id = o.id
            """, [
                ids, ids.map { outcomes[$0]!.created }, ids.map { outcomes[$0]!.merged },
                ids.map { outcomes[$0]!.activities }, ids.map { outcomes[$0]!.rejected },
            ]))
    }
}
