import ArgumentParser
import Foundation
import IngestAPI
import LeadDomain
import Logging
import Postgres
import ServiceLifecycle
import UnixSignals

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP intake API, with /health, /metrics and /openapi.yaml.",
        discussion: "Settings come from LEADRELAY_HTTP_HOST, LEADRELAY_HTTP_PORT, LEADRELAY_MAX_BODY_BYTES, LEADRELAY_MAX_BATCH and LEADRELAY_INTAKE_COMMITS (intake transactions in flight at once; concurrent requests share them); --host and --port override the first two."
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to bind (default 127.0.0.1).") var host: String?
    @Option(help: "Port to bind (default 8080).") var port: Int?
    @Option(help: "Database connections for request handling.") var connections: Int = 8

    func run() async throws {
        let logger = Observability.bootstrap(label: "leadrelay.serve")
        var configuration = APIConfiguration.fromEnvironment()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        let pool = ConnectionPool(database.config(applicationName: "leadrelay serve"), maxConnections: connections)
        let app = IngestServer.application(
            pool: pool, configuration: configuration, registry: Observability.registry,
            freeMailDomains: KnownEmailDomains.freeMail, logger: logger,
            onServerRunning: { port in logger.info("listening", metadata: ["port": .stringConvertible(port)]) }
        )
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
        await pool.close()
    }
}
