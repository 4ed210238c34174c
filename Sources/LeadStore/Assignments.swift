public import Foundation
public import Postgres

/// What routing needs to know about a lead: its stage and its company's facts.
public struct LeadForHandoff: Sendable {
    public let id: Int64
    public let stage: String
    /// The lead's own value, else its company's, as scoring sees them.
    public let industry: String?
    public let employees: Int?
    public let annualRevenue: Int64?
    public let country: String?
    /// The owner of the lead's account, if the company has one.
    public let accountOwner: String?
}

/// A rep's state as a handoff worker reads it, under its lock. Its time away is read
/// apart (`Connection.awayPeriods`), before any lock: it is set without these locks, so
/// reading it under them would not make it fresher.
public struct LiveRepState: Sendable {
    public let rep: String
    public let isActive: Bool
    public let openLoad: Int
}

/// One passed-over rep in an assignment's `skipped` list.
public struct SkippedRepRecord: Codable, Sendable, Hashable {
    public let rep: String
    public let rule: String
    public let reason: String

    public init(rep: String, rule: String, reason: String) {
        self.rep = rep
        self.rule = rule
        self.reason = reason
    }
}

/// An assignment to write.
/// Earlier assignments of some leads, as `HandoffReads.history` reads them.
public struct AssignmentHistory: Sendable {
    /// The leads with an open assignment.
    public var open = Set<Int64>()
    /// Per lead, the reps whose assignments of it ended for the reason asked about.
    public var endedReps: [Int64: [String]] = [:]
    /// Per lead, its latest assignment.
    public var latest: [Int64: Int64] = [:]
}

public struct NewAssignment: Sendable {
    public var leadID: Int64
    public var rep: String
    /// account_owner, rep, team or default_owner.
    public var source: String
    public var team: String?
    public var ruleID: String?
    public var skipped: [SkippedRepRecord]
    /// The SLA's deadlines in the rep's calendar, written with the assignment.
    public var firstTouchDue: Date?
    public var windowEnds: Date?
    /// The lead's latest assignment before this one, if it had any.
    public var previousID: Int64?

    public init(leadID: Int64, rep: String, source: String, team: String?, ruleID: String?, skipped: [SkippedRepRecord],
                firstTouchDue: Date? = nil, windowEnds: Date? = nil) {
        self.leadID = leadID
        self.rep = rep
        self.source = source
        self.team = team
        self.ruleID = ruleID
        self.skipped = skipped
        self.firstTouchDue = firstTouchDue
        self.windowEnds = windowEnds
    }
}

/// A written assignment, as notifications carry it.
public struct AssignmentRef: Sendable, Hashable {
    public let id: Int64
    public let leadID: Int64
    public let rep: String
    public var firstTouchDue: Date?
    public var windowEnds: Date?
    /// The lead's latest assignment before this one, if it had any.
    public var previousID: Int64?

    public init(id: Int64, leadID: Int64, rep: String, firstTouchDue: Date?, windowEnds: Date?) {
        self.id = id
        self.leadID = leadID
        self.rep = rep
        self.firstTouchDue = firstTouchDue
        self.windowEnds = windowEnds
    }
}

extension Connection {
    /// Draws `count` ids from the sequence of `table`'s id column, in increasing order.
    func newIDs(of table: String, count: Int) throws -> [Int64] {
        guard count > 0 else { return [] }
        return try read(HandoffReads.newIDs(of: table, count: count))
    }

    /// Ends open assignments with `reason` and sets their reps' loads to match. The caller
    /// holds the leads and the reps' state rows. Returns the assignments ended.
    @discardableResult
    public func endAssignments(_ ids: [Int64], reason: String, at now: Date) throws -> [EndedAssignment] {
        guard !ids.isEmpty else { return [] }
        let ended = try query("""
            UPDATE assignments a SET ended_at = $2, end_reason = $3
            FROM leads l
            WHERE a.id = ANY($1::bigint[]) AND a.ended_at IS NULL AND l.id = a.lead_id
            RETURNING a.id, a.lead_id, l.stage, a.rep_id
            """, [ids, now, reason])
        try recountOpenLoad(reps: Array(Set(try ended.map { try $0.decode(3, as: String.self) })).sorted())
        return try ended.map {
            EndedAssignment(assignmentID: try $0.decode(0), leadID: try $0.decode(1), stage: try $0.decode(2))
        }.sorted { $0.leadID < $1.leadID }
    }

    /// Sets the reps' loads to their open assignments: counted again rather than
    /// decremented, so that a load that ever drifted heals.
    func recountOpenLoad(reps: [String]) throws {
        try query("""
            UPDATE rep_state s SET open_load = (SELECT count(*) FROM assignments a WHERE a.rep_id = s.rep_id AND a.ended_at IS NULL)
            WHERE s.rep_id = ANY($1::text[])
            """, [reps])
    }
}

/// Statements that write a handoff's results, for a pipeline (`Connection.pipeline`).
/// The reads of a handoff, as `Read`s, so that those that do not need each other's
/// results go to the server in one round trip (`Connection.read`).
public enum HandoffReads {
    /// Loads and locks the leads to hand off. Locked in e-mail order, as scoring locks
    /// them, so that a handoff batch and a scoring batch never wait on each other in a
    /// cycle. The lock makes two handoffs of one lead run one after the other, so the
    /// second sees the first's assignment (`history`, asked afterwards). FOR NO KEY UPDATE
    /// leaves ingest free to add activities meanwhile.
    public static func leads(_ ids: [Int64]) -> Read<[LeadForHandoff]> {
        Read(Statement("""
            SELECT l.id, l.stage, COALESCE(l.industry, c.industry), COALESCE(l.employees, c.employees),
                   COALESCE(l.annual_revenue, c.annual_revenue), COALESCE(l.country, c.country), c.owner_rep
            FROM leads l LEFT JOIN companies c ON c.id = l.company_id
            WHERE l.id = ANY($1::bigint[])
            ORDER BY l.email COLLATE "C"
            FOR NO KEY UPDATE OF l
            """, [ids])) { rows in
            try rows.map { row in
                LeadForHandoff(id: try row.decode(0), stage: try row.decode(1), industry: try row.decode(2), employees: try row.decode(3),
                               annualRevenue: try row.decode(4), country: try row.decode(5), accountOwner: try row.decode(6))
            }
        }
    }

    /// What earlier assignments say about routing the leads: those that have an open one,
    /// per lead the reps whose assignments of it ended for `endReason` (those who breached
    /// its SLA), to be passed over, and its latest assignment, which a new one follows.
    /// After `leads` in one pipeline, it runs once their locks are held, and sees what
    /// committed while they were awaited.
    public static func history(_ ids: [Int64], endedFor endReason: String) -> Read<AssignmentHistory> {
        Read(Statement("""
            SELECT lead_id, bool_or(ended_at IS NULL),
                   array_agg(DISTINCT rep_id ORDER BY rep_id) FILTER (WHERE end_reason = $2), max(id)
            FROM assignments WHERE lead_id = ANY($1::bigint[])
            GROUP BY lead_id
            """, [ids, endReason])) { rows in
            var history = AssignmentHistory()
            for row in rows {
                let lead: Int64 = try row.decode(0)
                if try row.decode(1, as: Bool.self) { history.open.insert(lead) }
                if let reps: [String] = try row.decode(2) { history.endedReps[lead] = reps }
                history.latest[lead] = try row.decode(3)
            }
            return history
        }
    }

    /// `count` new ids of `table`, in increasing order; none for 0. Drawn ahead of their
    /// insert, the statements that name the new rows can go to the server with it.
    public static func newIDs(of table: String, count: Int) -> Read<[Int64]> {
        // The sequence is looked up once (OFFSET 0 keeps the subquery from being pulled
        // up into a lookup per row), then drawn from once per id; the ids come back as one
        // array value rather than a row each.
        Read(Statement("""
            SELECT array(
                SELECT nextval(s.sequence) FROM (SELECT pg_get_serial_sequence($1, 'id')::regclass AS sequence OFFSET 0) s
                CROSS JOIN generate_series(1, $2::int)
            )
            """, [table, count])) { rows in try rows[0].decode(0, as: [Int64].self).sorted() }
    }

    /// Creates the round-robin rows that `teams` lack, taking no lock on those that exist:
    /// put before `lockRoundRobin` in the same pipeline, so that the FOR UPDATE stays the
    /// one place that waits on them.
    public static func ensureRoundRobin(_ teams: [String]) -> Read<Void> {
        Read(Statement("""
            INSERT INTO round_robin_state (team)
            SELECT u.name FROM unnest($1::text[]) AS u(name) ORDER BY 1
            ON CONFLICT DO NOTHING
            """, [Array(Set(teams)).sorted()])) { _ in }
    }

    /// Locks the existing round-robin rows of `teams` in team order; each team's weights by rep.
    public static func lockRoundRobin(_ teams: [String]) -> Read<[String: [String: Int]]> {
        Read(Statement("""
            SELECT team, current_weights FROM round_robin_state WHERE team = ANY($1::text[]) ORDER BY team FOR UPDATE
            """, [Array(Set(teams)).sorted()])) { rows in
            var states: [String: [String: Int]] = [:]
            for row in rows { states[try row.decode(0)] = try row.decode(1, as: JSONValue<[String: Int]>.self).value }
            return states
        }
    }

    /// Locks the state rows of `reps` in rep id order. Reps without a roster entry are
    /// left out.
    public static func lockRepStates(_ reps: [String]) -> Read<[LiveRepState]> {
        Read(Statement("""
            SELECT s.rep_id, r.active, s.open_load FROM rep_state s JOIN reps r ON r.id = s.rep_id
            WHERE s.rep_id = ANY($1::text[]) ORDER BY s.rep_id FOR UPDATE OF s
            """, [Array(Set(reps)).sorted()])) { rows in
            try rows.map { LiveRepState(rep: try $0.decode(0), isActive: try $0.decode(1), openLoad: try $0.decode(2)) }
        }
    }
}

public enum AssignmentWrites {
    /// Writes assignments under ids drawn with `HandoffReads.newIDs`, one per
    /// assignment in the same order, and raises each rep's load and totals. The caller holds
    /// the leads and the reps' state rows, and has checked that none of the leads has an
    /// open assignment (the unique index refuses a second one regardless).
    ///
    /// Each assignment's predecessor comes from the caller (`HandoffReads.history`), not from a
    /// lookup per row in the statement: the plan that PostgreSQL keeps for a prepared
    /// statement is made once, and one made while `assignments` was nearly empty scanned
    /// the whole table for every row, long after it had grown (handoffs of 300–800 ms in
    /// `scripts/bench e2e`, other handoffs queued behind their round-robin lock).
    public static func insert(_ assignments: [NewAssignment], ids: [Int64], ruleVersion: Int, at now: Date) -> Statement {
        precondition(ids.count == assignments.count, "one id per assignment")
        return Statement("""
            WITH input AS (
                SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[],
                                     $10::timestamptz[], $11::timestamptz[], $12::bigint[])
                    AS u(id, lead_id, rep_id, source, team, rule_id, skipped, first_touch_due_at, window_ends_at, previous_id)
            ),
            inserted AS (
                INSERT INTO assignments (id, lead_id, rep_id, source, team, rule_id, rule_version, skipped, previous_id,
                                         assigned_at, first_touch_due_at, window_ends_at)
                OVERRIDING SYSTEM VALUE
                SELECT i.id, i.lead_id, i.rep_id, i.source, i.team, i.rule_id, $8, i.skipped, i.previous_id, $9,
                       i.first_touch_due_at, i.window_ends_at
                FROM input i ORDER BY i.id
                RETURNING rep_id
            )
            UPDATE rep_state s
            SET open_load = s.open_load + n.count, assigned_total = s.assigned_total + n.count, last_assigned_at = $9
            FROM (SELECT rep_id, count(*)::integer AS count FROM inserted GROUP BY rep_id) n
            WHERE s.rep_id = n.rep_id
            """, [
                ids, assignments.map(\.leadID), assignments.map(\.rep), assignments.map(\.source), assignments.map(\.team),
                assignments.map(\.ruleID), assignments.map { JSONValue($0.skipped) }, ruleVersion, now,
                assignments.map(\.firstTouchDue), assignments.map(\.windowEnds), assignments.map(\.previousID),
            ])
    }

    /// Writes teams' round-robin weights; nil when there are none. The caller holds their rows.
    public static func storeRoundRobin(_ states: [String: [String: Int]]) -> Statement? {
        guard !states.isEmpty else { return nil }
        let teams = states.keys.sorted()
        return Statement("""
            UPDATE round_robin_state r SET current_weights = u.weights, updated_at = now()
            FROM unnest($1::text[], $2::jsonb[]) AS u(team, weights) WHERE r.team = u.team
            """, [teams, teams.map { JSONValue(states[$0]!) }])
    }
}
