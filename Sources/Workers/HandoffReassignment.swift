public import Foundation
import JobQueue
import LeadStore
public import Postgres

/// Taking leads away from a rep and routing them again.
public enum HandoffReassignment {
    /// The end reason of assignments taken from a rep who was deactivated.
    public static let repDeactivated = "rep_deactivated"

    /// Deactivates `rep`, ends their open assignments and queues a handoff for each of
    /// those leads, all in the caller's transaction: the routing rules then give the leads
    /// to someone else (an inactive rep is passed over everywhere, except as the rule set's
    /// default owner, the last resort). Returns the leads queued; nil when the rep is not
    /// in the roster.
    public static func deactivate(rep: String, at now: Date = Date(), on connection: isolated Connection) throws -> [Int64]? {
        guard let ended = try connection.deactivateRep(rep, reason: repDeactivated, at: now) else { return nil }
        try connection.enqueue(ended.map { HandoffJob.request(leadID: $0.leadID, stage: $0.stage) })
        return ended.map(\.leadID)
    }
}
