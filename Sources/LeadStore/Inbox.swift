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
    /// The lead this record already became, normalized by a caller that checked it at the
    /// door: `writeInbox` then ingests it in its own transaction instead of leaving it to
    /// an ingest job. Nil for a record that waits for the ingest workers.
    public var lead: LeadUpsert?

    public init(type: RecordType, payload: String, position: Int? = nil, idempotencyKey: String? = nil, lead: LeadUpsert? = nil) {
        self.type = type
        self.payload = payload
        self.position = position
        self.idempotencyKey = idempotencyKey
        self.lead = lead
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
    /// Stores an intake batch in the inbox, in the caller's transaction: once that commits,
    /// nothing of the batch can be lost.
    ///
    /// Records that carry their `lead` are ingested here and now: their leads and companies
    /// merged, their inbox rows written already linked, a scoring job per lead. The others
    /// wait for the batch's ingest job. A batch should hold one or the other: the ingest
    /// job sets the batch's counts, which would hide those of the records ingested here.
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
        let batch = try beginIntakeBatch()
        var freshIDs: [Int64?] = Array(repeating: nil, count: fresh.count)
        if fresh.contains(where: { $0.idempotencyKey != nil }) {
            // Keys are claimed before anything is written, with the ids their rows will
            // have, so that a record whose key a concurrent request took is dropped before
            // it touches a lead.
            freshIDs = try query("SELECT nextval('inbox_id_seq') FROM generate_series(1, $1)", [fresh.count]).map { try $0.decode(0) }
            let lost = try claimKeys(of: fresh, ids: freshIDs.map { $0! }, into: &known)
            if !lost.isEmpty {
                let kept = fresh.indices.filter { !lost.contains(freshIDs[$0]!) }
                fresh = kept.map { fresh[$0] }
                freshIDs = kept.map { freshIDs[$0] }
            }
        }
        if !fresh.isEmpty {
            freshIDs = try storeFresh(fresh, ids: freshIDs, batch: batch, source: source)
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
                let id = next.next()!!
                assigned[key] = id
                ids.append(id)
            } else {
                ids.append(next.next()!!)
            }
        }
        return InboxReceipt(batchID: batch.id, ids: ids, repeats: records.count - fresh.count)
    }
    /// Writes the batch's new records, ingesting those that carry their lead, and returns
    /// their inbox ids in order. `ids` are the ids drawn for them already, or nil to draw.
    private func storeFresh(_ records: [InboxRecord], ids: [Int64?], batch: (id: Int64, receivedAt: Date), source: String) throws -> [Int64?] {
        var leads: [LeadUpsert] = []
        for record in records {
            guard var lead = record.lead else { continue }
            lead.seenAt = batch.receivedAt
            leads.append(lead)
        }
        let upserted = try upsertLeads(leads)
        var leadIDs: [String: Int64] = [:]
        leadIDs.reserveCapacity(upserted.count)
        for lead in upserted { leadIDs[lead.email] = lead.id }
        let stored: [Int64?] = try query("""
            INSERT INTO inbox (id, batch_id, record_type, source, position, payload, ingested_at, lead_id)
            OVERRIDING SYSTEM VALUE
            SELECT COALESCE(r.id, nextval('inbox_id_seq')), $1, r.t, $2, r.p, r.j, CASE WHEN r.l IS NOT NULL THEN now() END, r.l
            FROM unnest($3::bigint[], $4::text[], $5::int[], $6::jsonb[], $7::bigint[]) WITH ORDINALITY AS r(id, t, p, j, l, n)
            ORDER BY r.n
            RETURNING id
            """, [batch.id, source, ids, records.map(\.type.rawValue), records.map(\.position), records.map(\.payload),
                  records.map { $0.lead.flatMap { leadIDs[$0.email] } }]).map { try $0.decode(0) }
        if leads.count == records.count {
            let created = upserted.count { $0.created }
            try query("""
                INSERT INTO intake_batches (id, source, received, created, merged, activities, rejected, received_at, ingested_at)
                VALUES ($1, $2, $3, $4, $5, 0, 0, $6, now())
                """, [batch.id, source, records.count, created, leads.count - created, batch.receivedAt])
            try ScoreJob.enqueue(for: upserted, on: self)
        } else {
            precondition(leads.isEmpty, "an intake batch is either ingested at once or left to its ingest job")
            try query("INSERT INTO intake_batches (id, source, received, received_at) VALUES ($1, $2, $3, $4)",
                      [batch.id, source, records.count, batch.receivedAt])
            try enqueue([JobRequest(kind: IngestJob.kind, payload: IngestJob.Payload(batch: batch.id))])
        }
        return stored
    }

    /// Claims the idempotency keys of the new records, whose rows will have `ids`. Returns
    /// the ids of the records whose key a concurrent request claimed first (it committed
    /// while this one ran): they are repeats, and `known` learns the winners' ids.
    private func claimKeys(of records: [InboxRecord], ids: [Int64], into known: inout [String: Int64]) throws -> Set<Int64> {
        let keyed = zip(records, ids).compactMap { record, id in record.idempotencyKey.map { ($0, id) } }
        guard !keyed.isEmpty else { return [] }
        let claimed: Set<String> = Set(try query("""
            INSERT INTO intake_keys (idempotency_key, inbox_id)
            SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING
            RETURNING idempotency_key
            """, [keyed.map(\.0), keyed.map(\.1)]).map { try $0.decode(0, as: String.self) })
        let lost = keyed.filter { !claimed.contains($0.0) }
        guard !lost.isEmpty else { return [] }
        for row in try query("SELECT idempotency_key, inbox_id FROM intake_keys WHERE idempotency_key = ANY ($1)", [lost.map(\.0)]) {
            known[try row.decode(0)] = try row.decode(1)
        }
        return Set(lost.map(\.1))
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
