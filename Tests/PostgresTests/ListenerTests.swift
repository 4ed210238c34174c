import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct ListenerTests {
    @Test func receivesNotifyAndReceivesAgainAfterTheBackendIsTerminated() async throws {
        let config = try TestDatabase.config(applicationName: "leadrelay-listen-test")
        let channel = "lr_test_" + UUID().uuidString.prefix(8).lowercased()
        let sender = try await TestDatabase.connect()

        let received: [ListenEvent] = try await Listener.listen(config, channels: [channel]) { events in
            var iterator = events.makeAsyncIterator()
            var seen: [ListenEvent] = []
            #expect(await iterator.next() == .listening)
            try await sender.notify(channel, payload: "first")
            seen.append(try #require(await iterator.next()))

            // End the listener's backend from another session; the listener must come back.
            let terminated: Bool = try await sender.query("""
                SELECT bool_or(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE application_name = 'leadrelay-listen-test' AND pid <> pg_backend_pid()
                """)[0].decode(0)
            #expect(terminated)
            var event = await iterator.next()
            while case .disconnected = event { event = await iterator.next() }
            #expect(event == .listening)
            try await sender.notify(channel, payload: "second")
            seen.append(try #require(await iterator.next()))
            return seen
        }
        #expect(received == [
            .notification(channel: channel, payload: "first"),
            .notification(channel: channel, payload: "second"),
        ])
        await sender.close()
    }

    @Test func aNotifyInATransactionArrivesOnlyAtCommit() async throws {
        let config = try TestDatabase.config()
        let channel = "lr_test_" + UUID().uuidString.prefix(8).lowercased()
        let sender = try await TestDatabase.connect()
        try await Listener.listen(config, channels: [channel, "other"]) { events in
            var iterator = events.makeAsyncIterator()
            #expect(await iterator.next() == .listening)
            try await sender.withTransaction { connection in
                try connection.notify(channel, payload: "a")
                try connection.notify(channel, payload: "a")  // PostgreSQL folds identical ones
                try connection.notify(channel, payload: "b")
            }
            #expect(await iterator.next() == .notification(channel: channel, payload: "a"))
            #expect(await iterator.next() == .notification(channel: channel, payload: "b"))
        }
        await sender.close()
    }
}
