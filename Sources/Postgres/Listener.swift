import CLibPQ
import Foundation
import Synchronization

/// What a listening session reports.
public enum ListenEvent: Sendable, Equatable {
    /// LISTEN is in place: once at the start and again after every reconnect. A NOTIFY sent
    /// while the session was down is lost, so treat this as a wake-up and look for work.
    case listening
    /// A NOTIFY on one of the channels.
    case notification(channel: String, payload: String)
    /// The session dropped; the listener reconnects by itself with a growing back-off.
    case disconnected(reason: String)
}

/// LISTEN on a dedicated session, delivered as an `AsyncSequence` of `ListenEvent`.
///
/// Waiting happens on a dedicated thread that `poll`s the session's socket, never on a
/// cooperative-pool thread. The session belongs to that thread alone.
public enum Listener {
    /// Listens on `channels` for as long as `consume` runs, then closes the session.
    public static func listen<T: Sendable>(
        _ config: PostgresConfig,
        channels: [String],
        consume: (AsyncStream<ListenEvent>) async throws -> T
    ) async throws -> T {
        let (events, continuation) = AsyncStream.makeStream(of: ListenEvent.self)
        let stopped = StopFlag()
        let thread = Thread {
            ListenLoop(config: config, channels: channels, events: continuation, stopped: stopped).run()
        }
        thread.name = "leadrelay.listen"
        thread.start()
        defer {
            stopped.set()
            continuation.finish()
        }
        return try await consume(events)
    }
}

final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}

/// The body of the listener thread. Everything here runs on that one thread.
private struct ListenLoop {
    let config: PostgresConfig
    let channels: [String]
    let events: AsyncStream<ListenEvent>.Continuation
    let stopped: StopFlag
    /// How long one poll waits before it looks at the stop flag again.
    private let pollMilliseconds: Int32 = 100

    func run() {
        var backoff = Duration.milliseconds(50)
        while !stopped.isSet {
            guard let handle = openSession() else {
                sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(2))
                continue
            }
            backoff = .milliseconds(50)
            events.yield(.listening)
            let reason = pump(handle)
            PQfinish(handle)
            if let reason { events.yield(.disconnected(reason: reason)) }
        }
        events.finish()
    }

    private func openSession() -> OpaquePointer? {
        let handle: OpaquePointer
        do {
            handle = try LibPQ.connect(config)
        } catch {
            events.yield(.disconnected(reason: String(describing: error)))
            return nil
        }
        for channel in channels {
            // A channel is an identifier, not a value: libpq quotes it for us.
            guard let quoted = PQescapeIdentifier(handle, channel, channel.utf8.count) else { continue }
            defer { PQfreemem(quoted) }
            let result = PQexec(handle, "LISTEN " + String(cString: quoted))
            defer { PQclear(result) }
            guard PQresultStatus(result) == PGRES_COMMAND_OK else {
                events.yield(.disconnected(reason: "LISTEN failed: \(LibPQ.lastMessage(handle))"))
                PQfinish(handle)
                return nil
            }
        }
        return handle
    }

    /// Delivers notifications until the session breaks (returns why) or the listener stops (nil).
    private func pump(_ handle: OpaquePointer) -> String? {
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        while !stopped.isSet {
            let ready = poll(&descriptor, 1, pollMilliseconds)
            if ready < 0, errno != EINTR { return "poll failed with errno \(errno)" }
            if ready <= 0 { continue }
            guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else {
                return LibPQ.lastMessage(handle)
            }
            while let notice = PQnotifies(handle) {
                events.yield(.notification(
                    channel: String(cString: notice.pointee.relname),
                    payload: String(cString: notice.pointee.extra)
                ))
                PQfreemem(notice)
            }
        }
        return nil
    }

    private func sleep(for duration: Duration) {
        let deadline = ContinuousClock.now + duration
        while !stopped.isSet, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}
