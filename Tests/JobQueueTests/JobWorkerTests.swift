import Foundation
import JobQueue
import Logging
import Prometheus
import Postgres
import TestSupport
import Testing

@Suite struct JobWorkerTests {
    @Test func fourWorkersDrainOneHundredThousandJobsExactlyOnce() async throws {
        try await QueueFixture.run { fixture in
            let total = 100_000
            for start in stride(from: 0, to: total, by: 10_000) {
                let batch = (start..<start + 10_000).map { JobRequest(kind: "effects", payload: "{\"n\": \($0)}") }
                #expect(try await fixture.enqueue(batch).inserted == 10_000)
            }
            let workers = (0..<4).map { _ in
                JobWorker(handler: recordEffects, database: fixture.config, logger: QueueFixture.logger)
            }
            try await fixture.runWorkers(workers) {
                try await fixture.count("SELECT count(*) FROM jobs") == 0
            }
            #expect(try await fixture.count("SELECT count(*) FROM effects") == total)
            #expect(try await fixture.count("SELECT count(DISTINCT job_id) FROM effects") == total)
            #expect(try await fixture.count("SELECT count(DISTINCT payload::jsonb->>'n') FROM effects") == total)
        }
    }

    @Test func aFailingJobEndsInTheDeadLettersWithItsErrorsWhileItsBatchMatesSucceed() async throws {
        struct Poisoned: Error, CustomStringConvertible { var description: String { "poisoned payload" } }
        try await QueueFixture.run { fixture in
            let handler = ClosureJobHandler(kind: "effects") { jobs, connection in
                if jobs.contains(where: { $0.payload.contains("poison") }) { throw Poisoned() }
                try recordEffects.handle(jobs, on: connection)
            }
            var requests = (0..<9).map { JobRequest(kind: "effects", payload: "{\"n\": \($0)}") }
            requests.insert(JobRequest(kind: "effects", key: "bad", payload: "{\"poison\": true}"), at: 4)
            try await fixture.enqueue(requests)
            let configuration = WorkerConfiguration(
                pollInterval: .milliseconds(50),
                retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100))
            )
            let worker = JobWorker(handler: handler, database: fixture.config, configuration: configuration, logger: QueueFixture.logger)
            try await fixture.runWorkers([worker], timeout: .seconds(30)) {
                try await fixture.count("SELECT count(*) FROM dead_jobs") == 1
            }
            #expect(try await fixture.count("SELECT count(*) FROM effects") == 9)
            #expect(try await fixture.count("SELECT count(*) FROM jobs") == 0)
            let connection = try await fixture.connect()
            let dead = try await connection.query("SELECT kind, key, payload::text, attempts, errors::text FROM dead_jobs")[0]
            #expect(try dead.decode(0) == "effects")
            #expect(try dead.decode(1) == "bad")
            #expect(try dead.decode(2, as: String.self).contains("poison"))
            #expect(try dead.decode(3) == 3)
            let errors = try dead.decode(4, as: JSONValue<[[String: String]]>.self).value
            #expect(errors.count == 3)
            #expect(errors.allSatisfy { $0["error"] == "poisoned payload" && $0["at"] != nil })
            await connection.close()
        }
    }

    @Test func aDelayedJobRunsAtItsRunAtAndNotBefore() async throws {
        try await QueueFixture.run { fixture in
            let connection = try await fixture.connect()
            let now: Date = try await connection.query("SELECT clock_timestamp()")[0].decode(0)
            let runAt = now.addingTimeInterval(1.5)
            try await connection.withTransaction { try $0.enqueue([JobRequest(kind: "effects", runAt: runAt)]) }
            let worker = JobWorker(handler: recordEffects, database: fixture.config, logger: QueueFixture.logger)
            try await fixture.runWorkers([worker], timeout: .seconds(10)) {
                try await fixture.count("SELECT count(*) FROM effects") == 1
            }
            let ranAt: Date = try await connection.query("SELECT at FROM effects")[0].decode(0)
            let lateness = ranAt.timeIntervalSince(runAt)
            #expect(lateness >= 0)
            #expect(lateness < 0.1)
            await connection.close()
        }
    }

    @Test func aJobEnqueuedWhileItsKeyIsInFlightStaysPendingAndRunsAfterwards() async throws {
        try await QueueFixture.run { fixture in
            // The first run of key K holds its transaction open until the test lets it go:
            // it waits for an advisory lock that the test holds meanwhile.
            let gate = try await fixture.connect()
            try await gate.query("SELECT pg_advisory_lock(4711)")
            let handler = ClosureJobHandler(kind: "effects") { jobs, connection in
                try recordEffects.handle(jobs, on: connection)
                if jobs.contains(where: { $0.payload.contains("v1") }) { try connection.query("SELECT pg_advisory_xact_lock(4711)") }
            }
            #expect(try await fixture.enqueue([JobRequest(kind: "effects", key: "K", payload: "{\"v\": \"v1\"}")]).inserted == 1)
            let worker = JobWorker(handler: handler, database: fixture.config, logger: QueueFixture.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await fixture.runWorkers([worker], timeout: .seconds(20)) {
                        try await fixture.count("SELECT count(*) FROM effects") == 2
                    }
                }
                // Wait until v1 is claimed: its row is locked by the worker's transaction.
                while try await fixture.count("SELECT count(*) FROM (SELECT id FROM jobs WHERE key = 'K' FOR UPDATE SKIP LOCKED) free") != 0 {
                    try await Task.sleep(for: .milliseconds(10))
                }
                let second = try await fixture.enqueue([JobRequest(kind: "effects", key: "K", payload: "{\"v\": \"v2\"}")])
                let third = try await fixture.enqueue([JobRequest(kind: "effects", key: "K", payload: "{\"v\": \"v3\"}")])
                #expect(second.inserted == 1)
                #expect(third.merged == 1)
                let pending = try await fixture.count("SELECT count(*) FROM (SELECT id FROM jobs WHERE key = 'K' FOR UPDATE SKIP LOCKED) free")
                #expect(pending == 1)
                try await gate.query("SELECT pg_advisory_unlock(4711)")
                try await group.waitForAll()
            }
            let connection = try await fixture.connect()
            let payloads: [String] = try await connection.query("SELECT payload::jsonb->>'v' FROM effects ORDER BY at").map { try $0.decode(0) }
            #expect(payloads == ["v1", "v3"])
            await connection.close()
            await gate.close()
        }
    }

    @Test func duplicatesInOneEnqueueFoldIntoOnePendingJob() async throws {
        try await QueueFixture.run { fixture in
            let result = try await fixture.enqueue([
                JobRequest(kind: "score", key: "lead-1", payload: "{\"v\": 1}"),
                JobRequest(kind: "score", key: "lead-2"),
                JobRequest(kind: "score", key: "lead-1", payload: "{\"v\": 2}"),
                JobRequest(kind: "score", key: nil),
                JobRequest(kind: "score", key: nil),
            ])
            #expect(result.inserted == 4)
            let again = try await fixture.enqueue([JobRequest(kind: "score", key: "lead-1", payload: "{\"v\": 3}")])
            #expect(again == (inserted: 0, merged: 1))
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE key = 'lead-1'") == 1)
            #expect(try await fixture.count("SELECT (payload->>'v')::int FROM jobs WHERE key = 'lead-1'") == 3)
        }
    }

    /// A lead touched again before its scoring ran: the pending job already says it all, so
    /// it is merged into without a new row version; a new payload or an earlier run_at still
    /// rewrites it.
    @Test func anEnqueueThatChangesNothingMergesWithoutRewritingTheJob() async throws {
        try await QueueFixture.run { fixture in
            let job = JobRequest(kind: "score", key: "lead-9", payload: "{\"lead_id\": 9}")
            #expect(try await fixture.enqueue([job]) == (inserted: 1, merged: 0))
            let connection = try await fixture.connect()
            func version() async throws -> String {
                try await connection.query("SELECT ctid::text || xmin::text FROM jobs WHERE key = 'lead-9'")[0].decode(0)
            }
            let first = try await version()
            #expect(try await fixture.enqueue([job]) == (inserted: 0, merged: 1))
            #expect(try await version() == first, "nothing changed, nothing written")
            var later = job
            later.runAt = Date().addingTimeInterval(3_600)
            #expect(try await fixture.enqueue([later]) == (inserted: 0, merged: 1))
            #expect(try await version() == first, "a later run_at keeps the earlier one")
            var earlier = job
            earlier.runAt = Date(timeIntervalSince1970: 1_700_000_000)
            #expect(try await fixture.enqueue([earlier]) == (inserted: 0, merged: 1))
            #expect(try await version() != first)
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE run_at = to_timestamp(1700000000)") == 1)
            var changed = job
            changed.payload = "{\"lead_id\": 9, \"why\": \"activity\"}"
            #expect(try await fixture.enqueue([changed]) == (inserted: 0, merged: 1))
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE payload->>'why' = 'activity'") == 1)
            await connection.close()
        }
    }
}

@Suite struct JobMetricsTests {
    @Test func workersCountClaimsSuccessesFailuresAndDeathsPerKindInPrometheusText() async throws {
        struct Refused: Error {}
        try await QueueFixture.run { fixture in
            let registry = PrometheusCollectorRegistry()
            let factory = PrometheusMetricsFactory(registry: registry)
            let handler = ClosureJobHandler(kind: "effects") { jobs, connection in
                if jobs.contains(where: { $0.key == "bad" }) { throw Refused() }
                try recordEffects.handle(jobs, on: connection)
            }
            try await fixture.enqueue((0..<5).map { JobRequest(kind: "effects", key: $0 == 2 ? "bad" : nil) })
            let worker = JobWorker(
                handler: handler, database: fixture.config,
                configuration: WorkerConfiguration(pollInterval: .milliseconds(50), retry: RetryPolicy(maxAttempts: 1)),
                logger: QueueFixture.logger, metricsFactory: factory
            )
            try await fixture.runWorkers([worker], timeout: .seconds(20)) {
                try await fixture.count("SELECT count(*) FROM dead_jobs") == 1
            }
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            let text = String(decoding: buffer, as: UTF8.self)
            #expect(text.contains(#"leadrelay_jobs_claimed_total{kind="effects"} 5"#))
            #expect(text.contains(#"leadrelay_jobs_succeeded_total{kind="effects"} 4"#))
            #expect(text.contains(#"leadrelay_jobs_failed_total{kind="effects"} 1"#))
            #expect(text.contains(#"leadrelay_jobs_dead_total{kind="effects"} 1"#))
            #expect(text.contains(#"leadrelay_queue_depth{kind="effects"}"#))
        }
    }
}
