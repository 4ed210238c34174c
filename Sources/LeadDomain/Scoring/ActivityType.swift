/// What a lead did. A closed list on purpose: ingest maps each source's event names onto
/// it once, and the scorer turns it into an array index instead of hashing text.
public enum ActivityType: String, Sendable, Hashable, CaseIterable, Codable {
    case pageView = "page_view"
    case contentDownload = "content_download"
    case webinarRegistered = "webinar_registered"
    case webinarAttended = "webinar_attended"
    case emailOpen = "email_open"
    case emailClick = "email_click"
    case formSubmission = "form_submission"
    case demoRequest = "demo_request"
    case freeTrialStart = "free_trial_start"
    case eventAttended = "event_attended"

    /// Dense index for lookup tables.
    var ordinal: Int {
        switch self {
        case .pageView: 0
        case .contentDownload: 1
        case .webinarRegistered: 2
        case .webinarAttended: 3
        case .emailOpen: 4
        case .emailClick: 5
        case .formSubmission: 6
        case .demoRequest: 7
        case .freeTrialStart: 8
        case .eventAttended: 9
        }
    }
}
