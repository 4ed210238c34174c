import Foundation
import JobQueue
import Postgres
import Testing

/// The worker loops of a process share one LISTEN session, and each is still woken by its
/// own kind's NOTIFY.
@Suite struct WakeUpsTests {
    @Test func loopsOfTwoKindsShareOneListeningSessionAndWakeOnTheirOwnNotify() async throws {
        try await QueueFixture.run { fixture in
            let recordOthers = ClosureJobHandler(kind: "others") { jobs, connection in try recordEffects.handle(jobs, on: connection) }
            let wakeUps = WakeUps(database: fixture.config, logger: QueueFixture.logger)
            // Without a NOTIFY, a loop would sleep a minute: only a wake-up can explain a
            // prompt pickup.
            let configuration = WorkerConfiguration(pollInterval: .seconds(60))
            let workers = [recordEffects, recordOthers].map {
                JobWorker(handler: $0, database: fixture.config, configuration: configuration, logger: QueueFixture.logger, wakeUps: wakeUps)
            }
            let listening = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'"
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await wakeUps.run() }
                for worker in workers { group.addTask { try await worker.run() } }
                defer { group.cancelAll() }

                try await Self.wait(timeout: .seconds(10)) { try await fixture.count(listening) == 1 }
                // Let both loops claim their empty queues and go to sleep.
                try await Task.sleep(for: .milliseconds(300))
                try await fixture.enqueue([JobRequest(kind: "effects", payload: "{\"n\": 1}")])
                try await Self.wait(timeout: .seconds(10)) { try await fixture.count("SELECT count(*) FROM effects") == 1 }
                try await fixture.enqueue([JobRequest(kind: "others", payload: "{\"n\": 2}")])
                try await Self.wait(timeout: .seconds(10)) { try await fixture.count("SELECT count(*) FROM effects") == 2 }
                #expect(try await fixture.count(listening) == 1, "one session listens for both loops")
                #expect(try await fixture.count("SELECT count(*) FROM jobs") == 0)
            }
        }
    }

    static func wait(timeout: Duration, until done: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !done() {
            guard ContinuousClock.now < deadline else { throw QueueFixture.TimedOut() }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
