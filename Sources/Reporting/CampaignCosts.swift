public import Foundation
public import Postgres

/// What a campaign cost on one day.
public struct CampaignCost: Sendable, Hashable {
    public var campaign: String
    /// YYYY-MM-DD.
    public var day: String
    public var amount: Decimal

    public init(campaign: String, day: String, amount: Decimal) {
        self.campaign = campaign
        self.day = day
        self.amount = amount
    }
}

extension Connection {
    /// Stores campaign costs; a (campaign, day) already stored gets the new amount.
    /// Returns how many were new and how many replaced.
    public func upsertCampaignCosts(_ costs: [CampaignCost]) throws -> (inserted: Int, updated: Int) {
        guard !costs.isEmpty else { return (0, 0) }
        let rows = try query("""
            INSERT INTO campaign_costs (campaign, spent_on, amount)
            SELECT * FROM unnest($1::text[], $2::date[], $3::numeric[])
            ON CONFLICT (campaign, spent_on) DO UPDATE SET amount = excluded.amount, imported_at = now()
            RETURNING (xmax = 0)
            """, [costs.map(\.campaign), costs.map(\.day), costs.map { "\($0.amount)" }])
        let inserted = try rows.filter { try $0.decode(0, as: Bool.self) }.count
        return (inserted, rows.count - inserted)
    }
}
