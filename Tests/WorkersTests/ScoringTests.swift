import Foundation
import JobQueue
import LeadDomain
import LeadStore
import Logging
import Postgres
import TestSupport
import Testing
import Workers

/// The scoring step end to end: records go through the inbox and the ingest worker, the
/// score jobs it queues go to real scoring workers, and the test reads what they stored.
@Suite struct ScoringTests {
    /// Every activity below happened before this instant, and the workers score at it, so
    /// that a from-scratch recompute in the test gives the same numbers.
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18
    static func daysAgo(_ days: Double) -> String {
        ISO8601DateFormatter().string(from: now.addingTimeInterval(-days * 86_400))
    }

    static func rules(mql: Int? = nil, pricingPoints: Int? = nil) throws -> RuleSet {
        let file = TestDatabase.repositoryRoot.appendingPathComponent("examples/rules.yaml")
        var yaml = try String(contentsOf: file, encoding: .utf8)
        if let mql { yaml = yaml.replacingOccurrences(of: "  mql: 60 ", with: "  mql: \(mql) ") }
        if let pricingPoints {
            yaml = yaml.replacingOccurrences(of: "url_contains: [/pricing]\n    points: 12", with: "url_contains: [/pricing]\n    points: \(pricingPoints)")
        }
        return try RuleSet.load(yaml: yaml, file: "rules.yaml")
    }

    /// Stores and activates `rules`; with `rescore`, queues the rescoring of every open lead
    /// in the same transaction, as `leadrelay rules apply` does.
    @discardableResult
    static func activate(_ rules: RuleSet, on connection: Connection, rescore: Bool = false) async throws -> Int {
        let json = String(decoding: rules.encodeJSON(), as: UTF8.self)
        return try await connection.withTransaction { connection in
            let (version, _) = try connection.applyRuleSet(json: json, createdBy: "scoring-tests", comment: nil, sourceFile: nil)
            if rescore { try RescoreJob.enqueueAll(on: connection) }
            return version
        }
    }

    static func write(_ records: [InboxRecord], on connection: Connection) async throws {
        _ = try await connection.withTransaction { try $0.writeInbox(records, source: "api") }
    }

    static func lead(_ email: String, title: String = "VP Analytics", industry: String = "Software", employees: Int = 800) -> InboxRecord {
        InboxRecord(type: .lead, payload: #"{"email": "\#(email)", "title": "\#(title)", "industry": "\#(industry)", "employees": "\#(employees)", "country": "US"}"#)
    }

    static func activity(_ email: String, _ type: String, url: String? = nil, content: String? = nil, daysAgo days: Double) -> InboxRecord {
        var fields = [#""email": "\#(email)""#, #""type": "\#(type)""#, #""occurred_at": "\#(daysAgo(days))""#]
        if let url { fields.append(#""url": "\#(url)""#) }
        if let content { fields.append(#""content": "\#(content)""#) }
        return InboxRecord(type: .activity, payload: "{" + fields.joined(separator: ", ") + "}")
    }

    /// Runs an ingest worker and `scorers` scoring workers (plus a rescore worker) until the
    /// inbox is processed and no ingest, score or rescore job is left, or `during` and
    /// then that is true.
    static func runPipeline(config: PostgresConfig, scorers: Int = 1, during: (@Sendable () async throws -> Void)? = nil) async throws {
        let scoring = LeadScoring(clock: { now })
        let fast = WorkerConfiguration(batchSize: 25, pollInterval: .milliseconds(50))
        let logger = Logger(label: "scoring-tests")
        var workers = [JobWorker(handler: IngestJobHandler(freeMailDomains: ["gmail.com"]), database: config, configuration: fast, logger: logger)]
        workers += (0..<scorers).map { _ in JobWorker(handler: ScoreJobHandler(scoring: scoring), database: config, configuration: fast, logger: logger) }
        workers.append(JobWorker(handler: RescoreJobHandler(scoring: scoring), database: config, configuration: fast, logger: logger))
        let connection = try await Connection.connect(config)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in workers { group.addTask { try await worker.run() } }
            if let during { try await during() }
            let deadline = ContinuousClock.now + .seconds(60)
            while try await connection.query("""
                SELECT (SELECT count(*) FROM jobs WHERE kind IN ('ingest', 'score', 'rescore'))
                     + (SELECT count(*) FROM inbox WHERE ingested_at IS NULL)
                """)[0].decode(0, as: Int.self) > 0 {
                guard ContinuousClock.now < deadline else { throw PipelineTimeout() }
                try await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
        await connection.close()
    }

    struct PipelineTimeout: Error {}

    struct Stored {
        let fit: Int, interest: Int, stage: String, ruleVersion: Int
    }

    static func stored(_ email: String, on connection: Connection) async throws -> Stored {
        let row = try await connection.query("SELECT fit_score, interest_score, stage, rule_version FROM leads WHERE email = $1", [email])[0]
        return Stored(fit: try row.decode(0), interest: try row.decode(1), stage: try row.decode(2), ruleVersion: try row.decode(3))
    }

    static func stageChanges(_ email: String, on connection: Connection) async throws -> [(from: String, to: String, actor: String, reason: String, version: Int?)] {
        try await connection.query("""
            SELECT h.from_stage, h.to_stage, h.actor, h.reason, h.rule_version FROM stage_history h JOIN leads l ON l.id = h.lead_id
            WHERE l.email = $1 ORDER BY h.id
            """, [email]).map { (try $0.decode(0), try $0.decode(1), try $0.decode(2), try $0.decode(3), try $0.decode(4)) }
    }

    /// The score from scratch: the lead and every stored activity, through LeadDomain.
    static func recompute(_ email: String, with rules: RuleSet, on connection: Connection) async throws -> Score {
        let id: Int64 = try await connection.query("SELECT id FROM leads WHERE email = $1", [email])[0].decode(0)
        let stored = try await connection.withTransaction { try $0.leadsForScoring(ids: [id]) }[0]
        let lead = Lead(email: stored.email, emailDomain: stored.emailDomain, isFreeMail: stored.isFreeMail, title: stored.title,
                        seniority: stored.seniority, department: stored.department,
                        company: Company(industry: stored.industry, employeeCount: stored.employees,
                                         annualRevenue: stored.annualRevenue, country: stored.country))
        let activities = stored.activities.compactMap { activity in
            ActivityType(rawValue: activity.type).map { Activity(type: $0, url: activity.url, content: activity.content, occurredAt: activity.occurredAt) }
        }
        return Scorer(rules: rules).score(lead: lead, activities: activities, now: now)
    }

    @Test func crossingTheThresholdMakesAnMQLExactlyOnce() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let version = try await Self.activate(try Self.rules(), on: connection)
            let ada = "ada@datacorp.io"
            try await Self.write([Self.lead(ada, title: "Data Analyst", industry: "Manufacturing", employees: 40),
                                  Self.activity(ada, "webinar_registered", daysAgo: 10)], on: connection)
            try await Self.runPipeline(config: config)
            let first = try await Self.stored(ada, on: connection)
            #expect(first.stage == "lead")
            #expect(first.fit + first.interest < 60, "fit \(first.fit) + interest \(first.interest)")

            // Interest arrives in three separate deliveries; the second crosses the threshold.
            try await Self.write([Self.activity(ada, "page_view", url: "/pricing", daysAgo: 3),
                                  Self.activity(ada, "page_view", url: "/pricing/enterprise", daysAgo: 2),
                                  Self.activity(ada, "webinar_attended", content: "Scoring 101", daysAgo: 3),
                                  Self.activity(ada, "contact_form", daysAgo: 2)], on: connection)
            try await Self.runPipeline(config: config)
            try await Self.write([Self.activity(ada, "content_download", content: "case-study-acme.pdf", daysAgo: 1)], on: connection)
            try await Self.runPipeline(config: config)

            let final = try await Self.stored(ada, on: connection)
            #expect(final.stage == "mql")
            #expect(final.fit + final.interest >= 60)
            #expect(final.ruleVersion == version)
            let changes = try await Self.stageChanges(ada, on: connection)
            #expect(changes.count == 1)
            #expect(changes.first?.from == "lead" && changes.first?.to == "mql")
            #expect(changes.first?.actor == "system" && changes.first?.reason == "score_threshold")
            #expect(changes.first?.version == version)
            #expect(try await connection.query("SELECT count(*) FROM jobs WHERE kind = 'handoff'")[0].decode(0) == 1,
                    "one handoff for the lead that became sales-ready")
            let history: Int = try await connection.query("""
                SELECT count(*) FROM score_history h JOIN leads l ON l.id = h.lead_id WHERE l.email = $1
                """, [ada])[0].decode(0)
            #expect(history == 3, "one row per changed score")
            await connection.close()
        }
    }

    @Test func aDemoRequestFastTracksToSAL() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            try await Self.activate(try Self.rules(), on: connection)
            let bob = "bob@tinyshop.example"
            try await Self.write([Self.lead(bob, title: "Office Manager", industry: "Retail", employees: 5),
                                  Self.activity(bob, "demo_request", daysAgo: 0.5)], on: connection)
            try await Self.runPipeline(config: config)
            #expect(try await Self.stored(bob, on: connection).stage == "sal")
            let changes = try await Self.stageChanges(bob, on: connection)
            #expect(changes.map(\.to) == ["sal"])
            #expect(changes.first?.reason == "fast_track")
            let handoff: String = try await connection.query("SELECT payload->>'stage' FROM jobs WHERE kind = 'handoff'")[0].decode(0)
            #expect(handoff == "sal")
            await connection.close()
        }
    }

    @Test func aCareersPageVisitLowersInterest() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            try await Self.activate(try Self.rules(), on: connection)
            let cy = "cy@datacorp.io"
            try await Self.write([Self.lead(cy), Self.activity(cy, "webinar_attended", daysAgo: 2)], on: connection)
            try await Self.runPipeline(config: config)
            let before = try await Self.stored(cy, on: connection).interest
            try await Self.write([Self.activity(cy, "page_view", url: "/careers/open-roles", daysAgo: 1)], on: connection)
            try await Self.runPipeline(config: config)
            let after = try await Self.stored(cy, on: connection).interest
            #expect(after < before)
            let breakdown: String = try await connection.query("""
                SELECT e->>'points' FROM leads, jsonb_array_elements(score_breakdown->'interest') e
                WHERE email = $1 AND e->>'rule' = 'behaviour.careers_page_view'
                """, [cy])[0].decode(0)
            #expect(Int(breakdown)! < 0)
            await connection.close()
        }
    }

    /// Activities keep arriving for the same leads while several workers score them. In
    /// the end every activity counts: each stored score equals a recompute from scratch.
    @Test func concurrentScoringLosesNoActivity() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let rules = try Self.rules()
            try await Self.activate(rules, on: connection)
            let emails = (0..<12).map { "person\($0)@datacorp.io" }
            try await Self.write(emails.map { Self.lead($0) }, on: connection)
            let kinds: [(String, String?, String?)] = [
                ("page_view", "/pricing", nil), ("page_view", "/blog/post", nil), ("email_click", nil, nil),
                ("content_download", nil, "case-study.pdf"), ("page_view", "/careers", nil), ("webinar_registered", nil, nil),
            ]
            let feed = config
            try await Self.runPipeline(config: config, scorers: 3) {
                let writer = try await Connection.connect(feed)
                for round in 0..<30 {
                    let records = emails.enumerated().map { index, email in
                        let (type, url, content) = kinds[(index + round) % kinds.count]
                        return Self.activity(email, type, url: url, content: content, daysAgo: Double(40 - round) + Double(index) / 100)
                    }
                    try await Self.write(records, on: writer)
                    try await Task.sleep(for: .milliseconds(15))
                }
                await writer.close()
            }
            #expect(try await connection.query("SELECT count(*) FROM activities")[0].decode(0) == 12 * 30)
            #expect(try await connection.query("SELECT count(*) FROM dead_jobs")[0].decode(0) == 0)
            for email in emails {
                let stored = try await Self.stored(email, on: connection)
                let expected = try await Self.recompute(email, with: rules, on: connection)
                #expect(stored.fit == expected.fit && stored.interest == expected.interest,
                        "\(email): stored \(stored.fit)/\(stored.interest), recomputed \(expected.fit)/\(expected.interest)")
            }
            await connection.close()
        }
    }

    @Test func aNewRuleVersionRescoresEveryOpenLead() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let first = try await Self.activate(try Self.rules(), on: connection)
            let emails = (0..<40).map { "reader\($0)@datacorp.io" }
            try await Self.write(emails.flatMap { [Self.lead($0), Self.activity($0, "page_view", url: "/pricing", daysAgo: 2)] }, on: connection)
            try await Self.runPipeline(config: config)
            let before = try await Self.stored(emails[0], on: connection)
            #expect(before.ruleVersion == first)
            // A won customer is closed: rescoring leaves it alone.
            try await connection.query("UPDATE leads SET stage = 'customer' WHERE email = $1", [emails[39]])

            let richer = try Self.rules(pricingPoints: 20)
            let second = try await Self.activate(richer, on: connection, rescore: true)
            #expect(second == first + 1)
            #expect(try await connection.query("SELECT count(*) FROM jobs WHERE kind = 'rescore'")[0].decode(0, as: Int.self) >= 1)
            try await Self.runPipeline(config: config)
            for email in emails.dropLast() {
                let after = try await Self.stored(email, on: connection)
                #expect(after.ruleVersion == second, "\(email)")
                #expect(after.interest > before.interest, "\(email)")
                #expect(after.interest == (try await Self.recompute(email, with: richer, on: connection)).interest)
            }
            #expect(try await Self.stored(emails[39], on: connection).ruleVersion == first)
            await connection.close()
        }
    }

    @Test func scoringNeverPullsASalesStageBackToMQL() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            try await Self.activate(try Self.rules(), on: connection)
            let (dee, eve) = ("dee@datacorp.io", "eve@datacorp.io")
            try await Self.write([Self.lead(dee), Self.lead(eve)], on: connection)
            try await Self.runPipeline(config: config)
            try await connection.query("UPDATE leads SET stage = 'sql' WHERE email = $1", [dee])
            try await connection.query("UPDATE leads SET stage = 'opportunity' WHERE email = $1", [eve])
            // Their fit alone may have made them MQLs on the way; only what follows counts.
            try await connection.query("DELETE FROM stage_history")
            try await connection.query("DELETE FROM jobs WHERE kind = 'handoff'")
            // Enough interest to make an MQL, and a demo request that would fast-track.
            try await Self.write([dee, eve].flatMap { email in
                [Self.activity(email, "webinar_attended", daysAgo: 1), Self.activity(email, "page_view", url: "/pricing", daysAgo: 1),
                 Self.activity(email, "contact_form", daysAgo: 1), Self.activity(email, "demo_request", daysAgo: 0.5)]
            }, on: connection)
            try await Self.runPipeline(config: config)
            #expect(try await Self.stored(dee, on: connection).stage == "sql")
            #expect(try await Self.stored(eve, on: connection).stage == "opportunity")
            #expect(try await Self.stored(dee, on: connection).interest > 0, "the score itself is still kept current")
            #expect(try await connection.query("SELECT count(*) FROM stage_history")[0].decode(0) == 0)
            #expect(try await connection.query("SELECT count(*) FROM jobs WHERE kind = 'handoff'")[0].decode(0) == 0)
            await connection.close()
        }
    }

    /// The decay pass takes only the leads whose review time has come, and the rescore
    /// sets a new one.
    @Test func theDecayPassRescoresOnlyTheLeadsThatAreDue() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            try await Self.activate(try Self.rules(), on: connection)
            let emails = ["fay@datacorp.io", "gus@datacorp.io"]
            // Interest above the cut-off (three webinars, 36 points), so decay will matter.
            try await Self.write(emails.flatMap { email in
                [Self.lead(email)] + [1.0, 2, 3].map { Self.activity(email, "webinar_attended", daysAgo: $0) }
            }, on: connection)
            try await Self.runPipeline(config: config)
            let review: Date? = try await connection.query("SELECT rescore_at FROM leads WHERE email = $1", [emails[0]])[0].decode(0)
            #expect(review.map { $0 > Self.now } == true, "a decaying score gets a review time after its scoring")
            try await connection.query("UPDATE leads SET rescore_at = now() - interval '1 minute', scored_at = NULL WHERE email = $1", [emails[0]])
            // Scoring ran on the test's fixed clock and the pass reads the server's: a review
            // time set from the fixed clock has come long since, so the other lead's is set ahead.
            try await connection.query("UPDATE leads SET rescore_at = now() + interval '1 day' WHERE email = $1", [emails[1]])

            try await connection.withTransaction { connection in
                try DecayJobHandler().handle([], on: connection)
            }
            let queued: [String] = try await connection.query("SELECT key FROM jobs WHERE kind = 'score'").map { try $0.decode(0) }
            let fayID: Int64 = try await connection.query("SELECT id FROM leads WHERE email = $1", [emails[0]])[0].decode(0)
            #expect(queued == [JobRequest.key(forID: fayID)])
            let next: Date = try await connection.query("SELECT run_at FROM jobs WHERE kind = 'decay'")[0].decode(0)
            #expect(next > Date(), "the next pass is scheduled, not run in a loop")
            try await Self.runPipeline(config: config)
            let rescored: Date? = try await connection.query("SELECT scored_at FROM leads WHERE email = $1", [emails[0]])[0].decode(0)
            #expect(rescored != nil)
            await connection.close()
        }
    }
}
