public import Foundation
import Intake
public import JobQueue
import LeadDomain
import LeadStore
public import Postgres

/// Scores a batch of leads inside the caller's transaction: load and lock them with their
/// activities, score them against the active rule set, write scores and stage changes,
/// and enqueue a handoff for each lead that became sales-ready.
///
/// The active rule version is read in the same transaction, so a worker notices a new
/// version with its next batch, without a restart, and never scores with a version older
/// than the one active when its batch began. The compiled scorer is cached per version.
public final class LeadScoring: Sendable {
    private let rules = ActiveRules { rules, version in
        Scorer(rules: rules, version: RuleVersion(label: rules.version, number: Int64(version)))
    }
    private let clock: @Sendable () -> Date

    /// - Parameter clock: "now" for decay; the wall clock unless a test pins it.
    public init(clock: @escaping @Sendable () -> Date = { Date() }) {
        self.clock = clock
    }

    /// Scores `leadIDs` (duplicates and unknown ids are ignored). Returns how many were scored.
    @discardableResult
    public func score(leadIDs: [Int64], on connection: isolated Connection) throws -> Int {
        guard !leadIDs.isEmpty else { return 0 }
        // One round trip for the active version and the leads.
        let (active, leads) = try connection.read(activeRuleVersion, Connection.leadsForScoring(ids: Array(Set(leadIDs))))
        let (version, scorer) = try rules.compiled(version: active, on: connection)
        let now = clock()
        var updates: [ScoreUpdate] = []
        updates.reserveCapacity(leads.count)
        var handoffs: [JobRequest] = []
        for stored in leads {
            let score = scorer.score(lead: Self.lead(stored), activities: stored.activities.compactMap(Self.activity), now: now)
            let stage = Stage(rawValue: stored.stage) ?? .lead
            // A lead that never left its first stage counts every action it ever took: the
            // demo request that created it happened a moment before ingest wrote its row.
            let before = StageState(stage: stage, enteredAt: stage == .lead && !stored.hasMoved ? .distantPast : stored.stageEnteredAt,
                                    mqlArmed: stored.mqlArmed)
            let evaluation = scorer.proposeStage(for: before, score: score, at: now)
            let transition = evaluation.transition.map {
                StageChange(from: $0.from.rawValue, to: $0.to.rawValue, actor: $0.actor.rawValue, reason: $0.reason.rawValue,
                            ruleVersion: version)
            }
            updates.append(ScoreUpdate(
                leadID: stored.id, fit: score.fit, interest: score.interest, quadrant: score.quadrant.rawValue,
                breakdown: Self.breakdownJSON(score.breakdown), scoredAt: now, ruleVersion: version,
                rescoreAt: scorer.nextReview(of: score), stage: evaluation.state.stage.rawValue,
                stageEnteredAt: evaluation.transition == nil ? stored.stageEnteredAt : evaluation.state.enteredAt, mqlArmed: evaluation.state.mqlArmed,
                appendsHistory: stored.fit != score.fit || stored.interest != score.interest || stored.quadrant != score.quadrant.rawValue,
                transition: transition))
            if let to = evaluation.transition?.to, to == .mql || to == .sal {
                handoffs.append(HandoffJob.request(leadID: stored.id, stage: to.rawValue))
            }
        }
        try connection.storeScores(updates)
        try connection.enqueueWithNextRoundTrip(handoffs)
        return leads.count
    }

    static func lead(_ stored: LeadForScoring) -> Lead {
        Lead(email: stored.email, emailDomain: stored.emailDomain, isFreeMail: stored.isFreeMail, title: stored.title,
             seniority: stored.seniority, department: stored.department,
             company: Company(industry: stored.industry, employeeCount: stored.employees, annualRevenue: stored.annualRevenue,
                              country: stored.country, accountOwner: stored.accountOwner.map(RepID.init(rawValue:))))
    }

    /// Activity types outside LeadDomain's list (calls and e-mails that reps log) do not score.
    static func activity(_ stored: StoredActivity) -> Activity? {
        ActivityType(rawValue: stored.type).map {
            Activity(type: $0, url: stored.url, content: stored.content, occurredAt: stored.occurredAt)
        }
    }

    /// `{"fit": [{"points", "reason", "rule"}…], "interest": […]}`, keys sorted. Written by
    /// hand because it runs once per scored lead, where a JSONEncoder cost a fifth of a
    /// worker's time.
    static func breakdownJSON(_ breakdown: Score.Breakdown) -> String {
        var json = "{\"fit\":"
        json.reserveCapacity(64 + 96 * (breakdown.fit.count + breakdown.interest.count))
        appendList(breakdown.fit, to: &json)
        json += ",\"interest\":"
        appendList(breakdown.interest, to: &json)
        json += "}"
        return json
    }

    private static func appendList(_ contributions: [Contribution], to json: inout String) {
        json += "["
        for (index, contribution) in contributions.enumerated() {
            if index > 0 { json += "," }
            json += "{\"points\":"
            json += String(contribution.points)
            json += ",\"reason\":"
            JSONText.appendQuoted(contribution.reason.description, to: &json)
            json += ",\"rule\":"
            JSONText.appendQuoted(contribution.rule, to: &json)
            json += "}"
        }
        json += "]"
    }
}

public enum ScoringError: Error, CustomStringConvertible {
    case noActiveRuleSet

    public var description: String {
        switch self {
        case .noActiveRuleSet: "no rule set is active: load one with `leadrelay rules apply FILE.yaml`"
        }
    }
}

/// Kind `score`: (re)score the leads named by the jobs' keys.
public struct ScoreJobHandler: JobHandler {
    public static let kindName = ScoreJob.kind
    public var kind: String { Self.kindName }
    private let scoring: LeadScoring

    public init(scoring: LeadScoring = LeadScoring()) {
        self.scoring = scoring
    }

    public func handle(_ jobs: [Job], on connection: isolated Connection) throws {
        let ids = try jobs.map(ScoreJob.leadID(of:))
        try scoring.score(leadIDs: ids, on: connection)
    }
}

/// The job that hands a sales-ready lead to a rep. Keyed by lead, so a lead is queued for
/// handoff at most once at a time.
public enum HandoffJob {
    public static let kind = "handoff"

    public struct Payload: Codable, Sendable {
        public let leadID: Int64
        /// The stage that made the lead sales-ready (mql, or sal for a fast track).
        public let stage: String
        enum CodingKeys: String, CodingKey {
            case leadID = "lead_id"
            case stage
        }
    }

    static func request(leadID: Int64, stage: String) -> JobRequest {
        var payload = #"{"lead_id":\#(leadID),"stage":"#
        JSONText.appendQuoted(stage, to: &payload)
        return JobRequest(kind: kind, key: JobRequest.key(forID: leadID), payload: payload + "}")
    }
}
