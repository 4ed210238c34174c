import Foundation
import LeadDomain

/// `leadrelay-bench domain [--leads N] [--activities N] [--pool N] [--rules PATH]`
///
/// Scores leads through LeadDomain alone, on the calling thread (one core). Leads and
/// their activities are generated before the clock starts: a pool of distinct leads
/// (default 50,000, so 1M leads × 20 activities need not all sit in memory at once) is
/// scored round and round until N leads have been scored, each at its own "now". A
/// checksum of every score is printed so the work cannot be optimized away.
func runDomainBench(_ arguments: [String]) async throws {
    // The work is synchronous (one core); keeping it out of the async function also avoids a
    // Swift 6.3 optimizer crash when splitting this coroutine.
    try scoreLeads(arguments)
}

private func scoreLeads(_ arguments: [String]) throws {
    let options = try BenchOptions(arguments, known: ["--leads", "--activities", "--pool", "--rules"])
    let leadCount = try options.count("--leads", default: 1_000_000)
    let activityCount = try options.count("--activities", default: 20, minimum: 0)
    let poolSize = min(try options.count("--pool", default: 50_000), leadCount)
    let rulesPath = options.text("--rules", default: "examples/rules.yaml")

    let rules = try RuleSet.load(yaml: String(contentsOfFile: rulesPath, encoding: .utf8), file: rulesPath)
    let scorer = Scorer(rules: rules, version: RuleVersion(label: rules.version, number: 1))
    let now = Date(timeIntervalSince1970: 1_795_435_200) // 2026-11-23T08:00:00Z
    var generator = BenchRandom(seed: 2026_11_23)
    let pool = (0..<poolSize).map { _ in makeLead(activityCount: activityCount, now: now, using: &generator) }

    var checksum = 0
    let clock = ContinuousClock()
    let cpuStart = threadCPUSeconds()
    let elapsed = clock.measure {
        // Read in place: copying a pool entry would retain every string of the lead, work
        // that a worker holding its decoded leads does not do.
        pool.withUnsafeBufferPointer { pool in
            for number in 0..<leadCount {
                // A different "now" per round, so repeated pool entries are not the same computation.
                let at = now.addingTimeInterval(Double(number / poolSize) * 3600)
                let score = scorer.score(lead: pool[number % poolSize].lead, activities: pool[number % poolSize].activities, now: at)
                checksum &+= score.total &* 31 &+ score.breakdown.interest.count &+ score.quadrant.rawValue.utf8.count
            }
        }
    }
    let cpu = threadCPUSeconds() - cpuStart
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("domain scoring: \(leadCount) leads × \(activityCount) activities in \(String(format: "%.3f", seconds)) s = "
        + "\(Int(Double(leadCount) / seconds)) leads/s (1 core, wall clock)")
    // On a shared machine the thread is not always on a core; its own CPU time shows what
    // one core delivers while it runs.
    print("domain scoring: \(String(format: "%.3f", cpu)) s of thread CPU time = \(Int(Double(leadCount) / cpu)) leads/s per busy core"
        + " (\(poolSize) distinct leads generated beforehand; checksum \(checksum))")
}

/// CPU time used by the calling thread so far, in seconds.
private func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

private struct BenchLead {
    let lead: Lead
    let activities: [Activity]
}

private func makeLead(activityCount: Int, now: Date, using generator: inout BenchRandom) -> BenchLead {
    let domains = ["acme-corp.example", "gmail.com", "globex.example", "initech.example", "outlook.com", "mailinator.com",
                   "umbrella.example", "hooli.example", "web.de", "stark-industries.example"]
    let titles = ["VP Analytics", "Head of Product", "Data Analyst", "Marketing Operations Manager", "Software Engineer",
                  "Chief Data Officer", "Student", "Director of Engineering", "Growth Lead", "Account Executive"]
    let industries = ["Software", "SaaS", "E-Commerce", "Fintech", "Media", "Education", "Manufacturing", "Retail"]
    let countries = ["US", "DE", "GB", "FR", "CA", "AT", "JP", "BR", "NL", "SG"]
    let regions = ["north_america", "emea", "emea", "emea", "north_america", "emea", "apac", "latam", "emea", "apac"]
    let urls = ["https://northwind.example/pricing", "https://northwind.example/blog/funnel-metrics",
                "https://northwind.example/careers", "https://northwind.example/docs/integrations/segment",
                "https://northwind.example/product/dashboards", "https://northwind.example/pricing/enterprise",
                "https://northwind.example/", "https://northwind.example/customers"]
    let contents = ["acme-case-study.pdf", "northwind-vs-mixpanel-comparison.pdf", "state-of-analytics-2026.pdf",
                    "buyers-guide-product-analytics.pdf"]
    let country = generator.below(countries.count)
    let lead = Lead(
        email: "person\(generator.below(1_000_000))@\(domains[generator.below(domains.count)])",
        title: titles[generator.below(titles.count)],
        seniority: ["vp", "director", "manager", "individual_contributor", "c_level"][generator.below(5)],
        department: ["engineering", "marketing", "data", "product", "sales"][generator.below(5)],
        company: Company(industry: industries[generator.below(industries.count)], employeeCount: 1 + generator.below(20_000),
                         annualRevenue: Int64(generator.below(500_000_000)), country: countries[country], region: regions[country]))
    var offsets = (0..<activityCount).map { _ in Double(generator.below(120 * 86_400)) }
    offsets.sort(by: >)
    let activities = offsets.map { offset -> Activity in
        let at = now.addingTimeInterval(-offset)
        switch generator.below(20) {
        case 0..<11: return Activity(type: .pageView, url: urls[generator.below(urls.count)], occurredAt: at)
        case 11..<14: return Activity(type: .contentDownload, content: contents[generator.below(contents.count)], occurredAt: at)
        case 14: return Activity(type: .webinarRegistered, content: "analytics-webinar", occurredAt: at)
        case 15: return Activity(type: .webinarAttended, content: "analytics-webinar", occurredAt: at)
        case 16, 17: return Activity(type: .emailClick, url: urls[generator.below(urls.count)], occurredAt: at)
        case 18: return Activity(type: .formSubmission, content: "contact-us", occurredAt: at)
        default: return Activity(type: generator.below(2) == 0 ? .demoRequest : .freeTrialStart, occurredAt: at)
        }
    }
    return BenchLead(lead: lead, activities: activities)
}

