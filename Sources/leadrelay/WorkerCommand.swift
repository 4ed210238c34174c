import ArgumentParser
import Foundation
import Hummingbird
import JobQueue
import Logging
import Postgres
import Prometheus
import ServiceLifecycle
import UnixSignals
import Workers

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run pipeline workers: claim jobs, do the step, enqueue the next one.",
        discussion: """
            Any number of worker processes may run, on any machines. SIGTERM or SIGINT lets each
            worker finish and commit its current batch, then the process exits 0.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp("Comma-separated job kinds to work on.", valueName: "kinds"))
    var kinds: String = WorkerKinds.all.joined(separator: ",")
    @Option(help: "Jobs claimed per transaction.") var batchSize: Int = 100
    @Option(help: "Longest wait without a NOTIFY, in milliseconds (env LEADRELAY_POLL_INTERVAL_MS).") var pollIntervalMs: Int?
    @Option(help: "Serve /metrics and /health on this port (0 = off).") var metricsPort: Int = 0

    func run() async throws {
        let logger = Observability.bootstrap(label: "leadrelay.worker")
        let names = kinds.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let pollMs = pollIntervalMs ?? ProcessInfo.processInfo.environment["LEADRELAY_POLL_INTERVAL_MS"].flatMap(Int.init) ?? 1_000
        let configuration = WorkerConfiguration(batchSize: batchSize, pollInterval: .milliseconds(pollMs))
        let config = database.config(applicationName: "leadrelay worker")
        // One LISTEN session for all the loops of this process (`WakeUps`); it comes first
        // among the services, so that it stops last.
        let wakeUps = WakeUps(database: config, logger: logger)
        var services: [any Service] = [wakeUps]
        for name in names {
            if let handler = WorkerKinds.handler(named: name) {
                services.append(JobWorker(handler: handler, database: config, configuration: configuration, logger: logger, wakeUps: wakeUps))
            } else if let worker = WorkerKinds.leasedWorker(
                named: name, database: config, pollInterval: configuration.pollInterval, logger: logger, wakeUps: wakeUps
            ) {
                services.append(worker)
            } else {
                throw ValidationError("unknown job kind \(name); known: \(WorkerKinds.all.joined(separator: ", "))")
            }
        }
        let startupJobs = names.flatMap(WorkerKinds.startupJobs(for:))
        if !startupJobs.isEmpty {
            let connection = try await Connection.connect(config)
            try await connection.withTransaction { connection in try connection.enqueue(startupJobs) }
            await connection.close()
        }
        if metricsPort > 0 {
            services.append(MetricsServer.application(port: metricsPort, logger: logger))
        }
        logger.info("worker starting", metadata: ["kinds": .string(names.joined(separator: ","))])
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}

/// A small HTTP server for a worker process: /metrics for Prometheus, /health for probes.
enum MetricsServer {
    static func application(port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            var buffer: [UInt8] = []
            Observability.registry.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.get("/health") { _, _ in "ok\n" }
        return Application(router: router, configuration: .init(address: .hostname("0.0.0.0", port: port)), logger: logger)
    }
}
