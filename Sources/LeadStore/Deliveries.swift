public import Foundation
public import Postgres

/// A webhook that receives new assignments.
public struct WebhookEndpoint: Sendable {
    public let id: Int64
    public let name: String
    public let url: String
    public let active: Bool
    public let createdAt: Date
}

/// What a delivery worker needs for one attempt.
public struct DeliveryAttempt: Sendable {
    public let id: Int64
    public let url: String
    /// The HMAC key; never log it.
    public let secret: String
    /// The JSON to send, the same bytes on every attempt.
    public let body: String
}

/// A delivery as `leadrelay webhooks deliveries` lists it.
public struct DeliveryRecord: Sendable {
    public let id: Int64
    public let assignmentID: Int64
    public let endpoint: String
    public let status: String
    public let attempts: Int
    public let lastStatusCode: Int?
    public let lastError: String?
    public let createdAt: Date
    public let deliveredAt: Date?
}

extension Connection {
    // MARK: Endpoints

    @discardableResult
    public func addWebhookEndpoint(name: String, url: String, secret: String) throws -> Int64 {
        try query("INSERT INTO webhook_endpoints (name, url, secret) VALUES ($1, $2, $3) RETURNING id", [name, url, secret])[0].decode(0)
    }

    public func webhookEndpoints() throws -> [WebhookEndpoint] {
        try query("SELECT id, name, url, active, created_at FROM webhook_endpoints ORDER BY id").map { row in
            WebhookEndpoint(id: try row.decode(0), name: try row.decode(1), url: try row.decode(2), active: try row.decode(3), createdAt: try row.decode(4))
        }
    }

    /// Stops new deliveries to the endpoint; queued ones still go out. Returns false if
    /// there is no endpoint of that name.
    public func setWebhookEndpoint(named name: String, active: Bool) throws -> Bool {
        try query("UPDATE webhook_endpoints SET active = $2 WHERE name = $1", [name, active]).affectedRows == 1
    }

    // MARK: Outbox

    /// The delivery's endpoint and body. The body is built from the lead, the assignment
    /// and the lead's activities at the first attempt and stored, so retries resend the
    /// same bytes. Nil if the delivery does not exist.
    public func prepareDelivery(id: Int64) throws -> DeliveryAttempt? {
        // A second worker that raced to build the body finds no body in its snapshot and
        // no row to update: its next statement sees the body the first one stored.
        for _ in 0..<2 {
            guard let row = try query(Self.prepareDeliveryStatement, [id]).first else { return nil }
            if let body: String = try row.decode(3) {
                return DeliveryAttempt(id: try row.decode(0), url: try row.decode(1), secret: try row.decode(2), body: body)
            }
        }
        throw PostgresError(.decoding, "delivery \(id) has no body after two reads")
    }

    private static let prepareDeliveryStatement = """
            WITH target AS (
                SELECT d.id, d.body, d.assignment_id, e.url, e.secret
                FROM deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                WHERE d.id = $1
            ),
            built AS (
                SELECT jsonb_build_object(
                    'event', 'lead.assigned',
                    'delivery_id', t.id,
                    'assignment', jsonb_build_object(
                        'id', a.id, 'rep_id', a.rep_id, 'team', a.team, 'rule_id', a.rule_id, 'source', a.source,
                        'assigned_at', a.assigned_at, 'first_touch_due_at', a.first_touch_due_at,
                        'window_ends_at', a.window_ends_at, 'previous_id', a.previous_id),
                    'lead', jsonb_build_object(
                        'id', l.id, 'email', l.email, 'first_name', l.first_name, 'last_name', l.last_name,
                        'phone', l.phone, 'title', l.title, 'seniority', l.seniority, 'department', l.department,
                        'company', l.company_name, 'industry', l.industry, 'employees', l.employees,
                        'annual_revenue', l.annual_revenue, 'country', l.country, 'source', l.source,
                        'campaign', l.campaign, 'stage', l.stage, 'fit_score', l.fit_score,
                        'interest_score', l.interest_score, 'quadrant', l.quadrant, 'first_seen_at', l.first_seen_at),
                    'activities', COALESCE((
                        SELECT jsonb_agg(jsonb_build_object(
                            'type', v.type, 'occurred_at', v.occurred_at, 'url', v.url, 'content', v.content,
                            'source', v.source) ORDER BY v.occurred_at, v.id)
                        FROM activities v WHERE v.lead_id = l.id), '[]'::jsonb)
                )::text AS body
                FROM target t JOIN assignments a ON a.id = t.assignment_id JOIN leads l ON l.id = a.lead_id
                WHERE t.body IS NULL
            ),
            stored AS (
                UPDATE deliveries d SET body = b.body FROM built b WHERE d.id = $1 AND d.body IS NULL
                RETURNING d.body
            )
            SELECT t.id, t.url, t.secret, COALESCE(t.body, (SELECT body FROM stored)) FROM target t
            """

    /// Records an attempt that got a 2xx. Idempotent: a second success (a lease lost after
    /// the receiver had answered) keeps the first delivery time.
    public func recordDelivered(id: Int64, statusCode: Int) throws {
        try query("""
            UPDATE deliveries
            SET status = 'delivered', attempts = attempts + 1, last_status_code = $2, last_error = NULL,
                last_attempt_at = now(), delivered_at = COALESCE(delivered_at, now())
            WHERE id = $1
            """, [id, statusCode])
    }

    /// Records a failed attempt; `dead` when the job has no attempts left.
    public func recordDeliveryFailure(id: Int64, statusCode: Int?, error: String, dead: Bool) throws {
        try query("""
            UPDATE deliveries
            SET status = CASE WHEN status = 'delivered' THEN status WHEN $4 THEN 'dead' ELSE 'pending' END,
                attempts = attempts + 1, last_status_code = $2, last_error = $3, last_attempt_at = now()
            WHERE id = $1
            """, [id, statusCode, error, dead])
    }

    /// Newest first, optionally only one status.
    public func deliveries(status: String?, limit: Int) throws -> [DeliveryRecord] {
        try query("""
            SELECT d.id, d.assignment_id, e.name, d.status, d.attempts, d.last_status_code, d.last_error, d.created_at, d.delivered_at
            FROM deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
            WHERE $1::text IS NULL OR d.status = $1
            ORDER BY d.id DESC LIMIT $2
            """, [status, limit]).map { row in
                DeliveryRecord(id: try row.decode(0), assignmentID: try row.decode(1), endpoint: try row.decode(2), status: try row.decode(3),
                               attempts: try row.decode(4), lastStatusCode: try row.decode(5), lastError: try row.decode(6),
                               createdAt: try row.decode(7), deliveredAt: try row.decode(8))
            }
    }
}

public enum DeliveryWrites {
    /// Writes one pending delivery per assignment and active endpoint, in the caller's
    /// transaction; its rows are the new deliveries' ids, named `id` (none when no endpoint
    /// is active).
    public static func insert(assignmentIDs: [Int64]) -> Statement {
        Statement("""
            INSERT INTO deliveries (assignment_id, endpoint_id)
            SELECT a.id, e.id FROM unnest($1::bigint[]) AS a(id) CROSS JOIN webhook_endpoints e
            WHERE e.active
            ORDER BY a.id, e.id
            RETURNING id
            """, [assignmentIDs])
    }
}
