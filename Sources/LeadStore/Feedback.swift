public import Foundation
public import Postgres
import LeadDomain

/// What a rep reports about a lead, as the feedback API and `leadrelay feedback` take it.
public enum FeedbackOutcome: String, Sendable, CaseIterable {
    case accepted, qualified, opportunity, won, lost, recycled, junk, unreachable

    /// The reason codes a rep may give with `recycled`; which of them fits the lead's
    /// current stage is the state machine's call.
    public static let recycleReasons: [String] = [
        ReasonCode.notReady, .noResponse, .badTiming, .rejectedBySales, .closedLost,
    ].map(\.rawValue)

    /// The reason codes a rep may give with `junk` (default junk).
    public static let junkReasons: [String] = [ReasonCode.junk, .duplicate].map(\.rawValue)

    var target: Stage {
        switch self {
        case .accepted: .sal
        case .qualified: .sql
        case .opportunity: .opportunity
        case .won: .customer
        case .lost, .recycled: .recycled
        case .junk: .disqualified
        case .unreachable: .unreachable
        }
    }
}

/// One outcome report. `reason` is the reason code for recycled (required) and junk
/// (optional), and the rep's own words for lost (required).
public struct SalesFeedback: Sendable {
    public var outcome: FeedbackOutcome
    public var reason: String?
    /// Required for won, refused otherwise.
    public var revenue: Decimal?
    public var rep: String?
    public var note: String?

    public init(outcome: FeedbackOutcome, reason: String? = nil, revenue: Decimal? = nil, rep: String? = nil, note: String? = nil) {
        self.outcome = outcome
        self.reason = reason
        self.revenue = revenue
        self.rep = rep
        self.note = note
    }

    /// What is wrong with the report on its own, before any lead is looked at.
    public var problems: [FieldProblem] {
        var problems: [FieldProblem] = []
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        switch outcome {
        case .won:
            if let revenue {
                if revenue < 0 || revenue.isNaN { problems.append(FieldProblem("revenue", "must be a number of at least 0")) }
            } else {
                problems.append(FieldProblem("revenue", "is required for won"))
            }
        case .lost:
            if reason?.isEmpty ?? true { problems.append(FieldProblem("reason", "is required for lost: why the deal was lost")) }
        case .recycled:
            if let reason, FeedbackOutcome.recycleReasons.contains(reason) {
            } else {
                problems.append(FieldProblem("reason", "is required for recycled: one of \(FeedbackOutcome.recycleReasons.joined(separator: ", "))"))
            }
        case .junk:
            if let reason, !FeedbackOutcome.junkReasons.contains(reason) {
                problems.append(FieldProblem("reason", "for junk is one of \(FeedbackOutcome.junkReasons.joined(separator: ", "))"))
            }
        default:
            break
        }
        if outcome != .won, revenue != nil { problems.append(FieldProblem("revenue", "is only for won")) }
        if let rep, rep.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(FieldProblem("rep", "must not be empty")) }
        return problems
    }

    var reasonCode: ReasonCode {
        let given = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        switch outcome {
        case .accepted: return .salesAccepted
        case .qualified: return .salesQualified
        case .opportunity: return .opportunityCreated
        case .won: return .closedWon
        case .lost: return .closedLost
        case .recycled: return ReasonCode(rawValue: given ?? "")
        case .junk: return given.map(ReasonCode.init(rawValue:)) ?? .junk
        case .unreachable: return .contactFailed
        }
    }
}

/// A problem with one field of a request.
public struct FieldProblem: Sendable, Hashable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Why feedback was refused. Messages name stages and reason codes only, never lead data.
public enum FeedbackError: Error, Sendable, CustomStringConvertible {
    case invalid([FieldProblem])
    case unknownLead
    /// The state machine refuses the change from the lead's current stage.
    case notAllowed(from: String, outcome: FeedbackOutcome, detail: String)

    public var description: String {
        switch self {
        case .invalid(let problems): problems.map(\.description).joined(separator: "; ")
        case .unknownLead: "no such lead"
        case .notAllowed(let from, let outcome, let detail):
            "'\(outcome.rawValue)' is not allowed for a lead in stage \(from) (\(detail))"
        }
    }
}

/// What a feedback report did.
public struct FeedbackReceipt: Sendable {
    public let leadID: Int64
    public let from: String
    public let to: String
    public let reason: String
    public let outcomeID: Int64
    /// The assignment ended because the lead left sales, if it had an open one.
    public let endedAssignment: Int64?
}

/// A call, e-mail or meeting a rep logs.
public struct SalesActivity: Sendable {
    public static let types = SalesTouch.types

    public var type: String
    public var occurredAt: Date
    public var rep: String?
    public var note: String?
    public var outcome: String?

    public init(type: String, occurredAt: Date, rep: String? = nil, note: String? = nil, outcome: String? = nil) {
        self.type = type
        self.occurredAt = occurredAt
        self.rep = rep
        self.note = note
        self.outcome = outcome
    }
}

extension Connection {
    /// Applies a rep's outcome report to a lead in the caller's transaction: validates the
    /// stage change with the lifecycle state machine (actor sales), moves the lead, records
    /// the change in the stage history and the report in lead_outcomes, and ends the lead's
    /// open assignment when it leaves sales for good (recycled, disqualified, unreachable,
    /// customer). `reportedBy` is used when the report names no rep.
    public func recordFeedback(_ feedback: SalesFeedback, for key: LeadKey, reportedBy: String, at now: Date = Date())
        throws -> FeedbackReceipt
    {
        let problems = feedback.problems
        guard problems.isEmpty else { throw FeedbackError.invalid(problems) }
        // NO KEY UPDATE, as scoring and handoff lock leads: it still serializes every stage
        // change of the lead, but leaves ingest free to insert activities that reference it.
        let rows = switch key {
        case .id(let id):
            try query("SELECT id, stage, stage_entered_at, mql_armed FROM leads WHERE id = $1 FOR NO KEY UPDATE", [id])
        case .email(let email):
            try query("SELECT id, stage, stage_entered_at, mql_armed FROM leads WHERE email = $1 FOR NO KEY UPDATE",
                      [LeadKey.storedEmail(email)])
        }
        guard let row = rows.first else { throw FeedbackError.unknownLead }
        let leadID: Int64 = try row.decode(0)
        let stageName: String = try row.decode(1)
        guard let stage = Stage(rawValue: stageName) else {
            throw FeedbackError.notAllowed(from: stageName, outcome: feedback.outcome, detail: "unknown stage")
        }
        let state = StageState(stage: stage, enteredAt: try row.decode(2), mqlArmed: try row.decode(3))
        let transition = StageTransition(from: stage, to: feedback.outcome.target, actor: .sales, reason: feedback.reasonCode)
        let next: StageState
        do {
            next = try Lifecycle.apply(transition, to: state, at: now)
        } catch {
            throw FeedbackError.notAllowed(from: stageName, outcome: feedback.outcome, detail: Self.explain(error, from: stage))
        }

        let changedBy = feedback.rep ?? reportedBy
        try query("UPDATE leads SET stage = $2, stage_entered_at = $3, mql_armed = $4, updated_at = $3 WHERE id = $1",
                  [leadID, next.stage.rawValue, now, next.mqlArmed])
        let historyID: Int64 = try query("""
            INSERT INTO stage_history (lead_id, from_stage, to_stage, actor, reason, changed_by, changed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
            """, [leadID, stage.rawValue, next.stage.rawValue, Lifecycle.Actor.sales.rawValue, transition.reason.rawValue,
                  changedBy, now])[0].decode(0)
        let outcomeID: Int64 = try query("""
            INSERT INTO lead_outcomes (lead_id, outcome, stage_change, revenue, reason, note, rep_id, reported_by, reported_at)
            VALUES ($1, $2, $3, $4::numeric, $5, $6, $7, $8, $9) RETURNING id
            """, [leadID, feedback.outcome.rawValue, historyID, feedback.revenue.map { "\($0)" }, feedback.reason, feedback.note,
                  feedback.rep, changedBy, now])[0].decode(0)

        var ended: Int64?
        if !next.stage.isSalesStage || next.stage == .customer {
            ended = try endOpenAssignment(leadID: leadID, reason: "feedback_\(feedback.outcome.rawValue)", at: now)
        }
        return FeedbackReceipt(leadID: leadID, from: stage.rawValue, to: next.stage.rawValue, reason: transition.reason.rawValue,
                               outcomeID: outcomeID, endedAssignment: ended)
    }

    /// Stores a rep's call, e-mail or meeting as an activity with source `sales`, which the
    /// SLA counts as a touch. Returns its id, or nil when there is no such lead.
    public func logSalesActivity(_ activity: SalesActivity, leadID: Int64) throws -> Int64? {
        try query("""
            INSERT INTO activities (lead_id, type, content, occurred_at, source, rep_id, outcome)
            SELECT id, $2, $3, $4, $5, $6, $7 FROM leads WHERE id = $1
            RETURNING id
            """, [leadID, activity.type, activity.note, activity.occurredAt, SalesTouch.source, activity.rep, activity.outcome])
            .first?.decode(0)
    }

    /// Ends the lead's open assignment, if any, and recounts its rep's load. The caller
    /// holds the lead; the rep's state row is locked after it, the order handoff uses.
    private func endOpenAssignment(leadID: Int64, reason: String, at now: Date) throws -> Int64? {
        guard let open = try query("SELECT id, rep_id FROM assignments WHERE lead_id = $1 AND ended_at IS NULL", [leadID]).first
        else { return nil }
        let assignmentID: Int64 = try open.decode(0)
        try lockRepStateRows([try open.decode(1, as: String.self)])
        try endAssignments([assignmentID], reason: reason, at: now)
        return assignmentID
    }

    private static func explain(_ error: LifecycleError, from stage: Stage) -> String {
        let allowed = Lifecycle.allowedTransitions(from: stage, by: .sales)
        let options = FeedbackOutcome.allCases.filter { outcome in
            allowed[outcome.target].map { reasons in
                switch outcome {
                case .recycled: !reasons.isDisjoint(with: FeedbackOutcome.recycleReasons.map(ReasonCode.init(rawValue:)))
                case .lost: reasons.contains(.closedLost)
                default: true
                }
            } ?? false
        }
        let next = options.isEmpty ? "sales can report no outcome from this stage" : "possible: " + options.map(\.rawValue).joined(separator: ", ")
        switch error.code {
        case .reasonNotAllowed:
            let reasons = allowed[error.transition.to].map { $0.map(\.rawValue).sorted().joined(separator: ", ") } ?? ""
            return "reason \(error.transition.reason) does not fit; from \(stage.rawValue) the reasons are \(reasons)"
        default:
            return next
        }
    }
}
