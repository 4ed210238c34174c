import Foundation
import JobQueue
import LeadDomain
import LeadStore
import Logging
import Postgres
import TestSupport
import Testing
import Workers

/// The SLA clock against a real PostgreSQL. Time is pinned: each step runs real workers
/// whose handlers read a fixed "now", and a delayed job is made due by moving its run_at,
/// never by sleeping.
@Suite struct SLATests {
    /// Friday 2026-11-20, 16:00 in New York (21:00 UTC).
    static let friday = Date(timeIntervalSince1970: 1_795_208_400)
    /// Two business hours later in New York (09:00–17:00): Monday 2026-11-23, 10:00 (15:00 UTC).
    static let mondayDeadline = Date(timeIntervalSince1970: 1_795_446_000)
    /// Close of business of the third working day after Friday: Wednesday 2026-11-25, 17:00 (22:00 UTC).
    static let windowEnd = Date(timeIntervalSince1970: 1_795_644_000)

    static func rules(onBreach: String, recycle: Bool = true) throws -> RuleSet {
        let yaml = """
            version: "sla-tests"
            thresholds: { mql: 60, fit_cutoff: 30, interest_cutoff: 25 }
            calendars:
              new_york:
                time_zone: America/New_York
                working_days: [mon, tue, wed, thu, fri]
                hours: { opens: "09:00", closes: "17:00" }
              utc:
                time_zone: UTC
                working_days: [mon, tue, wed, thu, fri]
                hours: { opens: "00:00", closes: "24:00" }
            default_calendar: utc
            reps:
              - { id: ann, calendar: new_york, manager: boss }
              - { id: ben, calendar: new_york, manager: boss }
              - { id: boss, calendar: new_york }
              - { id: desk }
            teams:
              - id: inbound
                members:
                  - { rep: ann, weight: 1 }
                  - { rep: ben, weight: 1 }
            routing:
              - id: everyone
                assign: { team: inbound }
            default_owner: desk
            sla:
              first_touch_business_hours: 2
              working_window_business_days: 3
              minimum_calls: 2
              minimum_emails: 1
              on_breach: \(onBreach)
              recycle_when_window_ends: \(recycle)
            """
        return try RuleSet.load(yaml: yaml, file: "sla-tests.yaml")
    }

    struct Timeout: Error {}

    /// Runs a worker of `handler`'s kind until none of its jobs is ready.
    static func drain(_ handler: any JobHandler, config: PostgresConfig) async throws {
        let worker = JobWorker(handler: handler, database: config,
                               configuration: WorkerConfiguration(batchSize: 10, pollInterval: .milliseconds(20)),
                               logger: Logger(label: "sla-tests"))
        let connection = try await Connection.connect(config)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await worker.run() }
            let deadline = ContinuousClock.now + .seconds(60)
            while try await connection.query("SELECT count(*) FROM jobs WHERE kind = $1 AND run_at <= now()",
                                             [handler.kind])[0].decode(0, as: Int.self) > 0 {
                guard ContinuousClock.now < deadline else { throw Timeout() }
                try await Task.sleep(for: .milliseconds(10))
            }
            group.cancelAll()
        }
        #expect(try await connection.query("SELECT count(*) FROM dead_jobs")[0].decode(0, as: Int.self) == 0)
        await connection.close()
    }

    /// The delayed jobs of `kind` fall due now (in the database's time; the handlers' clock is pinned).
    static func makeDue(_ kind: String, on connection: Connection) async throws {
        try await connection.query("UPDATE jobs SET run_at = now() WHERE kind = $1", [kind])
    }

    /// Every open assignment's window-end check, due now, as the first-touch checks queue them.
    static func queueWindowEnds(on connection: Connection) async throws {
        try await connection.query("""
            INSERT INTO jobs (kind, key, payload)
            SELECT $1, id::text, jsonb_build_object('assignment_id', id) FROM assignments WHERE ended_at IS NULL
            """, [SLAJob.windowEndKind])
    }

    /// Hands one MQL lead off at `friday` and returns it with its assignment.
    static func assignedLead(onBreach: String, recycle: Bool = true, config: PostgresConfig,
                             on connection: Connection) async throws -> (lead: Int64, assignment: Int64) {
        try await HandoffTests.setUp(try rules(onBreach: onBreach, recycle: recycle), on: connection)
        let lead = try #require(try await HandoffTests.makeLeads(1, prefix: "sla", on: connection).first)
        try await HandoffTests.enqueueHandoffs([lead], on: connection)
        try await drain(HandoffJobHandler(clock: { friday }), config: config)
        let assignment: Int64 = try await connection.query("SELECT id FROM assignments WHERE lead_id = $1", [lead])[0].decode(0)
        return (lead, assignment)
    }

    static func logTouch(_ type: String, lead: Int64, at instant: Date, on connection: Connection) async throws {
        try await connection.query("INSERT INTO activities (lead_id, type, occurred_at, source) VALUES ($1, $2, $3, 'sales')",
                                   [lead, type, instant])
    }

    static func runAt(_ kind: String, key: Int64, on connection: Connection) async throws -> Date? {
        try await connection.query("SELECT run_at FROM jobs WHERE kind = $1 AND key = $2", [kind, JobRequest.key(forID: key)]).first?.decode(0)
    }

    static func breaches(on connection: Connection) async throws -> [(assignment: Int64, kind: String, action: String)] {
        try await connection.query("SELECT assignment_id, kind, action FROM sla_breaches ORDER BY id").map {
            (try $0.decode(0), try $0.decode(1), try $0.decode(2))
        }
    }

    @Test func deadlinesAreScheduledInBusinessHoursOfTheRepsCalendar() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let (_, assignment) = try await Self.assignedLead(onBreach: "notify_manager", config: config, on: connection)
            #expect(try await Self.runAt(SLAJob.firstTouchKind, key: assignment, on: connection) == Self.mondayDeadline)
            // The window-end check comes with the first-touch check, for an assignment it leaves open.
            #expect(try await Self.runAt(SLAJob.windowEndKind, key: assignment, on: connection) == nil)
            try await Self.makeDue(SLAJob.firstTouchKind, on: connection)
            try await Self.drain(SLAFirstTouchJobHandler(clock: { Self.mondayDeadline.addingTimeInterval(1) }), config: config)
            #expect(try await Self.runAt(SLAJob.windowEndKind, key: assignment, on: connection) == Self.windowEnd)
            let stored = try await connection.query("SELECT first_touch_due_at, window_ends_at FROM assignments WHERE id = $1", [assignment])[0]
            #expect(try stored.decode(0, as: Date.self) == Self.mondayDeadline)
            #expect(try stored.decode(1, as: Date.self) == Self.windowEnd)
            await connection.close()
        }
    }

    @Test func aMissedFirstTouchIsRecordedAndTheManagerIsNotified() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let (lead, assignment) = try await Self.assignedLead(onBreach: "notify_manager", config: config, on: connection)
            // A touch before the assignment does not count.
            try await Self.logTouch("call", lead: lead, at: Self.friday.addingTimeInterval(-60), on: connection)
            let bossChannel = HandoffChannel.rep("boss")
            let heard = try await Listener.listen(config, channels: [SLAChannel.breaches, bossChannel]) { events in
                var iterator = events.makeAsyncIterator()
                while let event = await iterator.next() {
                    if case .listening = event { break }
                }
                try await Self.makeDue(SLAJob.firstTouchKind, on: connection)
                try await Self.drain(SLAFirstTouchJobHandler(clock: { Self.mondayDeadline.addingTimeInterval(1) }), config: config)
                var heard: [String: [SLAChannel.Entry]] = [:]
                let deadline = ContinuousClock.now + .seconds(10)
                while heard.count < 2, ContinuousClock.now < deadline {
                    guard case .notification(let channel, let payload)? = await iterator.next() else { continue }
                    heard[channel, default: []] += try #require(SLAChannel.entries(in: payload), "payload \(payload)")
                }
                return heard
            }
            for channel in [SLAChannel.breaches, bossChannel] {
                let entries = heard[channel] ?? []
                #expect(entries.count == 1, "one breach on \(channel)")
                #expect(entries.first?.assignmentID == assignment)
                #expect(entries.first?.repID == "ann")
                #expect(entries.first?.managerID == "boss")
                #expect(entries.first?.kind == "first_touch")
                #expect(entries.first?.deadline == Self.mondayDeadline)
            }
            #expect(try await Self.breaches(on: connection).map { "\($0.assignment) \($0.kind) \($0.action)" }
                    == ["\(assignment) first_touch notify_manager"])
            // Notifying leaves the lead with its rep.
            #expect(try await connection.query("SELECT ended_at IS NULL FROM assignments WHERE id = $1", [assignment])[0].decode(0, as: Bool.self))
            await connection.close()
        }
    }

    @Test func aBreachUnderReassignGivesTheLeadToTheNextRepOnceAndRestartsTheClock() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let (lead, first) = try await Self.assignedLead(onBreach: "reassign_next_rep", config: config, on: connection)
            let breachedAt = Self.mondayDeadline.addingTimeInterval(30 * 60)
            try await Self.makeDue(SLAJob.firstTouchKind, on: connection)
            try await Self.drain(SLAFirstTouchJobHandler(clock: { breachedAt }), config: config)
            try await Self.drain(HandoffJobHandler(clock: { breachedAt }), config: config)
            // The breach ended the first assignment, so its check queued no window end.
            #expect(try await Self.runAt(SLAJob.windowEndKind, key: first, on: connection) == nil)

            let rows = try await connection.query("""
                SELECT id, rep_id, end_reason, previous_id FROM assignments WHERE lead_id = $1 ORDER BY id
                """, [lead]).map { "\(try $0.decode(1, as: String.self)) \(try $0.decode(2, as: String?.self) ?? "open")" }
            #expect(rows == ["ann sla_breach", "ben open"])
            let second: Int64 = try await connection.query("SELECT id FROM assignments WHERE lead_id = $1 AND ended_at IS NULL", [lead])[0].decode(0)
            #expect(try await connection.query("SELECT previous_id FROM assignments WHERE id = $1", [second])[0].decode(0, as: Int64?.self) == first)
            // Monday 10:30 in New York plus two business hours.
            #expect(try await Self.runAt(SLAJob.firstTouchKind, key: second, on: connection) == breachedAt.addingTimeInterval(2 * 3600))
            #expect(try await Self.breaches(on: connection).map { "\($0.assignment) \($0.action)" } == ["\(first) reassign_next_rep"])
            try await HandoffTests.expectLoadsMatch(on: connection)

            // The old assignment's check again, and its window end: both stale, both do nothing.
            try await connection.withTransaction { connection in
                _ = try connection.enqueue([JobRequest(kind: SLAJob.firstTouchKind, key: String(first), payload: #"{"assignment_id": \#(first)}"#),
                                            JobRequest(kind: SLAJob.windowEndKind, key: String(first), payload: #"{"assignment_id": \#(first)}"#)])
            }
            // The new assignment's own first-touch check has not run, so it has no window end yet.
            #expect(try await Self.runAt(SLAJob.windowEndKind, key: second, on: connection) == nil)
            // The new assignment's own checks are not due yet.
            try await connection.query("UPDATE jobs SET run_at = now() + interval '1 hour' WHERE kind LIKE 'sla_%' AND key = $1",
                                       [JobRequest.key(forID: second)])
            try await Self.drain(SLAFirstTouchJobHandler(clock: { breachedAt.addingTimeInterval(60) }), config: config)
            try await Self.drain(SLAWindowEndJobHandler(clock: { Self.windowEnd.addingTimeInterval(60) }), config: config)
            #expect(try await connection.query("SELECT count(*) FROM sla_breaches")[0].decode(0, as: Int.self) == 1, "escalated exactly once")
            #expect(try await connection.query("SELECT count(*) FROM assignments WHERE lead_id = $1", [lead])[0].decode(0, as: Int.self) == 2)
            #expect(try await connection.query("SELECT stage FROM leads WHERE id = $1", [lead])[0].decode(0, as: String.self) == "mql")
            await connection.close()
        }
    }

    @Test func aLeadIsNeverReassignedToARepWhoBreachedItsSLA() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let (lead, _) = try await Self.assignedLead(onBreach: "reassign_next_rep", config: config, on: connection)
            // ann breaches, the lead goes to ben; ben breaches too. Round robin alone would
            // give it back to ann; both are passed over, and the default owner takes it.
            var breachedAt = Self.mondayDeadline.addingTimeInterval(30 * 60)
            for _ in 0..<2 {
                let at = breachedAt
                try await Self.makeDue(SLAJob.firstTouchKind, on: connection)
                try await Self.drain(SLAFirstTouchJobHandler(clock: { at }), config: config)
                try await Self.drain(HandoffJobHandler(clock: { at }), config: config)
                breachedAt = breachedAt.addingTimeInterval(3 * 3600)
            }
            let rows = try await connection.query("""
                SELECT rep_id, COALESCE(end_reason, 'open'), skipped::text FROM assignments WHERE lead_id = $1 ORDER BY id
                """, [lead]).map { "\(try $0.decode(0, as: String.self)) \(try $0.decode(1, as: String.self))" }
            #expect(rows == ["ann sla_breach", "ben sla_breach", "desk open"])
            let skipped: String = try await connection.query("""
                SELECT skipped::text FROM assignments WHERE lead_id = $1 AND ended_at IS NULL
                """, [lead])[0].decode(0)
            #expect(skipped.contains(#""rep": "ann""#) && skipped.contains(#""rep": "ben""#) && skipped.contains(#""reason": "excluded""#))
            try await HandoffTests.expectLoadsMatch(on: connection)
            await connection.close()
        }
    }

    @Test func aRepWhoBreachedDoesNotGetTheLeadBackWhenTheNextRepIsDeactivated() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let (lead, _) = try await Self.assignedLead(onBreach: "reassign_next_rep", config: config, on: connection)
            let breachedAt = Self.mondayDeadline.addingTimeInterval(30 * 60)
            try await Self.makeDue(SLAJob.firstTouchKind, on: connection)
            try await Self.drain(SLAFirstTouchJobHandler(clock: { breachedAt }), config: config)
            try await Self.drain(HandoffJobHandler(clock: { breachedAt }), config: config)
            // ann breached, ben has the lead; ben leaves, and round robin alone would pick ann.
            _ = try await connection.withTransaction { try HandoffReassignment.deactivate(rep: "ben", at: breachedAt, on: $0) }
            try await Self.drain(HandoffJobHandler(clock: { breachedAt }), config: config)
            let rows = try await connection.query("""
                SELECT rep_id, COALESCE(end_reason, 'open') FROM assignments WHERE lead_id = $1 ORDER BY id
                """, [lead]).map { "\(try $0.decode(0, as: String.self)) \(try $0.decode(1, as: String.self))" }
            #expect(rows == ["ann sla_breach", "ben rep_deactivated", "desk open"])
            try await HandoffTests.expectLoadsMatch(on: connection)
            await connection.close()
        }
    }

    @Test func aTouchBeforeTheDeadlineCancelsTheBreach() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let (lead, assignment) = try await Self.assignedLead(onBreach: "reassign_next_rep", config: config, on: connection)
            try await Self.logTouch("email", lead: lead, at: Self.mondayDeadline.addingTimeInterval(-600), on: connection)
            try await Self.makeDue(SLAJob.firstTouchKind, on: connection)
            try await Self.drain(SLAFirstTouchJobHandler(clock: { Self.mondayDeadline.addingTimeInterval(3600) }), config: config)
            #expect(try await Self.breaches(on: connection).isEmpty)
            #expect(try await connection.query("SELECT ended_at IS NULL FROM assignments WHERE id = $1", [assignment])[0].decode(0, as: Bool.self))
            #expect(try await connection.query("SELECT count(*) FROM jobs WHERE kind = 'handoff'")[0].decode(0, as: Int.self) == 0)
            await connection.close()
        }
    }

    @Test func theWindowEndFlagsTooFewContactsAndRecyclesTheLeadOnce() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let (lead, assignment) = try await Self.assignedLead(onBreach: "notify_manager", config: config, on: connection)
            // A second lead that sales qualified: flagged or not, it stays with its rep.
            let qualified = try #require(try await HandoffTests.makeLeads(1, prefix: "won", on: connection).first)
            try await HandoffTests.enqueueHandoffs([qualified], on: connection)
            try await Self.drain(HandoffJobHandler(clock: { Self.friday }), config: config)
            try await connection.query("UPDATE leads SET stage = 'sql' WHERE id = $1", [qualified])
            try await Self.logTouch("call", lead: lead, at: Self.mondayDeadline.addingTimeInterval(-3600), on: connection)
            try await Self.logTouch("meeting", lead: lead, at: Self.mondayDeadline, on: connection)
            // After the window: not counted.
            try await Self.logTouch("email", lead: lead, at: Self.windowEnd.addingTimeInterval(60), on: connection)

            let closing = Self.windowEnd.addingTimeInterval(120)
            try await Self.queueWindowEnds(on: connection)
            try await Self.drain(SLAWindowEndJobHandler(clock: { closing }), config: config)
            // Once more: the assignment is ended, so nothing happens twice.
            try await connection.withTransaction { connection in
                _ = try connection.enqueue([JobRequest(kind: SLAJob.windowEndKind, key: JobRequest.key(forID: assignment), payload: #"{"assignment_id": \#(assignment)}"#)])
            }
            try await Self.drain(SLAWindowEndJobHandler(clock: { closing.addingTimeInterval(60) }), config: config)

            let flagged = try await connection.query("""
                SELECT assignment_id, kind, action, calls, emails, minimum_calls, minimum_emails, deadline FROM sla_breaches
                WHERE lead_id = $1
                """, [lead])
            #expect(flagged.count == 1)
            #expect(try flagged.first?.decode(0, as: Int64.self) == assignment)
            #expect(try flagged.first?.decode(1, as: String.self) == "too_few_contacts")
            #expect(try flagged.first?.decode(2, as: String.self) == "notify_manager")
            #expect(try flagged.first.map { [try $0.decode(3, as: Int.self), try $0.decode(4, as: Int.self), try $0.decode(5, as: Int.self),
                                              try $0.decode(6, as: Int.self)] } == [1, 0, 2, 1])
            #expect(try flagged.first?.decode(7, as: Date.self) == Self.windowEnd)

            let state = try await connection.query("SELECT stage, mql_armed, stage_entered_at FROM leads WHERE id = $1", [lead])[0]
            #expect(try state.decode(0, as: String.self) == "recycled")
            #expect(try state.decode(1, as: Bool.self) == false)
            #expect(try state.decode(2, as: Date.self) == closing)
            let history = try await connection.query("""
                SELECT from_stage, to_stage, actor, reason, rule_version IS NOT NULL FROM stage_history WHERE lead_id = $1
                """, [lead]).map {
                    "\(try $0.decode(0, as: String.self)) \(try $0.decode(1, as: String.self)) \(try $0.decode(2, as: String.self)) \(try $0.decode(3, as: String.self)) \(try $0.decode(4, as: Bool.self))"
                }
            #expect(history == ["mql recycled system sla_window_expired true"], "recycled exactly once")
            #expect(try await connection.query("SELECT end_reason FROM assignments WHERE id = $1", [assignment])[0].decode(0, as: String?.self) == "recycled")

            #expect(try await connection.query("SELECT stage FROM leads WHERE id = $1", [qualified])[0].decode(0, as: String.self) == "sql")
            #expect(try await connection.query("SELECT count(*) FROM assignments WHERE lead_id = $1 AND ended_at IS NULL",
                                               [qualified])[0].decode(0, as: Int.self) == 1)
            #expect(try await connection.query("SELECT count(*) FROM stage_history WHERE lead_id = $1", [qualified])[0].decode(0, as: Int.self) == 0)
            try await HandoffTests.expectLoadsMatch(on: connection)
            await connection.close()
        }
    }

    @Test func withoutRecyclingTheWindowEndOnlyFlags() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let (lead, assignment) = try await Self.assignedLead(onBreach: "reassign_next_rep", recycle: false, config: config, on: connection)
            try await Self.queueWindowEnds(on: connection)
            try await Self.drain(SLAWindowEndJobHandler(clock: { Self.windowEnd }), config: config)
            #expect(try await Self.breaches(on: connection).map { "\($0.assignment) \($0.kind) \($0.action)" }
                    == ["\(assignment) too_few_contacts flagged"])
            #expect(try await connection.query("SELECT stage FROM leads WHERE id = $1", [lead])[0].decode(0, as: String.self) == "mql")
            #expect(try await connection.query("SELECT ended_at IS NULL FROM assignments WHERE id = $1", [assignment])[0].decode(0, as: Bool.self))
            await connection.close()
        }
    }
}
