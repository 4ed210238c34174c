public import JobQueue
import LeadDomain
public import Logging
public import Postgres
public import ServiceLifecycle

/// The job kinds a `leadrelay worker` process can run, by name.
public enum WorkerKinds {
    public static let all = [IngestJobHandler.kindName, ScoreJobHandler.kindName, RescoreJobHandler.kindName, DecayJobHandler.kindName, HandoffJobHandler.kindName,
                             SLAFirstTouchJobHandler.kindName, SLAWindowEndJobHandler.kindName, DeliveryJobHandler.kindName,
                             ReportingRefreshJobHandler.kindName]

    /// One scorer cache per process, shared by the kinds that score.
    private static let scoring = LeadScoring()

    public static func handler(named name: String) -> (any JobHandler)? {
        switch name {
        case IngestJobHandler.kindName: IngestJobHandler(freeMailDomains: KnownEmailDomains.freeMail)
        case ScoreJobHandler.kindName: ScoreJobHandler(scoring: scoring)
        case RescoreJobHandler.kindName: RescoreJobHandler(scoring: scoring)
        case DecayJobHandler.kindName: DecayJobHandler()
        case HandoffJobHandler.kindName: HandoffJobHandler()
        case SLAFirstTouchJobHandler.kindName: SLAFirstTouchJobHandler()
        case SLAWindowEndJobHandler.kindName: SLAWindowEndJobHandler()
        case ReportingRefreshJobHandler.kindName: ReportingRefreshJobHandler()
        default: nil
        }
    }

    /// The worker of a leased kind (outside effects, performed outside transactions);
    /// nil for the transactional kinds, which `handler(named:)` gives.
    public static func leasedWorker(
        named name: String, database: PostgresConfig, pollInterval: Duration, logger: Logger, wakeUps: WakeUps? = nil
    ) -> (any Service)? {
        switch name {
        case DeliveryJobHandler.kindName:
            LeasedJobWorker(handler: DeliveryJobHandler(), database: database, pollInterval: pollInterval, logger: logger, wakeUps: wakeUps)
        default: nil
        }
    }

    /// Jobs a worker of `kind` makes sure exist when it starts: the periodic ones, which
    /// then schedule themselves. Coalesced, so starting many workers queues each once.
    public static func startupJobs(for kind: String) -> [JobRequest] {
        switch kind {
        case DecayJobHandler.kindName: [DecayJob.request()]
        case ReportingRefreshJobHandler.kindName: [ReportingRefreshJob.request()]
        default: []
        }
    }
}
