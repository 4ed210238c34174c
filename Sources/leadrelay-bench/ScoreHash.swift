import Foundation
import LeadDomain

/// `leadrelay-bench score-hash [--leads N] [--activities N]`: a deterministic digest of every
/// field of the full `Score` for a wide generator (mixed case, non-ASCII, unsorted, future
/// activities, missing fields). Used to check that a speed change computes the same thing.
func runScoreHash(_ arguments: [String]) async throws {
    try scoreHash(arguments)
}

private func scoreHash(_ arguments: [String]) throws {
    let options = try BenchOptions(arguments, known: ["--leads", "--activities"])
    let leadCount = try options.count("--leads", default: 200_000)
    let activityCount = try options.count("--activities", default: 20, minimum: 0)
    let rulesPath = "examples/rules.yaml"
    let rules = try RuleSet.load(yaml: String(contentsOfFile: rulesPath, encoding: .utf8), file: rulesPath)
    let scorer = Scorer(rules: rules, version: RuleVersion(label: rules.version, number: 7))
    let now = Date(timeIntervalSince1970: 1_795_435_200)
    var generator = BenchRandom(seed: 77)
    var digest: UInt64 = 0xCBF2_9CE4_8422_2325
    func feed(_ text: String) {
        for byte in text.utf8 { digest = (digest ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        digest = (digest ^ 0xFF) &* 0x0000_0100_0000_01B3
    }
    let domains = ["acme-corp.example", "GMail.com", "globex.example", "outlook.com", "mailinator.com", "mixpanel.com",
                   "web.de", "", "hooli.example"]
    let titles = ["VP Analytics", "head of PRODUCT", "Data Analyst", "Marketing Operations Manager", "Student intern",
                  "Chief Data Officer", "PhD Candidate", "Director of Engineering", "Growth Lead", "Démand Gen Lead", "CDO",
                  "Looking for work", "", "Head of Data / Analytics"]
    let industries = ["Software", "SaaS", "E-Commerce", "Fintech", "Education", "Government", "Retail", "Computer Software"]
    let countries = ["US", "de", "GB", "FR", "CA", "AT", "JP", "BR", "NL", "SE"]
    let regions = ["north_america", "emea", "EMEA", "apac", "latam"]
    let paths = ["/pricing", "/PRICING/enterprise", "/blog/funnel", "/careers", "/jobs/12", "/docs/integrations/segment",
                 "/docs/API/v2", "/", "/customers", "/pricin", "/docs/", "/caréers", "/pr", "/jobs", "/docs/apix?q=/pricing"]
    let contents = ["acme-case-study.pdf", "Northwind-VS-Mixpanel-comparison.pdf", "state-of-analytics.pdf", "Buyers-Guide.pdf",
                    "case study: ACME", "vs-", "c", "comparisoncase-study", "ümlaut-case study-long-name-of-an-asset-2026.pdf"]
    let types = ActivityType.allCases
    for number in 0..<leadCount {
        let pick = { (n: Int) in generator.below(n) }
        let company = Company(industry: generator.chance(900) ? industries[pick(industries.count)] : nil,
                              employeeCount: generator.chance(900) ? generator.below(30_000) : nil,
                              annualRevenue: generator.chance(900) ? Int64(generator.below(500_000_000)) : nil,
                              country: generator.chance(800) ? countries[pick(countries.count)] : nil,
                              region: generator.chance(800) ? regions[pick(regions.count)] : nil)
        let domain = domains[pick(domains.count)]
        let lead = Lead(email: generator.chance(950) ? "p\(number)@\(domain)" : nil,
                        isFreeMail: generator.chance(100) ? generator.chance(500) : nil,
                        title: generator.chance(900) ? titles[pick(titles.count)] : nil,
                        seniority: generator.chance(800) ? ["vp", "director", "Head", "manager", "c_level"][pick(5)] : nil,
                        department: generator.chance(800) ? ["engineering", "Marketing", "data", "product"][pick(4)] : nil,
                        company: company)
        var activities: [Activity] = []
        for _ in 0..<activityCount {
            let at = now.addingTimeInterval(Double(generator.below(130 * 86_400)) - 125 * 86_400 + generator.unit())
            let type = types[pick(types.count)]
            let host = generator.chance(500) ? "https://northwind.example" : "HTTPS://www.Northwind.example"
            activities.append(Activity(type: type, url: generator.chance(700) ? host + paths[pick(paths.count)] : nil,
                                       content: generator.chance(700) ? contents[pick(contents.count)] : nil, occurredAt: at))
        }
        if generator.chance(700) { activities.sort { $0.occurredAt < $1.occurredAt } }
        let at = now.addingTimeInterval(Double(number % 50) * 3600)
        let score = scorer.score(lead: lead, activities: activities, now: at)
        feed("\(score.fit) \(score.interest) \(score.total) \(score.quadrant.rawValue) \(score.ruleVersion) \(score.meetsMQLThreshold)")
        feed("\(score.evaluatedAt.timeIntervalSince1970)")
        for contribution in score.breakdown.fit + score.breakdown.interest {
            feed("\(contribution.rule)|\(contribution.points)|\(contribution.reason)|\(contribution)")
        }
        if let track = score.fastTrack { feed("\(track.rule) \(track.target) \(track.occurredAt.timeIntervalSince1970)") }
        // Equality and hashing agree with a rebuilt copy.
        let copy = Score(fit: score.breakdown.fit, interest: score.breakdown.interest, quadrant: score.quadrant,
                         ruleVersion: score.ruleVersion, fastTrack: score.fastTrack, evaluatedAt: score.evaluatedAt,
                         meetsMQLThreshold: score.meetsMQLThreshold)
        if copy != score || copy.hashValue != score.hashValue { feed("mismatch") }
    }
    print("score-hash: \(leadCount) leads × \(activityCount) activities: \(String(digest, radix: 16))")
}
