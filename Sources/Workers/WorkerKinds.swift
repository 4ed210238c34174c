public import JobQueue
import LeadDomain

/// The job kinds a `leadrelay worker` process can run, by name.
public enum WorkerKinds {
    public static let all = [IngestJobHandler.kindName]

    public static func handler(named name: String) -> (any JobHandler)? {
        switch name {
        case IngestJobHandler.kindName: IngestJobHandler(freeMailDomains: KnownEmailDomains.freeMail)
        default: nil
        }
    }
}
