import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// Wakes one waiting worker loop: a NOTIFY, a shutdown, or nothing until a timeout.
///
/// A signal that arrives while nobody waits is kept, so a wake-up between two waits is
/// never lost; several of them fold into one.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var waiterID = 0
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns on a signal, after `timeout`, or when the task is cancelled.
    func wait(timeout: Duration) async {
        if state.withLock({ state in
            defer { state.pending = false }
            return state.pending
        }) { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForSignal() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        let id = state.withLock { state in
            state.waiterID += 1
            return state.waiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard state.waiterID == id else { return nil }
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}

/// Set when a worker loop should finish its current work and return.
final class StopFlag: Sendable {
    private let stopping = Atomic<Bool>(false)

    /// Also true once the task is cancelled.
    var isSet: Bool { stopping.load(ordering: .acquiring) || Task.isCancelled }

    func set() { stopping.store(true, ordering: .releasing) }
}

extension WakeSignal {
    /// The pause of a worker loop after `failures` failed rounds in a row: 100 ms doubling
    /// up to 2 s, so a lost database is retried soon but not hammered.
    static func backoff(afterFailures failures: Int) -> Duration {
        .milliseconds(min(50 << min(failures, 6), 2_000))
    }

    /// Runs a worker loop that `LISTEN`s for its kind's jobs: every NOTIFY, every
    /// reconnect of the listener (notifications sent while it was down are lost) and a
    /// graceful shutdown wake the loop; the shutdown also sets its stop flag.
    ///
    /// With `shared`, a signal registered with a process's `WakeUps` wakes the loop; without,
    /// the loop has a `WakeUps` of its own, for as long as it runs.
    static func runWoken(
        by kind: String, database: PostgresConfig, logger: Logger, shared: WakeSignal? = nil,
        _ loop: @escaping @Sendable (WakeSignal, StopFlag) async -> Void
    ) async throws {
        let stop = StopFlag()
        let run = { @Sendable (wake: WakeSignal) in
            await withGracefulShutdownHandler {
                await loop(wake, stop)
            } onGracefulShutdown: {
                stop.set()
                wake.signal()
            }
        }
        if let shared {
            await run(shared)
            return
        }
        let own = WakeUps(database: database, logger: logger)
        let wake = own.register(kind: kind)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await own.run() }
            await run(wake)
            group.cancelAll()
            try await group.waitForAll()
        }
    }
}
