import Foundation
import Intake
import LeadStore

/// Checks a record at the door with the same rules ingest applies later, so that a
/// sender learns at once what is wrong with it.
struct RecordChecker: Sendable {
    struct Check {
        var problems: [String]
        var idempotencyKey: String?
        /// False when the text is not JSON at all, rather than a record with problems.
        var isJSON = true
    }

    private let leads: LeadNormalizer
    private let activities = ActivityNormalizer()

    init(freeMailDomains: Set<String>) {
        leads = LeadNormalizer(freeMailDomains: freeMailDomains)
    }

    func check(_ type: InboxRecord.RecordType, json: Data) -> Check {
        do {
            switch type {
            case .lead:
                let incoming = try IncomingLead.decode(json: json)
                return Check(problems: leads.normalize(incoming).problems.map(\.description), idempotencyKey: incoming.idempotencyKey)
            case .activity:
                let incoming = try IncomingActivity.decode(json: json)
                return Check(problems: activities.normalize(incoming).problems.map(\.description), idempotencyKey: incoming.idempotencyKey)
            }
        } catch {
            let isJSON = !error.problems.contains { $0.code == .invalidJSON && $0.field == nil }
            return Check(problems: error.problems.map(\.description), idempotencyKey: nil, isJSON: isJSON)
        }
    }
}
