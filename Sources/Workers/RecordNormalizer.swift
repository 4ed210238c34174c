import Foundation
import Intake
import LeadStore

/// Reads an inbox record back and normalizes it with Intake's rules, into the rows that
/// ingest writes, or the reason it cannot be used.
struct RecordNormalizer: Sendable {
    enum Normalized {
        case lead(LeadUpsert)
        /// An activity, and the (possibly new, bare) lead it belongs to.
        case activity(ActivityInsert, LeadUpsert)
        case rejected(String)
    }

    private let leads: LeadNormalizer
    private let activities = ActivityNormalizer()

    init(freeMailDomains: Set<String>) {
        leads = LeadNormalizer(freeMailDomains: freeMailDomains)
    }

    func normalize(_ entry: InboxEntry) -> Normalized {
        let json = Data(entry.payload.utf8)
        do {
            switch entry.type {
            case .lead:
                switch leads.normalize(try IncomingLead.decode(json: json)) {
                case .accepted(let lead, _): return .lead(Self.upsert(lead, seenAt: entry.receivedAt))
                case .rejected(let problems, _): return .rejected(Self.reason(problems))
                }
            case .activity:
                switch activities.normalize(try IncomingActivity.decode(json: json)) {
                case .accepted(let activity, _):
                    guard let address = EmailAddress(activity.email) else { return .rejected("email: not a valid e-mail address") }
                    let lead = LeadUpsert(
                        email: address.address, emailDomain: address.domain,
                        isFreeMail: leads.freeMailDomains.contains(address.domain), seenAt: entry.receivedAt
                    )
                    let insert = ActivityInsert(
                        email: address.address, type: activity.type, url: activity.url, content: activity.content,
                        occurredAt: activity.occurredAt ?? entry.receivedAt, source: entry.source
                    )
                    return .activity(insert, lead)
                case .rejected(let problems, _): return .rejected(Self.reason(problems))
                }
            }
        } catch {
            return .rejected(Self.reason(error.problems))
        }
    }

    static func reason(_ problems: [IntakeProblem]) -> String {
        problems.map(\.description).joined(separator: "; ")
    }

    static func upsert(_ lead: NormalizedLead, seenAt: Date) -> LeadUpsert {
        var upsert = LeadUpsert(email: lead.email, emailDomain: lead.emailDomain, isFreeMail: lead.isFreeMail, seenAt: seenAt)
        upsert.firstName = lead.firstName
        upsert.lastName = lead.lastName
        upsert.title = lead.title
        upsert.seniority = lead.seniority
        upsert.department = lead.department
        upsert.phone = lead.phone
        upsert.companyName = lead.company
        upsert.industry = lead.industry
        upsert.employees = lead.employees
        upsert.annualRevenue = lead.annualRevenue
        upsert.country = lead.countryCode
        upsert.source = lead.source
        upsert.campaign = lead.campaign
        upsert.crmStatus = lead.status
        return upsert
    }
}
