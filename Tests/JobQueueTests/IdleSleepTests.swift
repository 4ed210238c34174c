import Foundation
@testable import JobQueue
import Postgres
import Testing

/// What a worker loop that found too little work waits for, decided in its claiming
/// transaction.
@Suite struct IdleSleepTests {
    static let poll = Duration.seconds(10)

    @Test func aDueJobThatAnotherWorkerHoldsIsNoReasonToClaimAgain() async throws {
        try await QueueFixture.run { fixture in
            try await fixture.enqueue([JobRequest(kind: "effects")])
            let busy = try await fixture.connect()
            let idle = try await fixture.connect()
            try await busy.execute("BEGIN")
            #expect(try await busy.claimAndDelete(kind: "effects", limit: 10).count == 1)

            let sleep = try await idle.withTransaction { idle in
                #expect(try idle.claimAndDelete(kind: "effects", limit: 10).isEmpty, "SKIP LOCKED passes it over")
                return try idle.idleSleep(kind: "effects", poll: Self.poll)
            }
            #expect(sleep == Self.poll, "wait for a NOTIFY, do not poll the held job")

            try await busy.execute("COMMIT")
            await busy.close()
            await idle.close()
        }
    }

    @Test func aJobDueLaterSetsTheSleepAndNeverMoreThanThePoll() async throws {
        try await QueueFixture.run { fixture in
            try await fixture.enqueue([JobRequest(kind: "effects", runAt: Date().addingTimeInterval(3))])
            let connection = try await fixture.connect()
            let sleep = try #require(try await connection.withTransaction { connection in
                _ = try connection.claimAndDelete(kind: "effects", limit: 10)
                return try connection.idleSleep(kind: "effects", poll: Self.poll)
            })
            #expect(sleep > .seconds(1) && sleep <= .seconds(3))
            #expect(try await connection.withTransaction { try $0.idleSleep(kind: "effects", poll: .milliseconds(200)) } == .milliseconds(200))
            await connection.close()
        }
    }

    @Test func aJobEnqueuedAfterTheClaimBeganMeansClaimAgain() async throws {
        try await QueueFixture.run { fixture in
            let connection = try await fixture.connect()
            let sleep = try await connection.withTransaction { connection in
                #expect(try connection.claimAndDelete(kind: "effects", limit: 10).isEmpty)
                try await Task.sleep(for: .milliseconds(5))
                try await fixture.enqueue([JobRequest(kind: "effects")])
                return try connection.idleSleep(kind: "effects", poll: Self.poll)
            }
            #expect(sleep == nil)
            await connection.close()
        }
    }
}
