// A worker process for the JobQueue tests that need a real process to kill or to stop
// with a signal. It runs kind "effects": each job's id goes into the table `effects` in
// the claiming transaction, and each batch then waits BATCH_SLEEP_MS (default 0), so
// that a test can kill it in the middle of a batch.
import Foundation
import JobQueue
import Logging
import Postgres
import ServiceLifecycle
import UnixSignals

let environment = ProcessInfo.processInfo.environment
let pause = Double(environment["BATCH_SLEEP_MS"] ?? "0") ?? 0
let batchSize = Int(environment["BATCH_SIZE"] ?? "100") ?? 100
let logger = Logger(label: "jobqueue-test-worker")
let handler = ClosureJobHandler(kind: "effects") { jobs, connection in
    try connection.query("INSERT INTO effects (job_id) SELECT unnest($1::bigint[])", [jobs.map(\.id)])
    if pause > 0 { try connection.query("SELECT pg_sleep($1)", [pause / 1000]) }
}
let worker = JobWorker(
    handler: handler, database: .fromEnvironment(),
    configuration: WorkerConfiguration(batchSize: batchSize, pollInterval: .milliseconds(200)), logger: logger
)
let group = ServiceGroup(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
try await group.run()
