import Foundation
import JobQueue
import Logging
import Postgres
import Synchronization

// Issue 4, item 9: JobQueue's claim-and-complete against the plain-SQL limit.
//
// Both sides drain the same preloaded table on the same server, with the same batch size
// and the same number of workers, so the ratio says what JobQueue's worker loop costs on
// top of the bare `DELETE … FOR UPDATE SKIP LOCKED`. pgqueuer is run beside it by
// scripts/bench.d/queue, which reads the `--results` file this writes.
//
//   leadrelay-bench queue [--jobs N] [--workers 1,2,4] [--runs R] [--batch 100] [--results FILE]

/// The benchmark's entry point, registered as "queue" in main.swift.
func runQueueBench(_ arguments: [String]) async throws {
    let options = try QueueBenchOptions(arguments)
    let database = PostgresConfig.fromEnvironment(applicationName: "leadrelay-bench")
    try await QueueBench(options: options, database: database).run()
}

struct QueueBenchOptions {
    var jobs = 1_000_000
    var workerCounts = [1, 2, 4]
    var runs = 3
    var batchSize = 100
    var resultsPath: String?

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let value = rest.popFirst() else { throw BenchError("\(flag) needs a value") }
            return value
        }
        func positive(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text.replacingOccurrences(of: "_", with: "")), number > 0 else {
                throw BenchError("\(flag) needs a positive whole number, not '\(text)'")
            }
            return number
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--jobs": jobs = try positive(flag)
            case "--runs": runs = try positive(flag)
            case "--batch": batchSize = try positive(flag)
            case "--results": resultsPath = try value(flag)
            case "--workers":
                let text = try value(flag)
                let counts = text.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
                guard !counts.isEmpty, counts.count == text.split(separator: ",").count else {
                    throw BenchError("--workers needs a list such as 1,2,4, not '\(text)'")
                }
                workerCounts = counts
            default:
                throw BenchError("unknown option '\(flag)'; options: --jobs N --workers 1,2,4 --runs R --batch N --results FILE")
            }
        }
    }
}

struct QueueBench {
    let options: QueueBenchOptions
    let database: PostgresConfig

    /// A kind of its own, so that nothing else that might share the table is claimed.
    static let kind = "bench_noop"

    /// The plain-SQL limit: the bare claim-and-delete, one autocommit statement per batch.
    ///
    /// The batch size is written into the text, not sent as a parameter: the generic plan of
    /// a `LIMIT $2` assumes a tenth of the table (a hash join over a sequential scan), so
    /// PostgreSQL re-plans such a statement on every execution. With a literal it settles on
    /// one cached plan after five runs, which is the cheapest this statement gets: the limit.
    /// It is an `Int` from our own options, so there is nothing to inject.
    static func plainClaim(batchSize: Int) -> String {
        """
        DELETE FROM jobs WHERE id IN (
            SELECT id FROM jobs
            WHERE kind = $1 AND run_at <= now()
            ORDER BY run_at, id
            LIMIT \(batchSize)
            FOR UPDATE SKIP LOCKED
        )
        """
    }

    func run() async throws {
        let admin = try await Connection.connect(database)
        let schema = ProcessInfo.processInfo.environment["LEADRELAY_SCHEMA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "schema"
        try await Migrator(directory: URL(fileURLWithPath: schema, isDirectory: true)).migrate(admin)
        let server = try await admin.query("SHOW server_version")[0].decode(0, as: String.self)
        let fsync = try await admin.query("SHOW fsync")[0].decode(0, as: String.self)
        say("queue: \(options.jobs.formatted()) jobs per run, batch \(options.batchSize), workers \(options.workerCounts.map(String.init).joined(separator: "/")), \(options.runs) run(s) each (median); PostgreSQL \(server), fsync \(fsync)")

        var medians: [(workers: Int, plain: Double, jobQueue: Double)] = []
        for workers in options.workerCounts {
            var plainRates: [Double] = []
            var queueRates: [Double] = []
            // Plain and JobQueue alternate within each run, so drift in the machine's load
            // (autovacuum, a compile next door) falls on both sides alike.
            for run in 1...options.runs {
                let load = try await reload(admin)
                let plainVacuums = try await autovacuumCount(admin)
                let plain = try await runPlain(workers: workers)
                try await expectEmpty(admin, after: "plain SQL")
                let plainVacuumed = try await autovacuumCount(admin) - plainVacuums
                let loadAgain = try await reload(admin)
                let queueVacuums = try await autovacuumCount(admin)
                let jobQueue = try await runJobQueue(workers: workers)
                try await expectEmpty(admin, after: "JobQueue")
                let queueVacuumed = try await autovacuumCount(admin) - queueVacuums
                let plainRate = Double(options.jobs) / plain.seconds
                let queueRate = Double(options.jobs) / jobQueue.seconds
                plainRates.append(plainRate)
                queueRates.append(queueRate)
                say("  workers \(workers), run \(run)/\(options.runs): plain SQL \(format(plain)) s = \(rate(plainRate)) jobs/s; JobQueue \(format(jobQueue)) s = \(rate(queueRate)) jobs/s (loads \(format(load)) s, \(format(loadAgain)) s; autovacuum passes \(plainVacuumed), \(queueVacuumed))")
            }
            medians.append((workers, median(plainRates), median(queueRates)))
        }
        await admin.close()

        say()
        say("workers | plain SQL jobs/s | JobQueue jobs/s | ratio")
        say("--------|------------------|-----------------|------")
        for row in medians {
            say("\(pad(String(row.workers), 7)) | \(pad(rate(row.plain), 16)) | \(pad(rate(row.jobQueue), 15)) | \(percent(row.jobQueue / row.plain))")
        }
        if let two = medians.first(where: { $0.workers == 2 }), options.batchSize == 100 {
            let ratio = two.jobQueue / two.plain
            say("target: JobQueue ≥ 50% of plain SQL at batch 100 with 2 workers: \(percent(ratio)) — \(ratio >= 0.5 ? "met" : "NOT met")")
        } else {
            say("target: JobQueue ≥ 50% of plain SQL at batch 100 with 2 workers: not measured in this run")
        }
        if let path = options.resultsPath {
            // Tab-separated for scripts/bench.d/queue, which sets pgqueuer beside these.
            let lines = medians.map { "\($0.workers)\t\(Int($0.plain.rounded()))\t\(Int($0.jobQueue.rounded()))\n" }
            try lines.joined().write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    /// Empties the table, loads the jobs with binary COPY (all ready, in id order) and
    /// leaves the table as a fresh one would be: vacuumed, analyzed, checkpointed.
    private func reload(_ connection: Connection) async throws -> Duration {
        let started = ContinuousClock.now
        let jobs = options.jobs
        let kind = Self.kind
        try await connection.execute("TRUNCATE jobs")
        // An hour ago, one microsecond apart: every job is ready, in the order of its id.
        let firstRunAt = Date().addingTimeInterval(-3600)
        let copied = try await connection.copyFrom("COPY jobs (kind, payload, run_at) FROM STDIN WITH (FORMAT binary)", format: .binary) { writer in
            for index in 0..<jobs {
                try writer.beginBinaryRow(fieldCount: 3)
                writer.binaryField(kind)
                writer.binaryField(jsonb: "{\"lead_id\": \(index)}")
                writer.binaryField(firstRunAt.addingTimeInterval(Double(index) / 1_000_000))
            }
        }
        guard copied == jobs else { throw BenchError("COPY loaded \(copied) jobs, expected \(jobs)") }
        // Visibility map set and statistics fresh, so both sides start from the same plan.
        try await connection.execute("VACUUM ANALYZE jobs")
        // A checkpoint now keeps a timed one out of the measured run, where it would land
        // on one side only. It needs superuser (the private cluster's user is); elsewhere skip it.
        _ = try? await connection.execute("CHECKPOINT")
        return ContinuousClock.now - started
    }

    /// N connections, each deleting batches in autocommit until a batch comes back empty.
    /// Connecting is inside the timing, as it is for the JobQueue workers.
    private func runPlain(workers: Int) async throws -> Duration {
        let database = database
        let kind = Self.kind
        let claim = Self.plainClaim(batchSize: options.batchSize)
        let started = ContinuousClock.now
        let deleted = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    let connection = try await Connection.connect(database)
                    var total = 0
                    while true {
                        let count = try await connection.query(claim, [kind]).affectedRows
                        if count == 0 { break }
                        total += count
                    }
                    await connection.close()
                    return total
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = ContinuousClock.now - started
        guard deleted == options.jobs else { throw BenchError("plain SQL deleted \(deleted) jobs, expected \(options.jobs)") }
        return elapsed
    }

    /// N JobWorkers with a handler that only counts; timed from their start to the batch
    /// that brings the count to the total. Then the workers are cancelled: each finishes
    /// its batch, commits and returns.
    private func runJobQueue(workers: Int) async throws -> Duration {
        let tally = JobTally(target: options.jobs)
        let handler = ClosureJobHandler(kind: Self.kind) { jobs, _ in tally.add(jobs.count) }
        // Warnings and errors only: a worker logs nothing else, and a failure must show.
        var logger = Logger(label: "leadrelay.bench.queue", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .warning
        let configuration = WorkerConfiguration(batchSize: options.batchSize)
        let jobs = options.jobs
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                let worker = JobWorker(handler: handler, database: database, configuration: configuration, logger: logger)
                group.addTask { try await worker.run() }
            }
            group.addTask { await tally.waitUntilDone() }
            // A worker retries failures forever; a benchmark must not hang on a broken server.
            group.addTask {
                var last = -1
                while true {
                    do { try await Task.sleep(for: .seconds(30)) } catch { return }
                    let now = tally.count
                    if now == last { throw BenchError("JobQueue made no progress for 30 s, at \(now) of \(jobs) jobs") }
                    last = now
                }
            }
            // The first child to end is the tally (done) or a worker that failed: stop all.
            for try await _ in group { group.cancelAll() }
        }
        guard let finished = tally.finishedAt else {
            throw BenchError("the JobQueue workers stopped at \(tally.count) of \(jobs) jobs")
        }
        return finished - started
    }

    /// Autovacuum passes over the jobs table so far. Printed per run: a pass in the middle
    /// of a drain clears the dead index entries that every claim otherwise steps over, so
    /// how many passes fell into a run explains much of the spread between runs.
    private func autovacuumCount(_ connection: Connection) async throws -> Int {
        try await connection.query("SELECT autovacuum_count FROM pg_stat_user_tables WHERE relid = 'jobs'::regclass")[0].decode(0)
    }

    /// Both sides must have drained every job, and JobQueue must have committed its last batch.
    private func expectEmpty(_ connection: Connection, after side: String) async throws {
        let left = try await connection.query("SELECT count(*) FROM jobs WHERE kind = $1", [Self.kind])[0].decode(0, as: Int.self)
        guard left == 0 else { throw BenchError("\(side) left \(left) jobs in the table") }
    }
}

/// Counts handled jobs across the workers and notes when the last one arrived.
final class JobTally: Sendable {
    let target: Int
    private let handled = Atomic<Int>(0)
    private let finished = Mutex<ContinuousClock.Instant?>(nil)
    private let done: AsyncStream<Void>
    private let doneContinuation: AsyncStream<Void>.Continuation

    init(target: Int) {
        self.target = target
        (done, doneContinuation) = AsyncStream<Void>.makeStream()
    }

    var count: Int { handled.load(ordering: .relaxed) }
    var finishedAt: ContinuousClock.Instant? { finished.withLock { $0 } }

    func add(_ jobs: Int) {
        let (before, after) = handled.add(jobs, ordering: .relaxed)
        // Exactly one batch crosses the target; it stamps the time and wakes the waiter.
        guard before < target, after >= target else { return }
        finished.withLock { $0 = .now }
        doneContinuation.finish()
    }

    /// Returns once the target is reached (or the task is cancelled).
    func waitUntilDone() async {
        for await _ in done {}
    }
}

/// Writes one line straight to standard output. `print` buffers a whole block when the
/// output is a pipe or a file, and a full run takes minutes: its progress should show.
private func say(_ line: String = "") {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
}

private func rate(_ value: Double) -> String { Int(value.rounded()).formatted() }
private func percent(_ ratio: Double) -> String { "\(Int((ratio * 100).rounded()))%" }
private func format(_ duration: Duration) -> String { String(format: "%.2f", duration.seconds) }
private func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }

private extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
