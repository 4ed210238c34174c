import Foundation
import JobQueue
public import Postgres

/// One raw record for the inbox, as it arrived.
public struct InboxRecord: Sendable {
    public enum RecordType: String, Sendable {
        case lead
        case activity
    }

    public var type: RecordType
    /// The record as JSON text, kept as it arrived so that a reject can show the original.
    public var payload: String
    /// Line or index in the original file or request.
    public var position: Int?
    /// A repeat of a key already seen is not stored again; it gets the first one's id.
    public var idempotencyKey: String?

    public init(type: RecordType, payload: String, position: Int? = nil, idempotencyKey: String? = nil) {
        self.type = type
        self.payload = payload
        self.position = position
        self.idempotencyKey = idempotencyKey
    }
}

/// What the inbox answered for one intake batch.
public struct InboxReceipt: Sendable, Equatable {
    public let batchID: Int64
    /// The inbox id of each record, in the order given; a repeated idempotency key gets
    /// the id that key first received.
    public let ids: [Int64]
    /// How many records were repeats of an idempotency key.
    public let repeats: Int
}

/// The kind of the job that turns one inbox batch into leads and activities.
public enum IngestJob {
    public static let kind = "ingest"

    public struct Payload: Codable, Sendable {
        public let batch: Int64
        public init(batch: Int64) { self.batch = batch }
    }
}

extension Connection {
    /// Stores an intake batch in the inbox and enqueues its ingest job, in the caller's
    /// transaction: once that commits, nothing of the batch can be lost.
    public func writeInbox(_ records: [InboxRecord], source: String) throws -> InboxReceipt {
        let keys = records.compactMap(\.idempotencyKey)
        var known: [String: Int64] = [:]
        if !keys.isEmpty {
            for row in try query("SELECT idempotency_key, inbox_id FROM intake_keys WHERE idempotency_key = ANY ($1)", [keys]) {
                known[try row.decode(0)] = try row.decode(1)
            }
        }
        var fresh: [InboxRecord] = []
        var seenInBatch: Set<String> = []
        for record in records {
            guard let key = record.idempotencyKey else { fresh.append(record); continue }
            if known[key] == nil, seenInBatch.insert(key).inserted { fresh.append(record) }
        }
        let batchID: Int64
        var freshIDs: [Int64] = []
        if fresh.isEmpty {
            batchID = try query("SELECT nextval('intake_batch_ids')")[0].decode(0)
        } else {
            // The insert draws the batch id itself: one round trip for both. The batch row
            // and the ingest job are queued, to go with the COMMIT.
            let inserted = try query("""
                WITH batch AS MATERIALIZED (SELECT nextval('intake_batch_ids') AS id)
                INSERT INTO inbox (batch_id, record_type, source, position, payload)
                SELECT batch.id, t, $1, p, j FROM batch, unnest($2::text[], $3::int[], $4::jsonb[]) WITH ORDINALITY AS r(t, p, j, n)
                ORDER BY n
                RETURNING id, batch_id
                """, [source, fresh.map(\.type.rawValue), fresh.map(\.position), fresh.map(\.payload)])
            batchID = try inserted[0].decode(1)
            freshIDs = try inserted.map { try $0.decode(0) }
            try recordKeys(of: fresh, ids: freshIDs, into: &known)
            try queue(Statement("INSERT INTO intake_batches (id, source, received) VALUES ($1, $2, $3)", [batchID, source, fresh.count]))
            try enqueueWithNextRoundTrip([JobRequest(kind: IngestJob.kind, payload: IngestJob.Payload(batch: batchID))])
        }
        var next = freshIDs.makeIterator()
        var ids: [Int64] = []
        var assigned: [String: Int64] = [:]
        for record in records {
            if let key = record.idempotencyKey {
                if let id = known[key] ?? assigned[key] {
                    ids.append(id)
                    continue
                }
                let id = next.next()!
                assigned[key] = id
                ids.append(id)
            } else {
                ids.append(next.next()!)
            }
        }
        return InboxReceipt(batchID: batchID, ids: ids, repeats: records.count - fresh.count)
    }

    /// Claims the idempotency keys of the new records. A key that a concurrent request
    /// claimed first (it committed while this one ran) wins: this batch's copy is removed.
    private func recordKeys(of records: [InboxRecord], ids: [Int64], into known: inout [String: Int64]) throws {
        let keyed = zip(records, ids).compactMap { record, id in record.idempotencyKey.map { ($0, id) } }
        guard !keyed.isEmpty else { return }
        let claimed: Set<String> = Set(try query("""
            INSERT INTO intake_keys (idempotency_key, inbox_id)
            SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING
            RETURNING idempotency_key
            """, [keyed.map(\.0), keyed.map(\.1)]).map { try $0.decode(0, as: String.self) })
        let lost = keyed.filter { !claimed.contains($0.0) }
        guard !lost.isEmpty else { return }
        try query("DELETE FROM inbox WHERE id = ANY ($1)", [lost.map(\.1)])
        for row in try query("SELECT idempotency_key, inbox_id FROM intake_keys WHERE idempotency_key = ANY ($1)", [lost.map(\.0)]) {
            known[try row.decode(0)] = try row.decode(1)
        }
    }

    /// Streams one intake batch into the inbox with COPY (for file imports), records the
    /// batch and enqueues its ingest job. Returns the batch id.
    public func copyInbox(_ records: [InboxRecord], source: String) throws -> Int64 {
        let batchID: Int64 = try query("SELECT nextval('intake_batch_ids')")[0].decode(0)
        try copyFrom("COPY inbox (batch_id, record_type, source, position, payload) FROM STDIN WITH (FORMAT binary)", format: .binary) { writer in
            for record in records {
                try writer.beginBinaryRow(fieldCount: 5)
                writer.binaryField(batchID)
                writer.binaryField(record.type.rawValue)
                writer.binaryField(source)
                if let position = record.position { writer.binaryField(Int32(clamping: position)) } else { writer.binaryNull() }
                writer.binaryField(jsonb: record.payload)
            }
        }
        try query("INSERT INTO intake_batches (id, source, received) VALUES ($1, $2, $3)", [batchID, source, records.count])
        try enqueue([JobRequest(kind: IngestJob.kind, payload: IngestJob.Payload(batch: batchID))])
        return batchID
    }
}
