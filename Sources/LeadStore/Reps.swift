public import Foundation
public import Postgres

/// A rep as the roster file gives them. Empty fields are stored as NULL.
public struct RepRecord: Sendable, Hashable {
    public var id: String
    public var name: String?
    public var email: String?
    public var team: String?
    public var manager: String?

    public init(id: String, name: String? = nil, email: String? = nil, team: String? = nil, manager: String? = nil) {
        self.id = id
        self.name = name
        self.email = email
        self.team = team
        self.manager = manager
    }
}

/// A roster rep with their live state, for `leadrelay reps list`.
public struct RepSummary: Sendable {
    public let id: String
    public let name: String?
    public let email: String?
    public let team: String?
    public let manager: String?
    public let isActive: Bool
    public let openLoad: Int
    public let assignedTotal: Int64
    public let lastAssignedAt: Date?
    /// Periods that have not ended by `today` as the caller gave it, earliest first.
    public let away: [AwayPeriod]
}

/// Whole days, inclusive, in the rep's own calendar; "YYYY-MM-DD".
public struct AwayPeriod: Sendable, Hashable {
    public let from: String
    public let through: String

    public init(from: String, through: String) {
        self.from = from
        self.through = through
    }
}

/// An open assignment that was ended, and the lead it belonged to.
public struct EndedAssignment: Sendable, Hashable {
    public let assignmentID: Int64
    public let leadID: Int64
    public let stage: String
}

extension Connection {
    /// Adds new reps and updates the details of known ones, by id; whether a rep is active,
    /// and their load, stay as they are. Returns how many were added and updated.
    @discardableResult
    public func upsertReps(_ reps: [RepRecord]) throws -> (inserted: Int, updated: Int) {
        guard !reps.isEmpty else { return (0, 0) }
        let rows = try query("""
            INSERT INTO reps AS r (id, name, email, team, manager)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) ORDER BY 1
            ON CONFLICT (id) DO UPDATE
            SET name = excluded.name, email = excluded.email, team = excluded.team, manager = excluded.manager, updated_at = now()
            RETURNING (xmax = 0)
            """, [reps.map(\.id), reps.map(\.name), reps.map(\.email), reps.map(\.team), reps.map(\.manager)])
        try insertMissingRepStates(reps.map(\.id))
        let inserted = try rows.reduce(0) { $0 + (try $1.decode(0, as: Bool.self) ? 1 : 0) }
        return (inserted, rows.count - inserted)
    }

    /// Adds a bare roster entry for a rep that routing chose without one (the rule set's
    /// default owner, before anyone imported them), so that their assignments and load are kept.
    public func ensureReps(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        try query("INSERT INTO reps (id) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT DO NOTHING", [ids])
        try insertMissingRepStates(ids)
    }

    /// Only the missing rows: ON CONFLICT on an existing row would wait for a handoff
    /// worker that holds it, while this transaction holds roster rows that worker may need.
    private func insertMissingRepStates(_ ids: [String]) throws {
        try query("""
            INSERT INTO rep_state (rep_id)
            SELECT u.id FROM unnest($1::text[]) AS u(id) WHERE NOT EXISTS (SELECT 1 FROM rep_state s WHERE s.rep_id = u.id) ORDER BY 1
            ON CONFLICT DO NOTHING
            """, [ids])
    }

    /// Time away of `reps` (every rep when nil) that ends on or after `date`
    /// ("YYYY-MM-DD"), per rep in date order.
    public func awayPeriods(of reps: [String]?, endingOnOrAfter date: String) throws -> [String: [AwayPeriod]] {
        try read(Self.awayPeriods(of: reps, endingOnOrAfter: date))
    }

    /// `awayPeriods(of:endingOnOrAfter:)` as a `Read`, to go with other reads.
    public static func awayPeriods(of reps: [String]?, endingOnOrAfter date: String) -> Read<[String: [AwayPeriod]]> {
        Read(Statement("""
            SELECT rep_id, away_from::text, away_through::text FROM rep_away
            WHERE ($1::text[] IS NULL OR rep_id = ANY($1::text[])) AND away_through >= $2::date
            ORDER BY rep_id, away_from, away_through
            """, [reps, date])) { rows in
            var periods: [String: [AwayPeriod]] = [:]
            for row in rows {
                periods[try row.decode(0), default: []].append(AwayPeriod(from: try row.decode(1), through: try row.decode(2)))
            }
            return periods
        }
    }

    /// The roster in id order, with away periods that end on or after `today` ("YYYY-MM-DD").
    public func repRoster(today: String) throws -> [RepSummary] {
        let periods = try awayPeriods(of: nil, endingOnOrAfter: today)
        return try query("""
            SELECT r.id, r.name, r.email, r.team, r.manager, r.active,
                   COALESCE(s.open_load, 0), COALESCE(s.assigned_total, 0), s.last_assigned_at
            FROM reps r LEFT JOIN rep_state s ON s.rep_id = r.id
            ORDER BY r.id
            """).map { row in
                let id: String = try row.decode(0)
                return RepSummary(id: id, name: try row.decode(1), email: try row.decode(2), team: try row.decode(3),
                                  manager: try row.decode(4), isActive: try row.decode(5), openLoad: try row.decode(6),
                                  assignedTotal: try row.decode(7), lastAssignedAt: try row.decode(8), away: periods[id] ?? [])
            }
    }

    /// Records time away for a rep. Returns false when the rep is not in the roster.
    public func addAwayPeriod(rep: String, from: String, through: String) throws -> Bool {
        try query("""
            INSERT INTO rep_away (rep_id, away_from, away_through)
            SELECT id, $2::date, $3::date FROM reps WHERE id = $1
            """, [rep, from, through]).affectedRows == 1
    }

    /// Marks a rep active again. Returns false when the rep is not in the roster.
    public func activateRep(_ rep: String) throws -> Bool {
        try query("""
            UPDATE reps SET active = true, deactivated_at = NULL, updated_at = now() WHERE id = $1
            """, [rep]).affectedRows == 1
    }

    /// Marks a rep inactive and ends their open assignments with `reason`, returning them
    /// (the caller routes those leads again in the same transaction); nil when the rep is
    /// not in the roster.
    ///
    /// The rep's state row is locked first, as handoff workers lock it before they assign
    /// to the rep: an assignment committed while this waited is seen and ended too, and no
    /// worker assigns to the rep once this has the lock.
    public func deactivateRep(_ rep: String, reason: String, at now: Date) throws -> [EndedAssignment]? {
        guard try query("SELECT 1 FROM reps WHERE id = $1", [rep]).first != nil else { return nil }
        try insertMissingRepStates([rep])
        try lockRepStateRows([rep])
        try query("""
            UPDATE reps SET active = false, deactivated_at = COALESCE(deactivated_at, $2), updated_at = now() WHERE id = $1
            """, [rep, now])
        return try endOpenAssignments(rep: rep, reason: reason, at: now)
    }

    /// Ends a rep's open assignments and lowers their load to match. The caller holds the
    /// rep's state row.
    func endOpenAssignments(rep: String, reason: String, at now: Date) throws -> [EndedAssignment] {
        let open: [Int64] = try query("SELECT id FROM assignments WHERE rep_id = $1 AND ended_at IS NULL", [rep]).map { try $0.decode(0) }
        let ended = try endAssignments(open, reason: reason, at: now)
        if open.isEmpty { try recountOpenLoad(reps: [rep]) }
        return ended
    }
}
