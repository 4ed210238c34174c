public import Foundation
public import Postgres

/// A lead as the scoring worker reads it: the person, their company's facts, their
/// current stage and score, and every activity, oldest first.
public struct LeadForScoring: Sendable {
    public let id: Int64
    public let email: String
    public let emailDomain: String
    public let isFreeMail: Bool
    public let title: String?
    public let seniority: String?
    public let department: String?
    /// The lead's own value, else its company's.
    public let industry: String?
    public let employees: Int?
    public let annualRevenue: Int64?
    public let country: String?
    public let accountOwner: String?
    public let stage: String
    public let stageEnteredAt: Date
    /// Whether the lead ever changed stage (has stage history).
    public let hasMoved: Bool
    public let mqlArmed: Bool
    public let fit: Int?
    public let interest: Int?
    public let quadrant: String?
    public internal(set) var activities: [StoredActivity]
}

public struct StoredActivity: Sendable {
    public let type: String
    public let url: String?
    public let content: String?
    public let occurredAt: Date
}

/// What scoring decided for one lead, to be written back.
public struct ScoreUpdate: Sendable {
    public var leadID: Int64
    public var fit: Int
    public var interest: Int
    public var quadrant: String
    /// JSON: `{"fit": [{"rule", "points", "reason"}…], "interest": […]}`.
    public var breakdown: String
    public var scoredAt: Date
    public var ruleVersion: Int
    public var rescoreAt: Date?
    /// The stage state after scoring (unchanged when there is no transition).
    public var stage: String
    public var stageEnteredAt: Date
    public var mqlArmed: Bool
    /// Set when the score or the quadrant differs from the stored one.
    public var appendsHistory: Bool
    public var transition: StageChange?

    public init(leadID: Int64, fit: Int, interest: Int, quadrant: String, breakdown: String, scoredAt: Date, ruleVersion: Int,
                rescoreAt: Date?, stage: String, stageEnteredAt: Date, mqlArmed: Bool, appendsHistory: Bool, transition: StageChange?) {
        self.leadID = leadID
        self.fit = fit
        self.interest = interest
        self.quadrant = quadrant
        self.breakdown = breakdown
        self.scoredAt = scoredAt
        self.ruleVersion = ruleVersion
        self.rescoreAt = rescoreAt
        self.stage = stage
        self.stageEnteredAt = stageEnteredAt
        self.mqlArmed = mqlArmed
        self.appendsHistory = appendsHistory
        self.transition = transition
    }
}

/// One row of the stage history.
public struct StageChange: Sendable {
    public var from: String
    public var to: String
    public var actor: String
    public var reason: String
    public var ruleVersion: Int?
    public var changedBy: String?

    public init(from: String, to: String, actor: String, reason: String, ruleVersion: Int? = nil, changedBy: String? = nil) {
        self.from = from
        self.to = to
        self.actor = actor
        self.reason = reason
        self.ruleVersion = ruleVersion
        self.changedBy = changedBy
    }
}

extension Connection {
    /// Loads and locks the leads to score, with their companies and activities, in one
    /// round trip. Locked in e-mail byte order (`COLLATE "C"`, whatever the database's
    /// collation), the order ingest writes leads in, so that a scoring batch and an ingest
    /// batch never wait on each other in a cycle. `NO KEY UPDATE` lets ingest go on
    /// inserting activities for a lead while it is being scored.
    ///
    /// The lock makes two batches that hold the same lead (a new job queued while an
    /// earlier one runs) score it one after the other, each from everything committed.
    public func leadsForScoring(ids: [Int64]) throws -> [LeadForScoring] {
        try read(Self.leadsForScoring(ids: ids))
    }

    /// `leadsForScoring(ids:)` as a `Read`, to go with other reads.
    public static func leadsForScoring(ids: [Int64]) -> Read<[LeadForScoring]> {
        Read(Statement("""
            SELECT l.id, l.email, l.email_domain, l.free_mail, l.title, l.seniority, l.department,
                   COALESCE(l.industry, c.industry), COALESCE(l.employees, c.employees),
                   COALESCE(l.annual_revenue, c.annual_revenue), COALESCE(l.country, c.country), c.owner_rep,
                   l.stage, l.stage_entered_at, l.mql_armed, l.fit_score, l.interest_score, l.quadrant,
                   a.type, a.url, a.content, a.occurred_at, history.moved
            FROM leads l
            LEFT JOIN companies c ON c.id = l.company_id
            -- Once per lead, before the join repeats the lead per activity.
            CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM stage_history h WHERE h.lead_id = l.id) AS moved) history
            LEFT JOIN activities a ON a.lead_id = l.id
            WHERE l.id = ANY($1::bigint[])
            ORDER BY l.email COLLATE "C", a.occurred_at, a.id
            FOR NO KEY UPDATE OF l
            """, [ids])) { rows in
            var leads: [LeadForScoring] = []
            leads.reserveCapacity(rows.count)
            for row in rows {
                let id: Int64 = try row.decode(0)
                if leads.last?.id != id {
                    leads.append(LeadForScoring(
                        id: id, email: try row.decode(1), emailDomain: try row.decode(2), isFreeMail: try row.decode(3),
                        title: try row.decode(4), seniority: try row.decode(5), department: try row.decode(6),
                        industry: try row.decode(7), employees: try row.decode(8), annualRevenue: try row.decode(9),
                        country: try row.decode(10), accountOwner: try row.decode(11), stage: try row.decode(12),
                        stageEnteredAt: try row.decode(13), hasMoved: try row.decode(22), mqlArmed: try row.decode(14), fit: try row.decode(15),
                        interest: try row.decode(16), quadrant: try row.decode(17), activities: []))
                }
                if let type: String = try row.decode(18) {
                    leads[leads.count - 1].activities.append(StoredActivity(
                        type: type, url: try row.decode(19), content: try row.decode(20), occurredAt: try row.decode(21)))
                }
            }
            return leads
        }
    }

    /// Writes a batch of scores in three statements, whatever the batch size: the leads'
    /// current scores and stages, the score history rows, the stage history rows. They are
    /// queued on the transaction (`queue(_:)`): sent with its next round trip.
    public func storeScores(_ updates: [ScoreUpdate]) throws {
        guard !updates.isEmpty else { return }
        try queue(Statement("""
            UPDATE leads l
            SET fit_score = u.fit, interest_score = u.interest, quadrant = u.quadrant, score_breakdown = u.breakdown,
                scored_at = u.scored_at, rule_version = u.rule_version, rescore_at = u.rescore_at,
                stage = u.stage, stage_entered_at = u.stage_entered_at, mql_armed = u.mql_armed
            FROM unnest($1::bigint[], $2::int[], $3::int[], $4::text[], $5::jsonb[], $6::timestamptz[], $7::int[],
                        $8::timestamptz[], $9::text[], $10::timestamptz[], $11::boolean[])
                 AS u(id, fit, interest, quadrant, breakdown, scored_at, rule_version, rescore_at, stage, stage_entered_at, mql_armed)
            WHERE l.id = u.id
            """, [
                updates.map(\.leadID), updates.map(\.fit), updates.map(\.interest), updates.map(\.quadrant),
                updates.map(\.breakdown), updates.map(\.scoredAt), updates.map(\.ruleVersion), updates.map(\.rescoreAt),
                updates.map(\.stage), updates.map(\.stageEnteredAt), updates.map(\.mqlArmed),
            ]))
        let changed = updates.filter(\.appendsHistory)
        if !changed.isEmpty {
            try queue(Statement("""
                INSERT INTO score_history (lead_id, fit, interest, quadrant, rule_version, scored_at)
                SELECT * FROM unnest($1::bigint[], $2::int[], $3::int[], $4::text[], $5::int[], $6::timestamptz[])
                """, [changed.map(\.leadID), changed.map(\.fit), changed.map(\.interest), changed.map(\.quadrant),
                      changed.map(\.ruleVersion), changed.map(\.scoredAt)]))
        }
        let moved = updates.compactMap { update in update.transition.map { (update.leadID, update.scoredAt, $0) } }
        if !moved.isEmpty {
            try insertStageChanges(moved.map { (leadID: $0.0, at: $0.1, change: $0.2) })
        }
    }

    /// Appends stage history rows, queued on the transaction (`queue(_:)`).
    public func insertStageChanges(_ changes: [(leadID: Int64, at: Date, change: StageChange)]) throws {
        try queue(Statement("""
            INSERT INTO stage_history (lead_id, from_stage, to_stage, actor, reason, rule_version, changed_by, changed_at)
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[],
                                 $8::timestamptz[])
            """, [changes.map(\.leadID), changes.map(\.change.from), changes.map(\.change.to), changes.map(\.change.actor),
                  changes.map(\.change.reason), changes.map(\.change.ruleVersion), changes.map(\.change.changedBy),
                  changes.map(\.at)]))
    }

    /// Lead ids of the open leads (not customers, not disqualified) in `range`, for
    /// rescoring after a new rule version.
    public func openLeadIDs(in range: ClosedRange<Int64>) throws -> [Int64] {
        try query("""
            SELECT id FROM leads WHERE id BETWEEN $1 AND $2 AND stage NOT IN ('customer', 'disqualified') ORDER BY id
            """, [range.lowerBound, range.upperBound]).map { try $0.decode(0) }
    }

    /// The smallest and largest lead id, or nil without leads.
    public func leadIDBounds() throws -> ClosedRange<Int64>? {
        let row = try query("SELECT min(id), max(id) FROM leads")[0]
        guard let low: Int64 = try row.decode(0), let high: Int64 = try row.decode(1) else { return nil }
        return low...high
    }

    /// Takes up to `limit` leads whose decay review time has come, oldest first, and clears
    /// their review time so that the next pass does not take them again; the rescore that
    /// follows sets a new one. Leads that another transaction holds are left for later.
    public func takeLeadsDueForRescore(limit: Int) throws -> [Int64] {
        try query("""
            UPDATE leads SET rescore_at = NULL
            WHERE id = ANY (ARRAY(SELECT id FROM leads WHERE rescore_at <= now() ORDER BY rescore_at LIMIT $1 FOR UPDATE SKIP LOCKED))
            RETURNING id
            """, [limit]).map { try $0.decode(0) }
    }
}
