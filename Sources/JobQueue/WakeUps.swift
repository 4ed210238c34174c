public import Logging
public import Postgres
public import ServiceLifecycle
import Synchronization

/// One LISTEN session for all the worker loops of a process, instead of one per loop.
///
/// PostgreSQL signals every listening session of the database at each commit that
/// notifies, whatever the channels, and each session wakes to read the queue: three loops
/// with a session each tripled that work for every enqueue. Here one session listens on
/// every registered loop's channel and wakes the loops of the channel that was notified;
/// when it (re)connects, notifications may have been lost, so it wakes them all.
///
/// Register every loop before the hub runs: its channels are fixed when it starts
/// listening. Run it as a service beside the workers.
public final class WakeUps: Service, Sendable {
    private let signals = Mutex<[String: [WakeSignal]]>([:])
    private let database: PostgresConfig
    private let logger: Logger

    public init(database: PostgresConfig, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// The wake signal of a new loop of `kind`.
    func register(kind: String) -> WakeSignal {
        let signal = WakeSignal()
        signals.withLock { $0[JobChannel.name(for: kind), default: []].append(signal) }
        return signal
    }

    public func run() async throws {
        let signals = signals.withLock { $0 }
        guard !signals.isEmpty else { return }
        let logger = logger
        try await Listener.listen(database, channels: signals.keys.sorted()) { events in
            await cancelWhenGracefulShutdown {
                for await event in events {
                    switch event {
                    case .notification(let channel, _):
                        signals[channel]?.forEach { $0.signal() }
                    case .listening:
                        signals.values.joined().forEach { $0.signal() }
                    case .disconnected(let reason):
                        logger.warning("listener disconnected; reconnecting", metadata: ["reason": .string(reason)])
                        signals.values.joined().forEach { $0.signal() }
                    }
                }
            }
        }
    }
}
