/// The activity types LeadRelay scores, and the names other systems use for them.
///
/// Canonical names are the raw values of `LeadDomain.ActivityType`. Matching ignores case,
/// spaces, hyphens and underscores, so "Page View", "page-view", "PAGE_VIEW" and "pageview"
/// are one name.
public enum ActivityTypes {
    /// Every canonical name, in the funnel's usual order.
    public static let canonical: [String] = [
        "page_view", "content_download", "webinar_registered", "webinar_attended", "email_open",
        "email_click", "form_submission", "demo_request", "free_trial_start", "event_attended",
    ]

    /// The canonical name for a canonical name or alias, or nil when unknown.
    public static func canonicalName(for text: String) -> String? {
        lookup[key(text)]
    }

    /// Alias → canonical name. Each canonical name is also its own alias.
    static let aliases: [String: [String]] = [
        "page_view": ["Page View", "Page Visit", "Visit", "Web Visit", "Website Visit", "Viewed Page", "page_visit", "pv"],
        "content_download": ["Download", "Downloaded", "Content Download", "Asset Download", "File Download",
                             "Whitepaper Download", "Ebook Download", "Document Download"],
        "webinar_registered": ["Webinar Registration", "Webinar Registered", "Webinar Signup", "Webinar Sign-up",
                               "Registered for Webinar", "webinar_register"],
        "webinar_attended": ["Webinar Attendance", "Webinar Attended", "Attended Webinar", "webinar_attend", "webinar_join"],
        "email_open": ["Email Open", "Email Opened", "Opened Email", "E-mail Open", "open"],
        "email_click": ["Email Click", "Email Clicked", "Clicked Email", "E-mail Click", "Click", "link_click"],
        "form_submission": ["Form Submission", "Form Submitted", "Form Submit", "form_fill", "Form Fill",
                            "Form Completed", "Submitted Form", "Contact Form"],
        "demo_request": ["Demo Request", "Demo Requested", "Requested Demo", "Request Demo", "Request a Demo", "Book a Demo", "demo"],
        "free_trial_start": ["Free Trial", "Free Trial Start", "Free Trial Started", "Trial Start", "trial_started",
                             "Trial Signup", "Trial Sign-up", "Started Trial", "trial"],
        "event_attended": ["Event Attended", "Event Attendance", "Attended Event", "Trade Show Visit",
                           "Conference Attended", "Booth Visit", "event"],
    ]

    private static let lookup: [String: String] = {
        var lookup: [String: String] = [:]
        for (canonical, names) in aliases {
            lookup[key(canonical)] = canonical
            for name in names { lookup[key(name)] = canonical }
        }
        return lookup
    }()

    private static func key(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
    }
}
