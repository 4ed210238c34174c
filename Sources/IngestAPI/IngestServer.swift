public import Hummingbird
public import Logging
public import Postgres
public import Prometheus

/// The HTTP intake and feedback API, its health and its metrics.
public enum IngestServer {
    /// Builds the application; run it with `runService()` or inside a `ServiceGroup`.
    public static func application(
        pool: ConnectionPool, configuration: APIConfiguration, registry: PrometheusCollectorRegistry,
        freeMailDomains: Set<String>, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        let auth = APIKeyAuthenticator(pool: pool, ttlSeconds: configuration.keyCacheSeconds)
        let committer = IntakeCommitter(pool: pool, lanes: configuration.intakeCommitLanes)
        IntakeRoutes(committer: committer, auth: auth, configuration: configuration, checker: RecordChecker(freeMailDomains: freeMailDomains))
            .register(on: router)
        FeedbackRoutes(pool: pool, auth: auth, configuration: configuration).register(on: router)
        OpsRoutes(pool: pool, registry: registry).register(on: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "leadrelay"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}
