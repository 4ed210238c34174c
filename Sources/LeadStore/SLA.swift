public import Foundation
public import Postgres

/// An open assignment as an SLA check reads it, after its lead is locked.
public struct OpenSLAAssignment: Sendable {
    public let id: Int64
    public let leadID: Int64
    public let rep: String
    /// The manager from the roster, if any.
    public let rosterManager: String?
    public let assignedAt: Date
    public let firstTouchDue: Date?
    public let windowEnds: Date?
    public let stage: String
    public let stageEnteredAt: Date
    public let mqlArmed: Bool
    /// Sales touches from the assignment up to its first-touch deadline.
    public let touchedByDeadline: Bool
    /// Calls and e-mails logged by sales from the assignment up to the end of its window.
    public let calls: Int
    public let emails: Int
}

/// A breach to record.
public struct NewSLABreach: Sendable {
    public var assignmentID: Int64
    public var leadID: Int64
    public var rep: String
    /// first_touch or too_few_contacts.
    public var kind: String
    public var deadline: Date
    /// notify_manager, reassign_next_rep or flagged.
    public var action: String
    public var manager: String?
    public var calls: Int?
    public var emails: Int?
    public var minimumCalls: Int?
    public var minimumEmails: Int?

    public init(assignmentID: Int64, leadID: Int64, rep: String, kind: String, deadline: Date, action: String, manager: String?,
                calls: Int? = nil, emails: Int? = nil, minimumCalls: Int? = nil, minimumEmails: Int? = nil) {
        self.assignmentID = assignmentID
        self.leadID = leadID
        self.rep = rep
        self.kind = kind
        self.deadline = deadline
        self.action = action
        self.manager = manager
        self.calls = calls
        self.emails = emails
        self.minimumCalls = minimumCalls
        self.minimumEmails = minimumEmails
    }
}

/// The activity types and source that count as a touch by sales.
public enum SalesTouch {
    public static let source = "sales"
    public static let types = ["call", "email", "meeting"]
}

extension Connection {
    /// Locks the leads of `assignmentIDs` in e-mail order, as scoring and handoff lock
    /// them, so that an SLA check and those batches never wait on each other in a cycle.
    /// Returns the assignments' reps (open or not), for the caller to lock next.
    public func lockLeadsOfAssignments(_ assignmentIDs: [Int64]) throws -> [String] {
        try query("""
            SELECT l.id FROM leads l
            WHERE l.id IN (SELECT lead_id FROM assignments WHERE id = ANY($1::bigint[]))
            ORDER BY l.email COLLATE "C" FOR NO KEY UPDATE
            """, [assignmentIDs])
        return try query("SELECT DISTINCT rep_id FROM assignments WHERE id = ANY($1::bigint[])", [assignmentIDs])
            .map { try $0.decode(0) }
    }

    /// Locks reps' state rows in rep id order, as handoff workers and deactivation lock
    /// them, before open assignments of theirs are ended.
    public func lockRepStateRows(_ reps: [String]) throws {
        guard !reps.isEmpty else { return }
        try query("SELECT 1 FROM rep_state WHERE rep_id = ANY($1::text[]) ORDER BY rep_id FOR UPDATE", [Array(Set(reps)).sorted()])
    }

    /// Those of `assignmentIDs` that are still open, with what an SLA check needs. Ask after
    /// locking their leads: a statement of its own sees what committed meanwhile.
    public func openSLAAssignments(_ assignmentIDs: [Int64]) throws -> [OpenSLAAssignment] {
        try query("""
            SELECT a.id, a.lead_id, a.rep_id, r.manager, a.assigned_at, a.first_touch_due_at, a.window_ends_at,
                   l.stage, l.stage_entered_at, l.mql_armed, touches.by_deadline, touches.calls, touches.emails
            FROM assignments a JOIN leads l ON l.id = a.lead_id LEFT JOIN reps r ON r.id = a.rep_id
            -- The rep's touches since the assignment, read once for all three figures.
            CROSS JOIN LATERAL (
                SELECT COALESCE(bool_or(t.type = ANY($3::text[]) AND t.occurred_at <= a.first_touch_due_at), false) AS by_deadline,
                       (count(*) FILTER (WHERE t.type = 'call' AND t.occurred_at <= a.window_ends_at))::integer AS calls,
                       (count(*) FILTER (WHERE t.type = 'email' AND t.occurred_at <= a.window_ends_at))::integer AS emails
                FROM activities t
                WHERE t.lead_id = a.lead_id AND t.source = $2 AND t.occurred_at >= a.assigned_at
            ) touches
            WHERE a.id = ANY($1::bigint[]) AND a.ended_at IS NULL
            ORDER BY a.id
            """, [assignmentIDs, SalesTouch.source, SalesTouch.types]).map { row in
                OpenSLAAssignment(
                    id: try row.decode(0), leadID: try row.decode(1), rep: try row.decode(2), rosterManager: try row.decode(3),
                    assignedAt: try row.decode(4), firstTouchDue: try row.decode(5), windowEnds: try row.decode(6),
                    stage: try row.decode(7), stageEnteredAt: try row.decode(8), mqlArmed: try row.decode(9),
                    touchedByDeadline: try row.decode(10), calls: try row.decode(11), emails: try row.decode(12))
            }
    }

    /// Records breaches, once per assignment and kind. Returns the ids of those recorded now,
    /// by assignment id; a breach recorded before is left out, so it is escalated only once.
    public func insertSLABreaches(_ breaches: [NewSLABreach], at now: Date) throws -> [Int64: Int64] {
        guard !breaches.isEmpty else { return [:] }
        var recorded: [Int64: Int64] = [:]
        for row in try query("""
            INSERT INTO sla_breaches (assignment_id, lead_id, rep_id, kind, deadline, detected_at, action, manager_id,
                                      calls, emails, minimum_calls, minimum_emails)
            SELECT b.assignment_id, b.lead_id, b.rep_id, b.kind, b.deadline, $12, b.action, b.manager_id,
                   b.calls, b.emails, b.minimum_calls, b.minimum_emails
            FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[],
                        $8::int[], $9::int[], $10::int[], $11::int[])
                 AS b(assignment_id, lead_id, rep_id, kind, deadline, action, manager_id, calls, emails, minimum_calls, minimum_emails)
            ORDER BY b.assignment_id
            ON CONFLICT (assignment_id, kind) DO NOTHING
            RETURNING id, assignment_id
            """, [
                breaches.map(\.assignmentID), breaches.map(\.leadID), breaches.map(\.rep), breaches.map(\.kind),
                breaches.map(\.deadline), breaches.map(\.action), breaches.map(\.manager), breaches.map(\.calls),
                breaches.map(\.emails), breaches.map(\.minimumCalls), breaches.map(\.minimumEmails), now,
            ]) {
            recorded[try row.decode(1)] = try row.decode(0)
        }
        return recorded
    }

    /// Moves leads to the stage each change names and records the changes in the stage
    /// history. The caller holds the leads and has validated the changes; a lead no longer
    /// in the change's from-stage is left alone. Returns the ids of the leads moved.
    public func moveStages(_ changes: [(leadID: Int64, change: StageChange, mqlArmed: Bool)], at now: Date) throws -> Set<Int64> {
        guard !changes.isEmpty else { return [] }
        let moved = Set(try query("""
            UPDATE leads l SET stage = c.to_stage, stage_entered_at = $5, mql_armed = c.mql_armed
            FROM unnest($1::bigint[], $2::text[], $3::text[], $4::boolean[]) AS c(id, from_stage, to_stage, mql_armed)
            WHERE l.id = c.id AND l.stage = c.from_stage
            RETURNING l.id
            """, [changes.map(\.leadID), changes.map(\.change.from), changes.map(\.change.to), changes.map(\.mqlArmed), now])
            .map { try $0.decode(0, as: Int64.self) })
        let recorded = changes.filter { moved.contains($0.leadID) }
        if !recorded.isEmpty {
            try insertStageChanges(recorded.map { (leadID: $0.leadID, at: now, change: $0.change) })
        }
        return moved
    }
}
