import Postgres
import Reporting
import TestSupport
import Testing

/// Every reporting view on the hand-worked data set of `ReportingSeed`.
@Suite struct ReportingViewsTests {
    /// Each row as PostgreSQL's text form of a record, e.g. `(month,2024-01-01,3)`.
    static func rows(_ select: String, on connection: Connection) async throws -> [String] {
        try await connection.query("SELECT t::text FROM (\(select)) t").map { try $0.decode(0, as: String.self) }
    }

    @Test func everyViewGivesTheHandWorkedFigures() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            try await ReportingSeed.load(on: connection)
            let refreshed = try await connection.withTransaction { try $0.refreshReportingViews() }
            #expect(refreshed.map(\.view) == ReportingRefresh.materializedViews)
            func rows(_ select: String) async throws -> [String] { try await Self.rows(select, on: connection) }

            #expect(try await rows("""
                SELECT l.email, f.source, f.campaign, f.industry, f.employee_band, f.country, f.persona, f.rep, f.team, f.closed, f.won, f.revenue
                FROM reporting.lead_facts f JOIN leads l ON l.id = f.lead_id ORDER BY l.email
                """) == [
                    "(ada@acme.io,web,spring,software,smb,DE,analytics_leader,r1,east,t,t,1000.00)",
                    "(ben@beta.io,web,spring,software,\"(none)\",US,product_leader,r2,west,t,f,0.00)",
                    "(cy@gamma.io,import,\"(none)\",retail,\"(none)\",DE,\"(none)\",\"(unassigned)\",\"(none)\",f,f,0.00)",
                    "(dee@delta.io,web,summer,software,mid_market,US,\"(none)\",r1,east,t,t,500.00)",
                ])

            let funnel = "leads, mqls, sals, sqls, opportunities, customers, revenue, lead_to_mql, mql_to_sal, sal_to_sql, sql_to_opportunity, opportunity_to_customer, mql_to_customer"
            #expect(try await rows("SELECT period_start, \(funnel) FROM reporting.funnel WHERE grain = 'month' AND dimension = 'all' ORDER BY 1") == [
                "(2024-01-01,3,2,1,1,1,1,1000.00,0.6667,0.5000,1.0000,1.0000,1.0000,0.5000)",
                "(2024-02-01,1,1,1,1,1,1,500.00,1.0000,1.0000,1.0000,1.0000,1.0000,1.0000)",
            ])
            #expect(try await rows("SELECT period_start, \(funnel) FROM reporting.funnel WHERE grain = 'quarter' AND dimension = 'all'") == [
                "(2024-01-01,4,3,2,2,2,2,1500.00,0.7500,0.6667,1.0000,1.0000,1.0000,0.6667)",
            ])
            #expect(try await rows("SELECT period_start, leads, mqls FROM reporting.funnel WHERE grain = 'week' AND dimension = 'all' ORDER BY 1") == [
                "(2024-01-01,2,2)", "(2024-01-15,1,0)", "(2024-02-05,1,1)",
            ])
            #expect(try await rows("SELECT period_start, leads FROM reporting.funnel WHERE grain = 'day' AND dimension = 'all' ORDER BY 1") == [
                "(2024-01-02,2)", "(2024-01-16,1)", "(2024-02-05,1)",
            ])
            #expect(try await rows("""
                SELECT dimension, value, leads, mqls, customers, lead_to_mql FROM reporting.funnel
                WHERE grain = 'quarter' AND dimension <> 'all' ORDER BY 1, 2
                """) == [
                    "(campaign,\"(none)\",1,0,0,0.0000)", "(campaign,spring,2,2,1,1.0000)", "(campaign,summer,1,1,1,1.0000)",
                    "(country,DE,2,1,1,0.5000)", "(country,US,2,2,1,1.0000)",
                    "(employee_band,\"(none)\",2,1,0,0.5000)", "(employee_band,mid_market,1,1,1,1.0000)", "(employee_band,smb,1,1,1,1.0000)",
                    "(industry,retail,1,0,0,0.0000)", "(industry,software,3,3,2,1.0000)",
                    "(persona,\"(none)\",2,1,1,0.5000)", "(persona,analytics_leader,1,1,1,1.0000)", "(persona,product_leader,1,1,0,1.0000)",
                    "(rep,\"(unassigned)\",1,0,0,0.0000)", "(rep,r1,2,2,2,1.0000)", "(rep,r2,1,1,0,1.0000)",
                    "(source,import,1,0,0,0.0000)", "(source,web,3,3,2,1.0000)",
                    "(team,\"(none)\",1,0,0,0.0000)", "(team,east,2,2,2,1.0000)", "(team,west,1,1,0,1.0000)",
                ])

            #expect(try await rows("""
                SELECT period_start, qualified, passed, accepted, sqls, opportunities, won, revenue, win_rate
                FROM reporting.qualified_leads WHERE grain = 'month' AND dimension = 'all' ORDER BY 1
                """) == ["(2024-01-01,2,2,1,1,1,1,1000.00,0.5000)", "(2024-02-01,1,1,1,1,1,1,500.00,1.0000)"])

            let sla = """
                assignments, touched, follow_up_median_hours, follow_up_p90_hours, first_touch_on_time, first_touch_due,
                first_touch_on_time_rate, contacts_made, contacts_required, contacts_met, contacts_due, contacts_met_rate, breaches
                """
            #expect(try await rows("SELECT period_start, dimension, value, \(sla) FROM reporting.sla WHERE grain = 'month' ORDER BY 1, 2, 3") == [
                "(2024-01-01,all,all,2,2,2.50,3.70,1,2,0.5000,3,4,1,2,0.5000,1)",
                "(2024-01-01,rep,r1,1,1,1.00,1.00,1,1,1.0000,2,2,1,1,1.0000,0)",
                "(2024-01-01,rep,r2,1,1,4.00,4.00,0,1,0.0000,1,2,0,1,0.0000,1)",
                "(2024-01-01,team,east,1,1,1.00,1.00,1,1,1.0000,2,2,1,1,1.0000,0)",
                "(2024-01-01,team,west,1,1,4.00,4.00,0,1,0.0000,1,2,0,1,0.0000,1)",
                "(2024-02-01,all,all,1,1,22.00,22.00,0,1,0.0000,1,2,0,1,0.0000,1)",
                "(2024-02-01,rep,r1,1,1,22.00,22.00,0,1,0.0000,1,2,0,1,0.0000,1)",
                "(2024-02-01,team,east,1,1,22.00,22.00,0,1,0.0000,1,2,0,1,0.0000,1)",
            ])
            #expect(try await rows("SELECT dimension, value, \(sla) FROM reporting.sla WHERE grain = 'quarter' ORDER BY 1, 2") == [
                "(all,all,3,3,4.00,18.40,1,3,0.3333,4,6,1,3,0.3333,2)",
                "(rep,r1,2,2,11.50,19.90,1,2,0.5000,3,4,1,2,0.5000,1)",
                "(rep,r2,1,1,4.00,4.00,0,1,0.0000,1,2,0,1,0.0000,1)",
                "(team,east,2,2,11.50,19.90,1,2,0.5000,3,4,1,2,0.5000,1)",
                "(team,west,1,1,4.00,4.00,0,1,0.0000,1,2,0,1,0.0000,1)",
            ])

            #expect(try await rows("""
                SELECT grain, period_start, deals, revenue, deals_with_touch, cycle_median_days, cycle_avg_days, cycle_p90_days
                FROM reporting.sales_cycle WHERE grain IN ('month', 'quarter') AND dimension = 'all' ORDER BY 1, 2
                """) == ["(month,2024-01-01,1,1000.00,1,28.00,28.00,28.00)", "(month,2024-02-01,1,500.00,1,20.00,20.00,20.00)",
                         "(quarter,2024-01-01,2,1500.00,2,24.00,24.00,27.20)"])

            #expect(try await rows("""
                SELECT stage, stays, completed, median_hours, avg_hours, p90_hours FROM reporting.time_in_stage
                WHERE grain = 'quarter' ORDER BY 1
                """) == ["(customer,2,0,,,)", "(lead,4,3,24.00,32.67,61.60)", "(mql,2,2,180.00,180.00,304.80)",
                         "(opportunity,2,2,456.50,456.50,495.30)", "(recycled,1,0,,,)", "(sal,2,2,71.00,71.00,91.00)",
                         "(sql,2,2,48.00,48.00,48.00)"])

            #expect(try await rows("""
                SELECT grain, period_start, leads, active_leads, active_rate FROM reporting.lead_active_rate
                WHERE grain <> 'day' ORDER BY 1, 2
                """) == ["(month,2024-01-01,3,2,0.6667)", "(month,2024-02-01,4,2,0.5000)", "(quarter,2024-01-01,4,4,1.0000)",
                         "(week,2024-01-01,2,2,1.0000)", "(week,2024-01-15,3,0,0.0000)", "(week,2024-02-05,4,2,0.5000)"])

            #expect(try await rows("""
                SELECT period_start, dimension, value, leads, mqls, sqls, customers, revenue, cost, cost_per_lead, cost_per_deal
                FROM reporting.source_performance WHERE grain = 'month' ORDER BY 2, 3, 1
                """) == [
                    "(2024-01-01,campaign,\"(none)\",1,0,0,0,0.00,,,)",
                    "(2024-02-01,campaign,autumn,0,0,0,0,0.00,100.00,,)",
                    "(2024-01-01,campaign,spring,2,2,1,1,1000.00,500.00,250.00,500.00)",
                    "(2024-02-01,campaign,summer,1,1,1,1,500.00,250.00,250.00,250.00)",
                    "(2024-01-01,source,import,1,0,0,0,0.00,,,)",
                    "(2024-01-01,source,web,2,2,1,1,1000.00,,,)",
                    "(2024-02-01,source,web,1,1,1,1,500.00,,,)",
                ])
            #expect(try await rows("SELECT campaign, spent_on, amount FROM reporting.campaign_costs ORDER BY 1, 2").count == 4)

            #expect(try await rows("""
                SELECT period_start, dimension, value, passed, accepted, sqls, opportunities, won, revenue, win_rate,
                       assignments, follow_up_median_hours, first_touch_on_time_rate, contacts_met_rate, breaches
                FROM reporting.rep_performance WHERE grain = 'month' ORDER BY 2, 3, 1
                """) == [
                    "(2024-01-01,rep,r1,1,1,1,1,1,1000.00,1.0000,1,1.00,1.0000,1.0000,0)",
                    "(2024-02-01,rep,r1,1,1,1,1,1,500.00,1.0000,1,22.00,0.0000,0.0000,1)",
                    "(2024-01-01,rep,r2,1,0,0,0,0,0.00,0.0000,1,4.00,0.0000,0.0000,1)",
                    "(2024-01-01,team,east,1,1,1,1,1,1000.00,1.0000,1,1.00,1.0000,1.0000,0)",
                    "(2024-02-01,team,east,1,1,1,1,1,500.00,1.0000,1,22.00,0.0000,0.0000,1)",
                    "(2024-01-01,team,west,1,0,0,0,0,0.00,0.0000,1,4.00,0.0000,0.0000,1)",
                ])

            // Closed: ada (won), ben (lost), dee (won); the average close rate is 2/3.
            #expect(try await rows("SELECT * FROM reporting.close_rates ORDER BY kind, value") == [
                "(behaviour,demo_request,2,2,1.0000,0.6667,1.5000)", "(behaviour,page_view,2,1,0.5000,0.6667,0.7500)",
                "(campaign,spring,2,1,0.5000,0.6667,0.7500)", "(campaign,summer,1,1,1.0000,0.6667,1.5000)",
                "(country,DE,1,1,1.0000,0.6667,1.5000)", "(country,US,2,1,0.5000,0.6667,0.7500)",
                "(employee_band,mid_market,1,1,1.0000,0.6667,1.5000)", "(employee_band,smb,1,1,1.0000,0.6667,1.5000)",
                "(industry,software,3,2,0.6667,0.6667,1.0000)",
                "(persona,analytics_leader,1,1,1.0000,0.6667,1.5000)", "(persona,product_leader,1,0,0.0000,0.6667,0.0000)",
                "(source,web,3,2,0.6667,0.6667,1.0000)",
            ])
            // Closed in February only: dee, won, so every rate is 1.
            #expect(try await rows("""
                SELECT kind, value, closed_leads, close_rate, lift FROM reporting.close_rates_between('2024-02-01', '2024-03-01')
                WHERE kind = 'behaviour'
                """) == ["(behaviour,demo_request,1,1.0000,1.0000)"])

            #expect(try await rows("SELECT view_name FROM reporting.refreshed_at WHERE refreshed_at IS NOT NULL ORDER BY 1")
                    == ReportingRefresh.materializedViews.sorted().map { "(\($0))" })
            // The owner here is a superuser, so personal data shows; the analyst tests cover masking.
            #expect(try await rows("SELECT email, first_name, phone FROM reporting.leads ORDER BY lead_id").first
                    == "(ada@acme.io,Ada,\"+49 30 1234567\")")
            await connection.close()
        }
    }
}
