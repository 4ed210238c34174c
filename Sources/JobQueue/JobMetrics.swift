import CoreMetrics
import Metrics

/// The metrics of one kind's worker. Names and labels are constants, so dashboards can
/// rely on them: `leadrelay_jobs_*_total{kind}`, `leadrelay_job_batch_seconds{kind}`,
/// `leadrelay_queue_depth{kind}`, `leadrelay_queue_oldest_ready_seconds{kind}`.
struct JobMetrics: Sendable {
    enum Name {
        static let claimed = "leadrelay_jobs_claimed_total"
        static let succeeded = "leadrelay_jobs_succeeded_total"
        static let failed = "leadrelay_jobs_failed_total"
        static let dead = "leadrelay_jobs_dead_total"
        static let batchDuration = "leadrelay_job_batch_seconds"
        static let depth = "leadrelay_queue_depth"
        static let oldestReady = "leadrelay_queue_oldest_ready_seconds"
    }

    static let kindLabel = "kind"

    let claimed: Counter
    let succeeded: Counter
    let failed: Counter
    let dead: Counter
    let batchDuration: Metrics.Timer
    let depth: Gauge
    let oldestReady: Gauge

    init(kind: String, factory: any MetricsFactory) {
        let dimensions = [(Self.kindLabel, kind)]
        claimed = Counter(label: Name.claimed, dimensions: dimensions, factory: factory)
        succeeded = Counter(label: Name.succeeded, dimensions: dimensions, factory: factory)
        failed = Counter(label: Name.failed, dimensions: dimensions, factory: factory)
        dead = Counter(label: Name.dead, dimensions: dimensions, factory: factory)
        batchDuration = Metrics.Timer(label: Name.batchDuration, dimensions: dimensions, factory: factory)
        depth = Gauge(label: Name.depth, dimensions: dimensions, factory: factory)
        oldestReady = Gauge(label: Name.oldestReady, dimensions: dimensions, factory: factory)
    }
}
