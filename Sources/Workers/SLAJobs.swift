public import Foundation
import JobQueue
import LeadDomain
import LeadStore
import Postgres

/// The SLA's two delayed jobs per assignment, keyed by assignment id: `sla_first_touch` at
/// the first-touch deadline, queued by the handoff, and `sla_window_end` at the end of the
/// working window, queued by the first-touch check for an assignment it leaves open. So the
/// handoff, which every other handoff waits for, writes one job per assignment, not two,
/// and an assignment that a breach ended never gets a window check.
public enum SLAJob {
    public static let firstTouchKind = "sla_first_touch"
    public static let windowEndKind = "sla_window_end"

    public struct Payload: Codable, Sendable {
        public let assignmentID: Int64
        enum CodingKeys: String, CodingKey {
            case assignmentID = "assignment_id"
        }
    }

    static func request(kind: String, assignmentID: Int64, at due: Date) -> JobRequest {
        JobRequest(kind: kind, key: JobRequest.key(forID: assignmentID), payload: #"{"assignment_id":\#(assignmentID)}"#, runAt: due)
    }

    /// Each new assignment's deadlines in its rep's calendar, for the assignment row:
    /// an assignment never exists without its SLA clock.
    static func deadlines(for assignments: [NewAssignment], rules: RuleSet, at now: Date) -> [NewAssignment] {
        // Every assignment of a batch starts at the same instant, so reps who share a
        // calendar share a plan: business-hour arithmetic is the costly part of a handoff.
        var plans: [String: SLAPlan] = [:]
        return assignments.map { assignment in
            // The default calendar always exists in a valid rule set, so this only skips
            // a rule set that was stored without validation.
            guard let calendar = rules.calendar(for: RepID(assignment.rep)) else { return assignment }
            let plan = plans[calendar.id] ?? rules.sla.plan(assignedAt: now, calendar: calendar)
            plans[calendar.id] = plan
            var timed = assignment
            timed.firstTouchDue = plan.firstTouchDeadline
            timed.windowEnds = plan.windowEnd
            return timed
        }
    }

    /// The first-touch checks of new assignments, due at their deadlines. Their keys are
    /// the new assignments' ids, which no pending job can hold yet, so the handoff writes
    /// them as fresh jobs, without the pending-job lookup.
    static func checks(of assignments: [AssignmentRef]) -> [JobRequest] {
        assignments.compactMap { assignment in
            assignment.firstTouchDue.map { request(kind: firstTouchKind, assignmentID: assignment.id, at: $0) }
        }
    }
}

/// The NOTIFY channels on which SLA breaches are announced, when their transaction commits.
///
/// - `leadrelay_sla` carries every breach.
/// - A manager hears of their reps' breaches escalated to them (action `notify_manager`) on
///   their own rep channel, `HandoffChannel.rep(manager)`, beside their own assignments.
///
/// A payload is a JSON object, `{"sla_breaches": [Entry…]}`: an object rather than an
/// array, so that a rep-channel listener reading assignments (`HandoffChannel.entries`)
/// passes it over instead of taking a breach for an assignment. At most one NOTIFY per
/// channel per transaction, unless PostgreSQL's payload limit splits it.
public enum SLAChannel {
    public static let breaches = "leadrelay_sla"

    public struct Entry: Codable, Sendable, Hashable {
        public let kind: String
        public let breachID: Int64
        public let assignmentID: Int64
        public let leadID: Int64
        public let repID: String
        public let managerID: String?
        public let action: String
        public let deadline: Date

        enum CodingKeys: String, CodingKey {
            case kind
            case breachID = "breach_id"
            case assignmentID = "assignment_id"
            case leadID = "lead_id"
            case repID = "rep_id"
            case managerID = "manager_id"
            case action
            case deadline
        }
    }

    /// Reads a payload; nil if it is not one of SLA breaches.
    public static func entries(in payload: String) -> [Entry]? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try? decoder.decode(Envelope.self, from: Data(payload.utf8)))?.breaches
    }

    private struct Envelope: Decodable {
        let breaches: [Entry]
        enum CodingKeys: String, CodingKey {
            case breaches = "sla_breaches"
        }
    }

    private static let prefix = #"{"sla_breaches":["#
    private static let suffix = "]}"

    static func send(_ entries: [Entry], on connection: isolated Connection) throws {
        guard !entries.isEmpty else { return }
        var channels: [String] = []
        var payloads: [String] = []
        for payload in try chunks(of: entries) {
            channels.append(breaches)
            payloads.append(payload)
        }
        let escalated = entries.filter { $0.action == SLAPolicy.BreachAction.notifyManager.rawValue && $0.managerID != nil }
        for (manager, group) in Dictionary(grouping: escalated, by: { $0.managerID! }).sorted(by: { $0.key < $1.key }) {
            for payload in try chunks(of: group) {
                channels.append(HandoffChannel.rep(manager))
                payloads.append(payload)
            }
        }
        try connection.query(HandoffNotifications.notify(channels: channels, payloads: payloads))
    }

    /// Payloads of the entries, each under the handoff notifications' byte limit.
    static func chunks(of entries: [Entry]) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        return HandoffNotifications.pack(try entries.map { String(decoding: try encoder.encode($0), as: UTF8.self) },
                                         prefix: prefix, suffix: suffix)
    }
}
