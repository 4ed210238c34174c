import Foundation
import HTTPTypes
import HummingbirdTesting
import LeadStore
import NIOCore
import Postgres
import TestSupport
import Testing

/// `POST /v1/leads/{id}/feedback` and `/v1/leads/{id}/activities` on a live loopback server.
@Suite struct FeedbackAPITests {
    typealias Setup = IntakeAPITests.Setup

    /// A lead in `stage`, assigned to rep `marcus` (whose open load is then 1) when `assigned`.
    static func lead(_ email: String, stage: String, assigned: Bool = false, config: PostgresConfig) async throws -> Int64 {
        let connection = try await Connection.connect(config)
        let id: Int64 = try await connection.withTransaction { connection in
            let id: Int64 = try connection.query("""
                INSERT INTO leads (email, email_domain, stage) VALUES ($1, split_part($1, '@', 2), $2) RETURNING id
                """, [email, stage])[0].decode(0)
            if assigned {
                try connection.query("""
                    INSERT INTO rule_sets (definition, checksum, created_by) SELECT '{}', 'test', 'test'
                    WHERE NOT EXISTS (SELECT 1 FROM rule_sets)
                    """)
                try connection.query("INSERT INTO reps (id) VALUES ('marcus') ON CONFLICT DO NOTHING")
                try connection.query("INSERT INTO rep_state (rep_id) VALUES ('marcus') ON CONFLICT DO NOTHING")
                try connection.query("""
                    INSERT INTO assignments (lead_id, rep_id, source, rule_id, rule_version, assigned_at)
                    SELECT $1, 'marcus', 'rep', 'territory-us', min(version), now() FROM rule_sets
                    """, [id])
                try connection.query("""
                    UPDATE rep_state SET open_load = (SELECT count(*) FROM assignments WHERE rep_id = 'marcus' AND ended_at IS NULL)
                    WHERE rep_id = 'marcus'
                    """)
            }
            return id
        }
        await connection.close()
        return id
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, key: String, _ body: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: uri, method: .post, headers: IntakeAPITests.headers(key), body: ByteBuffer(string: body)) { response in
            let json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return (response.status, json)
        }
    }

    static func query<T: PostgresDecodable & Sendable>(_ sql: String, _ parameters: [any PostgresEncodable] = [], config: PostgresConfig,
                                                       as type: T.Type = T.self) async throws -> [T] {
        let connection = try await Connection.connect(config)
        let values = try await connection.query(sql, parameters).map { try $0.decode(0, as: T.self) }
        await connection.close()
        return values
    }

    @Test func salesMovesALeadThroughTheFunnelToWonWithRevenue() async throws {
        try await IntakeAPITests.withAPI { client, setup in
            let id = try await Self.lead("ada@acme.io", stage: "mql", assigned: true, config: setup.config)
            let steps: [(String, String, String)] = [
                (#"{"outcome": "accepted", "rep": "marcus"}"#, "sal", "sales_accepted"),
                (#"{"outcome": "qualified", "rep": "marcus", "note": "budget confirmed"}"#, "sql", "sales_qualified"),
                (#"{"outcome": "opportunity"}"#, "opportunity", "opportunity_created"),
                (#"{"outcome": "won", "revenue": 48000.50, "rep": "marcus"}"#, "customer", "closed_won"),
            ]
            for (body, stage, reason) in steps {
                let (status, answer) = try await Self.post(client, "/v1/leads/\(id)/feedback", key: setup.feedbackKey, body)
                #expect(status == .ok, "\(body): \(answer)")
                #expect(answer["to"] as? String == stage)
                #expect(answer["reason"] as? String == reason)
            }
            let history: [String] = try await Self.query("""
                SELECT from_stage || '>' || to_stage || ' ' || actor || ' ' || reason || ' ' || changed_by
                FROM stage_history WHERE lead_id = $1 ORDER BY id
                """, [id], config: setup.config)
            #expect(history == [
                "mql>sal sales sales_accepted marcus",
                "sal>sql sales sales_qualified marcus",
                // No rep named: the API key's name says who.
                "sql>opportunity sales opportunity_created crm",
                "opportunity>customer sales closed_won marcus",
            ])
            let revenue: [String] = try await Self.query("SELECT revenue::text FROM lead_outcomes WHERE lead_id = $1 AND outcome = 'won'",
                                                         [id], config: setup.config)
            #expect(revenue == ["48000.50"])
            let notes: [String] = try await Self.query("SELECT note FROM lead_outcomes WHERE note IS NOT NULL", config: setup.config)
            #expect(notes == ["budget confirmed"])
            // A customer has left sales' queue: the assignment ended and the load went down.
            let ended: [String] = try await Self.query("SELECT end_reason FROM assignments WHERE lead_id = $1", [id], config: setup.config)
            #expect(ended == ["feedback_won"])
            #expect(try await Self.query("SELECT open_load FROM rep_state WHERE rep_id = 'marcus'", config: setup.config) == [0])
        }
    }

    @Test func anIllegalTransitionIs409AndChangesNothing() async throws {
        try await IntakeAPITests.withAPI { client, setup in
            let id = try await Self.lead("bob@acme.io", stage: "mql", assigned: true, config: setup.config)
            let (status, answer) = try await Self.post(client, "/v1/leads/\(id)/feedback", key: setup.feedbackKey,
                                                       #"{"outcome": "won", "revenue": 1000}"#)
            #expect(status == .conflict)
            let error = try #require(answer["error"] as? [String: Any])
            #expect(error["code"] as? String == "transition_not_allowed")
            let message = try #require(error["message"] as? String)
            #expect(message.contains("mql"), "\(message)")
            #expect(message.contains("possible: accepted, qualified"), "names what is allowed: \(message)")

            // lost is only for opportunities; recycled with a reason that only fits an opportunity.
            let (lost, _) = try await Self.post(client, "/v1/leads/\(id)/feedback", key: setup.feedbackKey, #"{"outcome": "lost", "reason": "price"}"#)
            #expect(lost == .conflict)
            let (recycled, _) = try await Self.post(client, "/v1/leads/\(id)/feedback", key: setup.feedbackKey,
                                                    #"{"outcome": "recycled", "reason": "closed_lost"}"#)
            #expect(recycled == .conflict)

            #expect(try await Self.query("SELECT stage FROM leads WHERE id = $1", [id], config: setup.config) == ["mql"])
            #expect(try await Self.query("SELECT count(*)::int FROM stage_history", config: setup.config) == [0])
            #expect(try await Self.query("SELECT count(*)::int FROM lead_outcomes", config: setup.config) == [0])
            #expect(try await Self.query("SELECT count(*)::int FROM assignments WHERE ended_at IS NULL", config: setup.config) == [1])
        }
    }

    @Test func badBodiesAre400WithEveryFieldUnknownLeadsAre404AndTheScopeIsChecked() async throws {
        try await IntakeAPITests.withAPI { client, setup in
            let id = try await Self.lead("cy@acme.io", stage: "mql", config: setup.config)
            let (status, answer) = try await Self.post(client, "/v1/leads/\(id)/feedback", key: setup.feedbackKey,
                                                       #"{"outcome": "won", "revenue": "lots", "colour": "blue"}"#)
            #expect(status == .badRequest)
            let problems = try #require((answer["error"] as? [String: Any])?["problems"] as? [[String: Any]])
            #expect(Set(problems.compactMap { $0["field"] as? String }) == ["revenue", "colour"], "\(problems)")

            let (unknown, _) = try await Self.post(client, "/v1/leads/\(id)/feedback", key: setup.feedbackKey, #"{"outcome": "promoted"}"#)
            #expect(unknown == .badRequest)
            let (noReason, noReasonAnswer) = try await Self.post(client, "/v1/leads/\(id)/feedback", key: setup.feedbackKey, #"{"outcome": "recycled"}"#)
            #expect(noReason == .badRequest)
            #expect("\(noReasonAnswer)".contains("not_ready"), "lists the reason codes")
            let (missing, _) = try await Self.post(client, "/v1/leads/999999/feedback", key: setup.feedbackKey, #"{"outcome": "accepted"}"#)
            #expect(missing == .notFound)
            let (wrongScope, _) = try await Self.post(client, "/v1/leads/\(id)/feedback", key: setup.ingestKey, #"{"outcome": "accepted"}"#)
            #expect(wrongScope == .forbidden)
            let (wrongScopeActivity, _) = try await Self.post(client, "/v1/leads/\(id)/activities", key: setup.ingestKey, #"{"type": "call"}"#)
            #expect(wrongScopeActivity == .forbidden)
            #expect(try await Self.query("SELECT stage FROM leads WHERE id = $1", [id], config: setup.config) == ["mql"])
        }
    }

    @Test func recyclingEndsTheAssignmentAndDisarmsTheMQLTrigger() async throws {
        try await IntakeAPITests.withAPI { client, setup in
            let id = try await Self.lead("dee@acme.io", stage: "sal", assigned: true, config: setup.config)
            let (status, answer) = try await Self.post(client, "/v1/leads/\(id)/feedback", key: setup.feedbackKey,
                                                       #"{"outcome": "recycled", "reason": "bad_timing", "rep": "marcus", "note": "next budget year"}"#)
            #expect(status == .ok, "\(answer)")
            #expect(answer["ended_assignment"] as? Int != nil)
            #expect(try await Self.query("SELECT stage || ' ' || mql_armed FROM leads WHERE id = $1", [id], config: setup.config)
                    == ["recycled false"], "back in nurture, qualifying again only after the score dips and rises")
            #expect(try await Self.query("SELECT end_reason FROM assignments WHERE lead_id = $1", [id], config: setup.config) == ["feedback_recycled"])
            #expect(try await Self.query("SELECT open_load FROM rep_state WHERE rep_id = 'marcus'", config: setup.config) == [0])
            #expect(try await Self.query("SELECT reason FROM stage_history WHERE lead_id = $1", [id], config: setup.config) == ["bad_timing"])
        }
    }

    @Test func aLoggedCallIsStoredAsASalesTouch() async throws {
        try await IntakeAPITests.withAPI { client, setup in
            let id = try await Self.lead("eve@acme.io", stage: "sal", config: setup.config)
            let (status, answer) = try await Self.post(client, "/v1/leads/\(id)/activities", key: setup.feedbackKey, """
                {"type": "call", "occurred_at": "2026-11-02T09:30:00Z", "rep": "marcus", "note": "left a voicemail", "outcome": "no_answer"}
                """)
            #expect(status == .created, "\(answer)")
            let activityID = try #require(answer["id"] as? Int)
            let stored: [String] = try await Self.query("""
                SELECT type || ' ' || source || ' ' || rep_id || ' ' || outcome || ' ' || content || ' ' ||
                       to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI')
                FROM activities WHERE id = $1 AND lead_id = $2
                """, [Int64(activityID), id], config: setup.config)
            #expect(stored == ["call sales marcus no_answer left a voicemail 2026-11-02T09:30"])

            let (now, _) = try await Self.post(client, "/v1/leads/\(id)/activities", key: setup.feedbackKey, #"{"type": "email"}"#)
            #expect(now == .created, "occurred_at defaults to now")
            let (bad, badAnswer) = try await Self.post(client, "/v1/leads/\(id)/activities", key: setup.feedbackKey,
                                                       #"{"type": "page_view", "occurred_at": "yesterday"}"#)
            #expect(bad == .badRequest)
            let fields = ((badAnswer["error"] as? [String: Any])?["problems"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["type", "occurred_at"])
            let (missing, _) = try await Self.post(client, "/v1/leads/999999/activities", key: setup.feedbackKey, #"{"type": "call"}"#)
            #expect(missing == .notFound)
            #expect(try await Self.query("SELECT count(*)::int FROM activities WHERE source = 'sales'", config: setup.config) == [2])
        }
    }
}
