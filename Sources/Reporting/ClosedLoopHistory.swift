public import Foundation
public import LeadDomain
public import Postgres

extension Connection {
    /// The closed loop as calibration reads it: every closed lead (won, lost, recycled,
    /// junk or unreachable, per `reporting.lead_facts` as of its last refresh), with its
    /// company facts, the behaviour it showed up to the moment it was evaluated (handed to
    /// sales, else qualified, else created), and how it ended. `since` keeps the leads
    /// closed at or after it.
    public func closedLoopHistory(since: Date? = nil) throws -> [HistoricalLead] {
        let rows = try query("""
            SELECT l.id, l.email, l.email_domain, l.free_mail, l.title, l.seniority, l.department,
                   COALESCE(l.industry, c.industry), COALESCE(l.employees, c.employees),
                   COALESCE(l.annual_revenue, c.annual_revenue), COALESCE(l.country, c.country), c.owner_rep,
                   f.evaluated_at, f.sql_at IS NOT NULL, f.won,
                   x.type, x.url, x.content, x.occurred_at
            FROM reporting.lead_facts f
            JOIN leads l ON l.id = f.lead_id
            LEFT JOIN companies c ON c.id = l.company_id
            LEFT JOIN activities x ON x.lead_id = l.id AND x.source <> 'sales' AND x.occurred_at <= f.evaluated_at
            WHERE f.closed AND ($1::timestamptz IS NULL OR f.closed_at >= $1)
            ORDER BY l.id, x.occurred_at, x.id
            """, [since])
        var history: [HistoricalLead] = []
        var currentID: Int64?
        for row in rows {
            let id: Int64 = try row.decode(0)
            if id != currentID {
                currentID = id
                let company = Company(industry: try row.decode(7), employeeCount: try row.decode(8), annualRevenue: try row.decode(9),
                                      country: try row.decode(10), accountOwner: try row.decode(11, as: String?.self).map(RepID.init(rawValue:)))
                let lead = Lead(email: try row.decode(1), emailDomain: try row.decode(2), isFreeMail: try row.decode(3),
                                title: try row.decode(4), seniority: try row.decode(5), department: try row.decode(6), company: company)
                history.append(HistoricalLead(lead: lead, activities: [], evaluatedAt: try row.decode(12),
                                              outcome: Outcome(reachedSQL: try row.decode(13), won: try row.decode(14))))
            }
            // Types outside the scorer's list (sales' own touches are already left out) score nothing.
            if let type: String = try row.decode(15), let activityType = ActivityType(rawValue: type) {
                history[history.count - 1].activities.append(Activity(
                    type: activityType, url: try row.decode(16), content: try row.decode(17), occurredAt: try row.decode(18)))
            }
        }
        return history
    }
}
