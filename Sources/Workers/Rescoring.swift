public import Foundation
public import JobQueue
import LeadStore
public import Postgres

/// Rescoring every open lead after a new rule version, fanned out as jobs: one job per
/// slice of lead ids, so any number of scoring workers share the work and
/// `leadrelay queue stats` shows how much is left (kind `rescore`).
public enum RescoreJob {
    public static let kind = "rescore"
    /// Lead ids per job: big enough that a job's overhead is small, small enough that a
    /// transaction holds its lead locks only briefly.
    public static let sliceSize: Int64 = 500

    struct Payload: Codable, Sendable {
        let from: Int64
        let through: Int64
    }

    /// Enqueues the rescoring of every open lead. Call it in the transaction that activates
    /// the new version, so that both commit together. Returns the number of jobs.
    ///
    /// Keyed by slice, so activating two versions in a row queues each slice once; the
    /// workers score with whatever version is active when they get to it.
    @discardableResult
    public static func enqueueAll(on connection: isolated Connection) throws -> Int {
        guard let bounds = try connection.leadIDBounds() else { return 0 }
        let requests = try stride(from: bounds.lowerBound, through: bounds.upperBound, by: Int(sliceSize)).map { from in
            try JobRequest(kind: kind, key: JobRequest.key(forID: from), payload: Payload(from: from, through: min(from + sliceSize - 1, bounds.upperBound)))
        }
        try connection.enqueue(requests)
        return requests.count
    }
}

/// Kind `rescore`: scores the open leads of one slice of lead ids per transaction.
public struct RescoreJobHandler: JobHandler {
    public static let kindName = RescoreJob.kind
    public var kind: String { Self.kindName }
    public var maxJobsPerBatch: Int? { 1 }
    private let scoring: LeadScoring

    public init(scoring: LeadScoring = LeadScoring()) {
        self.scoring = scoring
    }

    public func handle(_ jobs: [Job], on connection: isolated Connection) throws {
        for job in jobs {
            let slice = try job.decodePayload(RescoreJob.Payload.self)
            try scoring.score(leadIDs: try connection.openLeadIDs(in: slice.from...slice.through), on: connection)
        }
    }
}

/// Interest decays, so a lead's quadrant or MQL eligibility can change with no new
/// activity. Each score records when that could first happen (`leads.rescore_at`); the
/// periodic decay job queues a rescore for exactly the leads whose time has come, through
/// an index, instead of scanning every lead.
public enum DecayJob {
    public static let kind = "decay"
    /// Leads queued for rescoring per pass; a full pass runs the next one at once.
    public static let leadsPerPass = 5_000

    /// The pass, coalesced: however many workers ask for it, one is pending.
    public static func request(runAt: Date? = nil) -> JobRequest {
        JobRequest(kind: kind, key: kind, runAt: runAt)
    }
}

/// Kind `decay`: queue score jobs for the leads due for a decay review, then schedule the
/// next pass.
public struct DecayJobHandler: JobHandler {
    public static let kindName = DecayJob.kind
    public var kind: String { Self.kindName }
    private let interval: TimeInterval

    /// - Parameter interval: time between passes when a pass found less than a full load.
    public init(interval: TimeInterval = 300) {
        self.interval = interval
    }

    public func handle(_ jobs: [Job], on connection: isolated Connection) throws {
        let due = try connection.takeLeadsDueForRescore(limit: DecayJob.leadsPerPass)
        var requests = due.map { ScoreJob.request(leadID: $0) }
        requests.append(DecayJob.request(runAt: due.count == DecayJob.leadsPerPass ? nil : Date().addingTimeInterval(interval)))
        try connection.enqueue(requests)
    }
}
