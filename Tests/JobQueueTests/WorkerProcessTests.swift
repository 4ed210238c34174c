import Foundation
import JobQueue
import Postgres
import TestSupport
import Testing

@Suite struct WorkerProcessTests {
    static var workerProgram: URL {
        TestDatabase.leadrelayProgram.deletingLastPathComponent().appendingPathComponent("jobqueue-test-worker")
    }

    static func startWorker(_ fixture: QueueFixture, batchSleepMilliseconds: Int) throws -> Process {
        let process = Process()
        process.executableURL = workerProgram
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = fixture.config.conninfo
        environment["BATCH_SLEEP_MS"] = String(batchSleepMilliseconds)
        process.environment = environment
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func aWorkerKilledMidBatchLosesNothingAndDuplicatesNothing() async throws {
        try await QueueFixture.run { fixture in
            let total = 20_000
            try await fixture.enqueue((0..<total).map { JobRequest(kind: "effects", payload: "{\"n\": \($0)}") })
            // Each batch sleeps 300 ms inside its transaction, so a kill lands mid-batch.
            let victim = try Self.startWorker(fixture, batchSleepMilliseconds: 300)
            while try await fixture.count("SELECT count(*) FROM effects") < 300 {
                try await Task.sleep(for: .milliseconds(20))
            }
            let inFlight = try await fixture.count("""
                SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'jobs' AND l.granted
                """)
            #expect(inFlight > 0, "the worker should be holding a batch when it is killed")
            kill(victim.processIdentifier, SIGKILL)
            victim.waitUntilExit()
            #expect(victim.terminationReason == .uncaughtSignal)

            let survivor = JobWorker(handler: recordEffects, database: fixture.config, logger: QueueFixture.logger)
            try await fixture.runWorkers([survivor]) {
                try await fixture.count("SELECT count(*) FROM jobs") == 0
            }
            #expect(try await fixture.count("SELECT count(*) FROM effects") == total)
            #expect(try await fixture.count("SELECT count(DISTINCT job_id) FROM effects") == total)
        }
    }

    @Test func sigtermFinishesTheCurrentBatchCommitsAndExitsZero() async throws {
        try await QueueFixture.run { fixture in
            try await fixture.enqueue((0..<5_000).map { JobRequest(kind: "effects", payload: "{\"n\": \($0)}") })
            let worker = try Self.startWorker(fixture, batchSleepMilliseconds: 300)
            while try await fixture.count("SELECT count(*) FROM effects") < 100 {
                try await Task.sleep(for: .milliseconds(20))
            }
            // Let the next batch start, then ask the worker to stop in the middle of it.
            try await Task.sleep(for: .milliseconds(100))
            kill(worker.processIdentifier, SIGTERM)
            worker.waitUntilExit()
            #expect(worker.terminationReason == .exit)
            #expect(worker.terminationStatus == 0)
            let done = try await fixture.count("SELECT count(*) FROM effects")
            let left = try await fixture.count("SELECT count(*) FROM jobs")
            #expect(done % 100 == 0, "only whole batches commit")
            #expect(done >= 200, "the batch in progress at SIGTERM still committed")
            #expect(done + left == 5_000)
        }
    }
}
