import Foundation
import Logging
import Metrics
import Prometheus

/// Process-wide logging and metrics, set up once per process before anything logs.
enum Observability {
    static let registry = PrometheusCollectorRegistry()

    static func bootstrap(label: String) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "") ?? .info
            return handler
        }
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return Logger(label: label)
    }
}
