import Testing
import Intake

@Suite struct ActivityTypesTests {
    @Test func canonicalNamesMapToThemselves() {
        #expect(ActivityTypes.canonical.count == 10)
        for name in ActivityTypes.canonical {
            #expect(ActivityTypes.canonicalName(for: name) == name)
            #expect(ActivityTypes.canonicalName(for: name.uppercased()) == name)
        }
    }

    @Test(arguments: [
        ("Page View", "page_view"), ("pageview", "page_view"), ("page-view", "page_view"), ("PAGE_VIEW", "page_view"),
        ("download", "content_download"), ("Webinar Registration", "webinar_registered"),
        ("webinar attended", "webinar_attended"), ("Email Opened", "email_open"), ("email_clicked", "email_click"),
        ("form_fill", "form_submission"), ("Form Submitted", "form_submission"), ("Demo Request", "demo_request"),
        ("request a demo", "demo_request"), ("trial_started", "free_trial_start"), ("Free Trial", "free_trial_start"),
        ("Event Attended", "event_attended"), ("Booth Visit", "event_attended"),
    ])
    func aliases(input: String, canonical: String) {
        #expect(ActivityTypes.canonicalName(for: input) == canonical)
    }

    @Test(arguments: ["", "purchase", "page", "view", "webinar", "careers"])
    func unknown(input: String) {
        #expect(ActivityTypes.canonicalName(for: input) == nil)
    }
}
