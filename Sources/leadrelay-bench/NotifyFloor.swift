import Foundation
import Postgres

/// `leadrelay-bench notify-floor --rate R --seconds S`: the plain-PostgreSQL floor under
/// the end-to-end latency. At R per second, open loop, it commits a 1-row INSERT with a
/// NOTIFY (16 connections taking turns) while a listener on its own connection stamps each
/// arrival; latency runs from each row's scheduled time to its NOTIFY. Prints
/// `<achieved/s> <p50 ms> <p95 ms> <p99 ms>`. Nothing of LeadRelay runs in it: this is
/// what one commit and one notification cost on this server at that rate.
func runNotifyFloor(_ arguments: [String]) async throws {
    let options = try BenchOptions(arguments, known: ["--rate", "--seconds"])
    let rate = try options.count("--rate", default: 1_000), seconds = try options.count("--seconds", default: 60)
    let database = PostgresConfig.fromEnvironment(applicationName: "leadrelay-bench notify-floor")
    let setup = try await Connection.connect(database)
    try await setup.execute("""
        DROP TABLE IF EXISTS bench_notify_floor;
        CREATE TABLE bench_notify_floor (id bigint PRIMARY KEY, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
        """)
    let total = rate * seconds
    let channel = "bench_notify_floor"
    let start = Date().timeIntervalSince1970 + 0.5
    let (latencies, finished) = try await Listener.listen(database, channels: [channel]) { events -> ([Double], Double) in
        var iterator = events.makeAsyncIterator()
        while let event = await iterator.next(), event != .listening {}
        async let senders: Void = withThrowingTaskGroup(of: Void.self) { group in
            let lanes = 16
            for lane in 0..<lanes {
                group.addTask {
                    let connection = try await Connection.connect(database)
                    for n in stride(from: lane, to: total, by: lanes) {
                        let due = start + Double(n) / Double(rate)
                        let wait = due - Date().timeIntervalSince1970
                        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
                        // One autocommitted statement: the least a commit with a NOTIFY can cost.
                        try await connection.query("""
                            WITH row AS (INSERT INTO bench_notify_floor (id, payload) VALUES ($1, '{"hot": true}') RETURNING id)
                            SELECT pg_notify($2, $3) FROM row
                            """, [n, channel, String(n)])
                    }
                    await connection.close()
                }
            }
            try await group.waitForAll()
        }
        var latencies: [Double] = []
        latencies.reserveCapacity(total)
        var last = start
        while latencies.count < total, let event = await iterator.next() {
            guard case .notification(_, let payload) = event, let n = Int(payload) else { continue }
            last = Date().timeIntervalSince1970
            latencies.append(last - (start + Double(n) / Double(rate)))
        }
        try await senders
        return (latencies, last)
    }
    try await setup.execute("DROP TABLE bench_notify_floor")
    await setup.close()
    let sorted = latencies.sorted()
    func percentile(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))] * 1000 }
    let achieved = Double(sorted.count) / (finished - start)
    print(String(format: "%.0f %.1f %.1f %.1f", achieved, percentile(0.5), percentile(0.95), percentile(0.99)))
}
