public import Foundation
public import Postgres

/// A stored reject, for `leadrelay rejects list` and `rejects export`.
public struct StoredReject: Sendable {
    public let id: Int64
    public let batchID: Int64?
    public let source: String
    public let position: Int?
    public let reason: String
    /// The original record as received: a JSON object, or a CSV row as header → value.
    public let payload: String
    public let rejectedAt: Date
}

/// Which rejects to read.
public struct RejectFilter: Sendable {
    public var since: Date?
    public var source: String?
    public var batchID: Int64?

    public init(since: Date? = nil, source: String? = nil, batchID: Int64? = nil) {
        self.since = since
        self.source = source
        self.batchID = batchID
    }
}

extension Connection {
    /// Rejects matching `filter` with an id above `afterID`, oldest first: page through
    /// any number of them with the last id of the previous page.
    public func rejects(_ filter: RejectFilter, afterID: Int64 = 0, limit: Int) throws -> [StoredReject] {
        try query("""
            SELECT id, batch_id, source, position, reason, payload, rejected_at FROM rejects
            WHERE id > $1
              AND ($2::timestamptz IS NULL OR rejected_at >= $2)
              AND ($3::text IS NULL OR source = $3)
              AND ($4::bigint IS NULL OR batch_id = $4)
            ORDER BY id
            LIMIT $5
            """, [afterID, filter.since, filter.source, filter.batchID, limit]).map { row in
                StoredReject(
                    id: try row.decode(0), batchID: try row.decode(1), source: try row.decode(2),
                    position: try row.decode(3), reason: try row.decode(4), payload: try row.decode(5),
                    rejectedAt: try row.decode(6)
                )
            }
    }
}
