public import Foundation
public import Postgres

/// How a person asks for a lead: by its id or by its e-mail address.
public enum LeadKey: Sendable, Hashable {
    case id(Int64)
    /// Any case, surrounding spaces allowed: it is normalized the way ingest stores it.
    case email(String)

    /// An e-mail as ingest stores it: trimmed, lower-cased with Swift's own case mapping, in
    /// Unicode's composed form (NFC).
    public static func storedEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().precomposedStringWithCanonicalMapping
    }
}

/// One lead explained: who it is, its score and why, how it moved through the stages and
/// what it did. For `leadrelay lead show`.
public struct LeadReport: Sendable {
    public let lead: LeadProfile
    /// Nil until a scoring worker has scored the lead.
    public let score: LeadScoreDetail?
    /// Oldest first.
    public let stageHistory: [StageHistoryEntry]
    /// Newest first, at most the limit asked for.
    public let activities: [LeadActivity]
    /// All of the lead's activities, to tell how many the limit left out.
    public let activityCount: Int
}

public struct LeadProfile: Sendable, Encodable {
    public let id: Int64
    public let email: String
    public let firstName: String?
    public let lastName: String?
    public let title: String?
    public let seniority: String?
    public let department: String?
    public let phone: String?
    /// The lead's own value, else its company's, as scoring sees them.
    public let company: String?
    public let industry: String?
    public let employees: Int?
    public let annualRevenue: Int64?
    public let country: String?
    public let source: String?
    public let firstSource: String?
    public let campaign: String?
    public let stage: String
    public let stageEnteredAt: Date
    public let firstSeenAt: Date
    /// The owner of the lead's account (`companies.owner_rep`), not an assignment of the lead.
    public let accountOwner: String?
    /// The rep the lead is assigned to now, the routing rule that chose them, and when.
    public let owner: String?
    public let ownerRule: String?
    public let assignedAt: Date?
}

public struct LeadScoreDetail: Sendable {
    public let fit: Int
    public let interest: Int
    public let quadrant: String
    public let ruleVersion: Int
    public let scoredAt: Date
    /// Each list sums to its score.
    public let fitRules: [ScoreLine]
    public let interestRules: [ScoreLine]
}

/// One rule's contribution to a score, as the scoring worker stored it.
public struct ScoreLine: Sendable, Codable {
    public let rule: String
    public let points: Int
    public let reason: String
}

public struct StageHistoryEntry: Sendable, Encodable {
    public let from: String
    public let to: String
    public let actor: String
    public let reason: String
    public let ruleVersion: Int?
    public let changedBy: String?
    public let changedAt: Date
}

public struct LeadActivity: Sendable, Encodable {
    public let id: Int64
    public let type: String
    public let url: String?
    public let content: String?
    public let occurredAt: Date
    public let source: String
}

/// A stored score breakdown that is not in the form the scoring worker writes.
public struct BreakdownFormatError: Error, CustomStringConvertible {
    public let leadID: Int64
    public var description: String {
        "lead \(leadID): score_breakdown is not of the form {\"fit\": [{\"rule\", \"points\", \"reason\"}…], \"interest\": […]}"
    }
}

extension Connection {
    /// The lead with its score, stage history and latest activities, or nil when there is
    /// no such lead. It reads in several statements: run it in a repeatable-read transaction
    /// for one consistent picture.
    public func leadReport(_ key: LeadKey, activityLimit: Int) throws -> LeadReport? {
        let id: Int64?
        let email: String?
        switch key {
        case .id(let value): (id, email) = (value, nil)
        case .email(let value): (id, email) = (nil, LeadKey.storedEmail(value))
        }
        guard let row = try query("""
            SELECT l.id, l.email, l.first_name, l.last_name, l.title, l.seniority, l.department, l.phone,
                   COALESCE(l.company_name, c.name), COALESCE(l.industry, c.industry), COALESCE(l.employees, c.employees),
                   COALESCE(l.annual_revenue, c.annual_revenue), COALESCE(l.country, c.country),
                   l.source, l.first_source, l.campaign, l.stage, l.stage_entered_at, l.first_seen_at, c.owner_rep,
                   l.fit_score, l.interest_score, l.quadrant, l.rule_version, l.scored_at, l.score_breakdown::text,
                   a.rep_id, a.rule_id, a.assigned_at
            FROM leads l LEFT JOIN companies c ON c.id = l.company_id
            LEFT JOIN assignments a ON a.lead_id = l.id AND a.ended_at IS NULL
            WHERE ($1::bigint IS NULL OR l.id = $1) AND ($2::text IS NULL OR l.email = $2)
            """, [id, email]).first else { return nil }

        let lead = LeadProfile(
            id: try row.decode(0), email: try row.decode(1), firstName: try row.decode(2), lastName: try row.decode(3),
            title: try row.decode(4), seniority: try row.decode(5), department: try row.decode(6), phone: try row.decode(7),
            company: try row.decode(8), industry: try row.decode(9), employees: try row.decode(10),
            annualRevenue: try row.decode(11), country: try row.decode(12), source: try row.decode(13),
            firstSource: try row.decode(14), campaign: try row.decode(15), stage: try row.decode(16),
            stageEnteredAt: try row.decode(17), firstSeenAt: try row.decode(18), accountOwner: try row.decode(19),
            owner: try row.decode(26), ownerRule: try row.decode(27), assignedAt: try row.decode(28)
        )
        var score: LeadScoreDetail?
        if let fit: Int = try row.decode(20), let interest: Int = try row.decode(21), let quadrant: String = try row.decode(22),
           let ruleVersion: Int = try row.decode(23), let scoredAt: Date = try row.decode(24) {
            let breakdown = try (row.decode(25, as: String?.self)).map { text in
                do {
                    return try JSONDecoder().decode(StoredBreakdown.self, from: Data(text.utf8))
                } catch {
                    throw BreakdownFormatError(leadID: lead.id)
                }
            }
            score = LeadScoreDetail(fit: fit, interest: interest, quadrant: quadrant, ruleVersion: ruleVersion, scoredAt: scoredAt,
                                    fitRules: breakdown?.fit ?? [], interestRules: breakdown?.interest ?? [])
        }

        let history = try query("""
            SELECT from_stage, to_stage, actor, reason, rule_version, changed_by, changed_at
            FROM stage_history WHERE lead_id = $1 ORDER BY changed_at, id
            """, [lead.id]).map { row in
                StageHistoryEntry(from: try row.decode(0), to: try row.decode(1), actor: try row.decode(2), reason: try row.decode(3),
                                  ruleVersion: try row.decode(4), changedBy: try row.decode(5), changedAt: try row.decode(6))
            }
        let activities = try query("""
            SELECT id, type, url, content, occurred_at, source
            FROM activities WHERE lead_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2
            """, [lead.id, activityLimit]).map { row in
                LeadActivity(id: try row.decode(0), type: try row.decode(1), url: try row.decode(2), content: try row.decode(3),
                             occurredAt: try row.decode(4), source: try row.decode(5))
            }
        let activityCount = activities.count < activityLimit
            ? activities.count
            : try query("SELECT count(*) FROM activities WHERE lead_id = $1", [lead.id])[0].decode(0, as: Int.self)
        return LeadReport(lead: lead, score: score, stageHistory: history, activities: activities, activityCount: activityCount)
    }
}

private struct StoredBreakdown: Decodable {
    let fit: [ScoreLine]
    let interest: [ScoreLine]
}
