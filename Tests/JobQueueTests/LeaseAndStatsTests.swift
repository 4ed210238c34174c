import Foundation
import JobQueue
import Postgres
import TestSupport
import Testing

@Suite struct LeaseTests {
    @Test func anExpiredLeaseMakesTheJobClaimableAgainAndTheOldHolderLosesIt() async throws {
        try await QueueFixture.run { fixture in
            try await fixture.enqueue([JobRequest(kind: "webhook", payload: "{\"url\": \"https://example.com\"}")])
            let first = try await fixture.connect()
            let second = try await fixture.connect()

            let taken = try #require(try await first.claimLeased(kind: "webhook", limit: 10, lease: .seconds(1)).first)
            #expect(try await second.claimLeased(kind: "webhook", limit: 10, lease: .seconds(30)).isEmpty)
            #expect(try await first.renewLease(taken, for: .seconds(1)))

            try await Task.sleep(for: .milliseconds(1_200))
            let retaken = try #require(try await second.claimLeased(kind: "webhook", limit: 10, lease: .seconds(30)).first)
            #expect(retaken.job.id == taken.job.id)
            #expect(try await first.renewLease(taken, for: .seconds(30)) == false)
            #expect(try await first.completeLeased(taken) == false)
            #expect(try await second.completeLeased(retaken))
            #expect(try await fixture.count("SELECT count(*) FROM jobs") == 0)
            await first.close()
            await second.close()
        }
    }

    @Test func failingALeasedJobBacksOffThenDeadLettersIt() async throws {
        try await QueueFixture.run { fixture in
            try await fixture.enqueue([JobRequest(kind: "webhook", key: "lead-7")])
            let connection = try await fixture.connect()
            // Backoff of 0.5–1 s: long enough to see the job held back even on a loaded machine.
            let policy = RetryPolicy(maxAttempts: 2, baseDelay: .seconds(1), maxDelay: .seconds(1))

            let attempt1 = try #require(try await connection.claimLeased(kind: "webhook", limit: 1, lease: .seconds(30)).first)
            #expect(try await connection.failLeased(attempt1, error: "HTTP 503", policy: policy) == false)
            #expect(try await connection.claimLeased(kind: "webhook", limit: 1, lease: .seconds(30)).isEmpty, "still backing off")
            try await Task.sleep(for: .milliseconds(1_100))
            let attempt2 = try #require(try await connection.claimLeased(kind: "webhook", limit: 1, lease: .seconds(30)).first)
            #expect(attempt2.job.attempts == 1)
            #expect(try await connection.failLeased(attempt2, error: "HTTP 500", policy: policy))
            let errors: String = try await connection.query("SELECT errors::text FROM dead_jobs WHERE key = 'lead-7'")[0].decode(0)
            #expect(errors.contains("HTTP 503") && errors.contains("HTTP 500"))
            await connection.close()
        }
    }

    @Test func aJobEnqueuedForAKeyWhoseLeasedJobIsOutIsQueuedBesideIt() async throws {
        try await QueueFixture.run { fixture in
            try await fixture.enqueue([JobRequest(kind: "webhook", key: "lead-1", payload: "{\"v\": 1}")])
            let connection = try await fixture.connect()
            let out = try await connection.claimLeased(kind: "webhook", limit: 1, lease: .seconds(30))
            #expect(out.count == 1)
            let again = try await fixture.enqueue([JobRequest(kind: "webhook", key: "lead-1", payload: "{\"v\": 2}")])
            #expect(again == (inserted: 1, merged: 0))
            await connection.close()
        }
    }
}

@Suite struct QueueStatsTests {
    @Test func statsCountReadyDelayedLeasedAndDeadPerKindAndRetryDeadRevives() async throws {
        try await QueueFixture.run { fixture in
            let connection = try await fixture.connect()
            try await fixture.enqueue([
                JobRequest(kind: "score"), JobRequest(kind: "score"),
                JobRequest(kind: "sla", runAt: Date().addingTimeInterval(3600)),
                JobRequest(kind: "webhook"), JobRequest(kind: "webhook"),
            ])
            _ = try await connection.claimLeased(kind: "webhook", limit: 1, lease: .seconds(60))
            let doomed = try await connection.claimLeased(kind: "webhook", limit: 1, lease: .seconds(60))
            try await connection.failLeased(try #require(doomed.first), error: "gone", policy: RetryPolicy(maxAttempts: 1))

            let stats = try await connection.queueStats()
            #expect(stats.map(\.kind) == ["score", "sla", "webhook"])
            #expect(stats[0].ready == 2 && stats[0].delayed == 0)
            #expect(stats[1].ready == 0 && stats[1].delayed == 1)
            #expect(stats[2].ready == 0 && stats[2].leased == 1 && stats[2].dead == 1)

            #expect(try await connection.withTransaction { try $0.retryDead(kind: "webhook") } == 1)
            let after = try await connection.queueStats()
            #expect(after[2].ready == 1 && after[2].dead == 0)
            let revived = try await connection.query("SELECT attempts, errors::text FROM jobs WHERE kind = 'webhook' AND lease_token IS NULL")[0]
            #expect(try revived.decode(0) == 0)
            #expect(try revived.decode(1, as: String.self).contains("gone"))
            await connection.close()
        }
    }
}

@Suite struct RetryPolicyTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func backoffDoublesWithJitterAndIsCapped() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .seconds(1), maxDelay: .seconds(60))
        var generator = SplitMix64(state: 42)
        for attempt in 1...12 {
            let step = min(Double(1 << (attempt - 1)), 60)
            for _ in 0..<100 {
                let delay = policy.delay(afterAttempt: attempt, using: &generator)
                #expect(delay >= .seconds(step / 2) && delay <= .seconds(step))
            }
        }
        let spread = Set((0..<50).map { _ in policy.delay(afterAttempt: 4, using: &generator) })
        #expect(spread.count > 40, "jitter spreads retries")
    }
}
